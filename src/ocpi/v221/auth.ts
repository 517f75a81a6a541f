import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Credentials tokens on the wire (OCPI 2.2.1 transport_and_format, "Authorization header").
 * 2.2.1 sends `Token <base64(token)>`; many older peers send the raw token. We accept both:
 * the value is decoded only when it is strictly canonical Base64 of printable ASCII, and the
 * raw value is always a candidate too, so a raw token that happens to look like Base64 still works.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const TOKEN_CHARS = /^[\x21-\x7e]{1,64}$/

/** Strict Base64 decode: canonical alphabet and padding, round-trips, decodes to a valid token. */
export const decodeBase64Token = (value: string): string | undefined => {
  if (value.length === 0 || value.length % 4 !== 0 || !BASE64.test(value)) return undefined
  const bytes = Buffer.from(value, 'base64')
  if (bytes.toString('base64') !== value) return undefined
  const decoded = bytes.toString('latin1')
  return TOKEN_CHARS.test(decoded) ? decoded : undefined
}

/**
 * The tokens an Authorization header may stand for, most likely first.
 * Empty when the header is missing or not of the form `Token <value>` (the scheme is case-insensitive).
 */
export const tokenCandidates = (header: string | undefined): string[] => {
  if (!header) return []
  const match = /^token (\S+)$/i.exec(header.trim())
  const value = match?.[1]
  if (!value || (!TOKEN_CHARS.test(value) && decodeBase64Token(value) === undefined)) return []
  const decoded = decodeBase64Token(value)
  const candidates = decoded !== undefined && decoded !== value ? [decoded] : []
  if (TOKEN_CHARS.test(value)) candidates.push(value)
  return candidates
}

export type TokenEncoding = 'base64' | 'raw'

/** The Authorization header we send with our outbound token. */
export const authorizationHeader = (token: string, encoding: TokenEncoding): string =>
  `Token ${encoding === 'base64' ? Buffer.from(token, 'utf8').toString('base64') : token}`

/** Tokens are stored as SHA-256 hex digests; the clear token is never kept for inbound tokens. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** Constant-time comparison of two hex digests. */
export const sameHash = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}
