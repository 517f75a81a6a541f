// Passwords of local customer accounts: scrypt (memory-hard, node:crypto), parameters stored with
// each hash so they can be raised later without invalidating old hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_LENGTH = 32
const SALT_LENGTH = 16

interface Params {
  N: number
  r: number
  p: number
}

const derive = (password: string, salt: Buffer, p: Params) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r }
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })

/**
 * Hashing and checking with scrypt at N = 2^cost, r = 8, p = 1. The cost is PASSWORD_SCRYPT_COST
 * (src/config.ts: 17 by default, OWASP's minimum, 128 MiB and ~0.35 s per hash here; never less in production).
 */
export const createPasswordHasher = (cost: number) => {
  const params: Params = { N: 2 ** cost, r: 8, p: 1 }
  return {
    /** `scrypt$N$r$p$<salt>$<key>` (base64url). */
    hash: async (password: string): Promise<string> => {
      const salt = randomBytes(SALT_LENGTH)
      const key = await derive(password, salt, params)
      return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$')
    },

    /** Whether `password` matches `stored` (at the parameters stored with it); false for a hash we cannot read. Constant time in the key comparison. */
    verify: async (password: string, stored: string): Promise<boolean> => {
      const [scheme, n, r, p, salt, key] = stored.split('$')
      if (scheme !== 'scrypt' || !salt || !key) return false
      const at = { N: Number(n), r: Number(r), p: Number(p) }
      if (![at.N, at.r, at.p].every((v) => Number.isInteger(v) && v > 0)) return false
      const expected = Buffer.from(key, 'base64url')
      const actual = await derive(password, Buffer.from(salt, 'base64url'), at)
      return actual.length === expected.length && timingSafeEqual(actual, expected)
    },

    /** A hash nobody's password matches, verified when there is no account so the answer takes as long either way. */
    dummyHash: `scrypt$${params.N}$${params.r}$${params.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,

    /** Whether a hash was made with weaker parameters than today's (rehash at the next login). */
    needsRehash: (stored: string): boolean => {
      const [, n, r, p] = stored.split('$')
      return Number(n) < params.N || Number(r) < params.r || Number(p) < params.p
    },
  }
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>
