import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { installErrorHandlers } from '../platform/error-responses.js'
import { DomainError } from '../platform/errors.js'
import type { AppAuth } from './auth.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated customer of an /app/v1 request. */
    customerId: string | null
  }
}

/** The customer of an /app/v1 request (the surface's auth hook guarantees one). */
export const customerIdOf = (req: FastifyRequest): string => {
  if (!req.customerId) throw new DomainError('unauthorized', 'Missing bearer token', 401)
  return req.customerId
}

/**
 * The /app/v1 surface for the My BMW app: bearer JWT (subject = customer id), a rate limit per
 * customer, and errors as `{ code, message, request_id }` with stable codes.
 * Authentication runs on onRequest; the limiter runs after it (preHandler) so it can key by customer.
 */
export const registerAppSurface = async (app: FastifyInstance, deps: { auth: AppAuth; rateLimitPerMinute: number }) => {
  app.decorateRequest('customerId', null)
  app.addHook('onRequest', async (req) => {
    req.customerId = await deps.auth.verify(req.headers.authorization)
  })
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: deps.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.customerId ?? req.ip,
    errorResponseBuilder: (req, context) =>
      Object.assign(new DomainError('rate_limited', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`, 429), {
        statusCode: 429,
      }),
  })
  installErrorHandlers(app, 'app')
}
