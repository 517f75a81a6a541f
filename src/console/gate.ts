import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError } from '../platform/errors.js'
import { sameSecret, SESSION_COOKIE, type ConsoleAuth, type ConsoleSession } from './auth.js'
import { sendHtml } from './signin.routes.js'
import { errorPage } from './views/layout.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator's console session (console routes only). */
    consoleSession: ConsoleSession | null
  }
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
}
/** The only console paths open without a session. */
const PUBLIC = new Set(['/console/login', '/console/assets/console.css'])

/**
 * The console's gate: security headers on every answer, a live session for every page and form
 * (else a redirect to the sign-in), the session's CSRF token on every form, HTML error pages.
 */
export const installGate = (app: FastifyInstance, auth: ConsoleAuth) => {
  app.decorateRequest('consoleSession', null)
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS)
    // Pages hold operational data: never cached (the stylesheet says otherwise for itself).
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    return payload
  })
  app.addHook('onRequest', async (req, reply) => {
    if (PUBLIC.has(req.url.split('?')[0]!)) return
    req.consoleSession = (await auth.session(req.cookies[SESSION_COOKIE])) ?? null
    if (!req.consoleSession)
      return reply.redirect(`/console/login?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/console/')}`, 303)
  })
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' || !req.consoleSession) return
    const given = (req.body as { _csrf?: unknown } | undefined)?._csrf
    if (!sameSecret(typeof given === 'string' ? given : undefined, req.consoleSession.csrfToken)) {
      throw new DomainError('csrf', 'This form is stale or did not come from the console: reload the page and try again.', 403)
    }
  })
  installErrorPages(app)
}

/** Errors and unknown paths as HTML pages: 4xx say what was wrong, a 5xx is logged and says nothing more. */
const installErrorPages = (app: FastifyInstance) => {
  const signedIn = (req: FastifyRequest) => (req.consoleSession ? { csrf: req.consoleSession.csrfToken } : undefined)
  const show = (req: FastifyRequest, status: number, title: string, message: string) =>
    errorPage({ status, title, message, signedIn: signedIn(req) })
  app.setNotFoundHandler((req, reply) =>
    sendHtml(reply, 404, show(req, 404, 'Not found', `There is no console page ${req.url.split('?')[0]}.`)),
  )
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return sendHtml(reply, err.httpStatus, show(req, err.httpStatus, titleOf(err.httpStatus), err.message))
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation
        .map((v) => `${err.validationContext ?? 'input'}${v.instancePath.replaceAll('/', '.')}: ${v.message}`)
        .join('; ')
      return sendHtml(reply, 400, show(req, 400, 'Bad request', message))
    }
    const status = err.statusCode ?? 500
    if (status < 500) return sendHtml(reply, status, show(req, status, titleOf(status), err.message))
    req.log.error({ err }, 'console: unhandled error')
    return sendHtml(reply, 500, show(req, 500, 'Something went wrong', `The page could not be made; request id ${req.id}.`))
  })
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in first',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Cannot do that now',
  413: 'Too large',
  415: 'Unsupported form',
  429: 'Too many attempts',
}
const titleOf = (status: number) => TITLES[status] ?? 'Request refused'
