import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * Signed-in operator console sessions (src/console). Only the SHA-256 of the session id (the
 * cookie value) is stored; each session has its own CSRF token for the console's forms. A row is
 * deleted at sign-out; expired rows are removed at the next sign-in.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Who signed in, for the log: the client address. */
    createdFrom: text('created_from').notNull(),
  },
  (t) => [index('console_sessions_expires_idx').on(t.expiresAt)],
)
