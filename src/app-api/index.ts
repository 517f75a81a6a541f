/** What other modules use of the app API: its token authority (the admin API mints app tokens with it). */
export type { AppAuth } from './auth.js'
