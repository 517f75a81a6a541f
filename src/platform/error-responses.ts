import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError } from './errors.js'

/** The error body of the admin and app surfaces: a stable code, words, and the request id. */
export const errorBody = (code: string, message: string, requestId: string, details?: Record<string, unknown>) => ({
  code,
  message,
  request_id: requestId,
  ...(details ? { details } : {}),
})

/**
 * Not-found and error handlers of a JSON surface (admin, app): DomainErrors keep their code and
 * status, validation failures are `invalid_request` naming the field, anything else is logged and
 * answered `internal_error` without its message.
 */
export const installErrorHandlers = (app: FastifyInstance, surface: string) => {
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `No ${surface} endpoint ${req.method} ${req.url.split('?')[0]}`, req.id))
  })
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return reply.code(err.httpStatus).send(errorBody(err.code, err.message, req.id, err.details))
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation
        .map((v) => `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}: ${v.message}`)
        .join('; ')
      return reply.code(400).send(errorBody('invalid_request', message, req.id))
    }
    const status = err.statusCode ?? 500
    if (status < 500) return reply.code(status).send(errorBody('invalid_request', err.message, req.id))
    req.log.error({ err }, `unhandled error on the ${surface} surface`)
    return reply.code(500).send(errorBody('internal_error', `Internal error; request id ${req.id}`, req.id))
  })
}
