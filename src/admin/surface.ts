import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError } from '../platform/errors.js'

/** The error body of the admin and app surfaces. */
export const errorBody = (code: string, message: string, requestId: string, details?: Record<string, unknown>) => ({
  code,
  message,
  request_id: requestId,
  ...(details ? { details } : {}),
})

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * The /admin/v1 surface: `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time); closed
 * when no ADMIN_TOKEN is configured. Errors are `{ code, message, request_id }`.
 */
export const registerAdminSurface = (app: FastifyInstance, deps: { adminToken: string | undefined }) => {
  const expected = deps.adminToken ? digest(deps.adminToken) : undefined
  app.addHook('onRequest', async (req, reply) => {
    if (!expected) {
      return reply.code(403).send(errorBody('admin_disabled', 'The admin API is closed: set ADMIN_TOKEN to open it', req.id))
    }
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      return reply.code(401).send(errorBody('unauthorized', 'Missing or wrong admin token', req.id))
    }
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `No admin endpoint ${req.method} ${req.url.split('?')[0]}`, req.id))
  })
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return reply.code(err.httpStatus).send(errorBody(err.code, err.message, req.id, err.details))
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation.map((v) => `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}: ${v.message}`).join('; ')
      return reply.code(400).send(errorBody('invalid_request', message, req.id))
    }
    const status = err.statusCode ?? 500
    if (status < 500) return reply.code(status).send(errorBody('invalid_request', err.message, req.id))
    req.log.error({ err }, 'unhandled error on the admin surface')
    return reply.code(500).send(errorBody('internal_error', `Internal error; request id ${req.id}`, req.id))
  })
}
