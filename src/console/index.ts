import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { DomainError } from '../platform/errors.js'
import { createConsoleAuth } from './auth.js'
import { consolePageRoutes } from './console.routes.js'
import { createConsoleService, type ConsoleDeps } from './console.service.js'
import { installGate } from './gate.js'
import { signInRoutes } from './signin.routes.js'
import { CONSOLE_CSS } from './views/styles.js'

export { createConsoleService, type ConsoleService } from './console.service.js'
export { safeNext, SIGN_IN_LIMIT_PER_MINUTE } from './signin.routes.js'

/**
 * The operator console under /console/: server-rendered pages, no client-side script. Staff sign in
 * with the admin token and get a session cookie (Secure, HTTP-only, SameSite=Strict); every form
 * carries the session's CSRF token; sign-in is rate-limited. Pages read through ConsoleService.
 */
export const registerConsole = async (app: FastifyInstance, deps: ConsoleDeps & { adminToken: string | undefined }) => {
  const auth = createConsoleAuth({ db: deps.db, clock: deps.clock, adminToken: deps.adminToken })
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 16_384 })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      Object.assign(new DomainError('rate_limited', `Too many sign-in attempts; try again in ${Math.ceil(context.ttl / 1000)} s.`, 429), {
        statusCode: 429,
      }),
  })
  installGate(app, auth)
  app.get('/assets/console.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_CSS),
  )
  signInRoutes(app, { auth })
  consolePageRoutes(app, { service: createConsoleService(deps), clock: deps.clock })
}
