// CSRF tokens for server-rendered forms: an HMAC of the visitor's session cookie value under a
// server secret (OWASP's "signed double-submit cookie"). No state is stored; a token is valid for
// as long as its session cookie, and a form from another visitor's page never matches.
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The token every form of this session carries in a hidden `_csrf` field. */
export const csrfToken = (secret: Uint8Array, sessionValue: string): string =>
  createHmac('sha256', secret).update(`csrf\u0000${sessionValue}`).digest('base64url')

/** Whether a submitted token belongs to this session (constant time). */
export const csrfValid = (secret: Uint8Array, sessionValue: string, given: unknown): boolean => {
  if (typeof given !== 'string' || given.length === 0) return false
  const expected = Buffer.from(csrfToken(secret, sessionValue))
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
