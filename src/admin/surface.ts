import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { errorBody, installErrorHandlers } from '../platform/error-responses.js'

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
  installErrorHandlers(app, 'admin')
}
