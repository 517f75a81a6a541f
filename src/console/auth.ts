import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { deleteExpiredSessions, deleteSession, findLiveSession, insertSession } from './sessions.repository.js'

/** A console session lasts this long from sign-in (no sliding renewal: reads never write). */
export const SESSION_TTL_MS = 8 * 3_600_000
export const SESSION_COOKIE = 'emsp_console'
/** The sign-in form's CSRF token (double submit: this cookie and the form field must agree). */
export const LOGIN_CSRF_COOKIE = 'emsp_console_login'

const sha256 = (value: string) => createHash('sha256').update(value).digest()
export const newSecret = () => randomBytes(32).toString('base64url')

/** Equal strings, compared in constant time (of their digests, so lengths leak nothing either). */
export const sameSecret = (given: string | undefined, expected: string | undefined): boolean =>
  typeof given === 'string' && typeof expected === 'string' && given.length > 0 && timingSafeEqual(sha256(given), sha256(expected))

export interface ConsoleSession {
  idHash: string
  csrfToken: string
  expiresAt: Date
}

/**
 * Staff sign in with the admin token (ADMIN_TOKEN) and get a session: a random id in an HTTP-only
 * cookie, stored as its SHA-256 only, valid SESSION_TTL_MS, ended by signing out. Sessions live in
 * the database, so every instance knows them and a sign-out holds everywhere.
 */
export const createConsoleAuth = (deps: { db: Db; clock: Clock; adminToken: string | undefined }) => ({
  /** False when no ADMIN_TOKEN is configured: the console is closed. */
  enabled: deps.adminToken !== undefined,
  checkAdminToken: (given: string | undefined) => sameSecret(given, deps.adminToken),

  /** A new session; returns the cookie value (the only place the id exists in clear). */
  signIn: async (from: string) => {
    const now = deps.clock.now()
    const id = newSecret()
    const session = {
      idHash: sha256(id).toString('hex'),
      csrfToken: newSecret(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      createdFrom: from,
    }
    await deleteExpiredSessions(deps.db, now)
    await insertSession(deps.db, session)
    return { cookie: id, session }
  },

  /** The live session of a cookie value, if any. */
  session: async (cookie: string | undefined): Promise<ConsoleSession | undefined> => {
    if (!cookie || cookie.length > 100) return undefined
    const row = await findLiveSession(deps.db, sha256(cookie).toString('hex'), deps.clock.now())
    return row && { idHash: row.idHash, csrfToken: row.csrfToken, expiresAt: row.expiresAt }
  },

  signOut: (session: ConsoleSession) => deleteSession(deps.db, session.idHash),
})

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>
