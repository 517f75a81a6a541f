// Sessions of the customer area. The browser holds 32 random bytes in a `__Host-` cookie (Secure,
// HttpOnly, SameSite=Lax, path /); the database holds only their SHA-256. A visitor gets the cookie
// on the first page (forms need it for their CSRF token); a row is written once there is something
// to keep. Logging in replaces the cookie value (no session fixation); logging out deletes the row.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/client.js'
import type { HomeMarket, OidcIdentity } from '../customers/index.js'
import type { Clock } from '../platform/clock.js'
import * as repo from './session.repository.js'

export const SESSION_COOKIE = '__Host-portal'
/** A registration in progress (or an OpenID Connect login) is kept this long without a login. */
const ANONYMOUS_HOURS = 2

export interface RegistrationDraft {
  personal?: {
    name: string
    email: string
    passwordHash?: string
    street: string
    postalCode: string
    city: string
    country: string
    phone: string | null
  }
  market?: HomeMarket
  tariff?: 'ACTIVE' | 'FLEX'
  vehicle?: { vin: string; model: string; deliveryDate: string; isNew: boolean }
  voucherCode?: string
}

export interface SessionData {
  draft?: RegistrationDraft
  /** An OpenID Connect login under way: what the callback must match. */
  oidc?: { state: string; nonce: string; verifier: string; next: string }
  /** An OpenID Connect identity without a customer yet: it registers next. */
  identity?: OidcIdentity & { name: string | null }
  /** How the customer logged in. */
  method?: 'password' | 'oidc'
  /** Where the registration link went (the page after the last step says so). */
  sentTo?: string
}

export interface PortalSession {
  customerId: string | null
  data: SessionData
  expiresAt: Date
}

export const newSessionValue = () => randomBytes(32).toString('base64url')
const hashOf = (value: string) => createHash('sha256').update(value).digest('hex')

export const createSessionStore = (deps: { db: Db; clock: Clock; ttlHours: number }) => {
  const { db, clock } = deps
  const hoursFromNow = (h: number) => new Date(clock.now().getTime() + h * 3_600_000)
  return {
    /** The session of a cookie value, unless unknown or expired. */
    load: async (value: string): Promise<PortalSession | undefined> => {
      const row = await repo.findSession(db, hashOf(value))
      if (!row || row.expiresAt <= clock.now()) return undefined
      return { customerId: row.customerId, data: row.data as SessionData, expiresAt: row.expiresAt }
    },
    /** Keeps anonymous state (a registration in progress) for a short while. */
    saveAnonymous: async (value: string, data: SessionData) => {
      await repo.upsertSession(db, {
        idHash: hashOf(value),
        customerId: null,
        data: data as Record<string, unknown>,
        createdAt: clock.now(),
        expiresAt: hoursFromNow(ANONYMOUS_HOURS),
      })
    },
    /** Replaces the visitor's session by a logged-in one under a new cookie value; answers the value and its lifetime. */
    login: async (oldValue: string | undefined, customerId: string, method: SessionData['method']) => {
      const now = clock.now()
      if (oldValue) await repo.deleteSession(db, hashOf(oldValue))
      await repo.deleteExpiredSessions(db, now)
      const value = newSessionValue()
      await repo.upsertSession(db, {
        idHash: hashOf(value),
        customerId,
        data: { method },
        createdAt: now,
        expiresAt: hoursFromNow(deps.ttlHours),
      })
      return { value, maxAgeSeconds: Math.round(deps.ttlHours * 3600) }
    },
    logout: (value: string) => repo.deleteSession(db, hashOf(value)),
    /** Ends every session of a customer (password reset, account deleted). */
    logoutEverywhere: (customerId: string) => repo.deleteSessionsOf(db, customerId),
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
