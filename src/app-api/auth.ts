import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose'
import type { Config } from '../config.js'
import type { Clock } from '../platform/clock.js'
import { DomainError } from '../platform/errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface AppAuthDeps {
  /** Whether `id` is a current (not deleted) customer; called with well-formed UUIDs only. */
  isCustomer(id: string): Promise<boolean>
}

/**
 * App tokens: bearer JWTs whose `sub` is our customer id. Verified with APP_JWT_SECRET (HS256) or an
 * identity provider's keys (APP_JWKS_URL); `iss`/`aud` are checked when configured. A token must
 * carry `exp` (a token without one would be valid forever) and its subject must be a customer.
 */
export const createAppAuth = (config: Config['app'], clock: Clock, deps: AppAuthDeps) => {
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined
  const jwks: JWTVerifyGetKey | undefined = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined
  const options = {
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    requiredClaims: ['exp', 'sub'],
    currentDate: undefined as Date | undefined,
  }
  const refuse = (message: string) => new DomainError('unauthorized', message, 401)

  /** The customer id of a valid token; a DomainError (401) otherwise. */
  const verify = async (authorization: string | undefined): Promise<string> => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) throw new DomainError('unauthorized', 'Missing bearer token', 401)
    if (!secret && !jwks) throw new DomainError('app_auth_disabled', 'The app API is closed: set APP_JWT_SECRET or APP_JWKS_URL', 403)
    let subject: string
    try {
      const opts = { ...options, currentDate: clock.now() }
      const { payload } = secret ? await jwtVerify(token, secret, { ...opts, algorithms: ['HS256'] }) : await jwtVerify(token, jwks!, opts)
      subject = payload.sub!
    } catch (err) {
      const { claim, reason } = err as { claim?: string; reason?: string }
      if (reason === 'missing') throw refuse(`Token without the required "${claim}" claim refused`)
      throw refuse('Invalid or expired token')
    }
    if (!UUID.test(subject) || !(await deps.isCustomer(subject))) throw refuse("The token's subject is not a customer")
    return subject
  }

  /** Mints a token for a customer (development and tests); needs APP_JWT_SECRET. */
  const mint = async (customerId: string, ttlSeconds = 3600) => {
    if (!secret) throw new DomainError('app_jwt_secret_missing', 'Minting app tokens needs APP_JWT_SECRET', 409)
    const now = Math.floor(clock.now().getTime() / 1000)
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customerId)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setIssuer(config.issuer ?? 'bmw-charging-emsp')
      .setAudience(config.audience ?? 'my-bmw-app')
      .sign(secret)
    return { token, expires_at: new Date((now + ttlSeconds) * 1000).toISOString() }
  }

  return { verify, mint }
}

export type AppAuth = ReturnType<typeof createAppAuth>
