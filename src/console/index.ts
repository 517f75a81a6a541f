import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { DomainError } from '../platform/errors.js'
import { createConsoleAuth, LOGIN_CSRF_COOKIE, newSecret, sameSecret, SESSION_COOKIE, SESSION_TTL_MS, type ConsoleSession } from './auth.js'
import { consolePageRoutes } from './console.routes.js'
import { createConsoleService, type ConsoleDeps } from './console.service.js'
import { errorPage, loginPage } from './views/layout.js'
import { CONSOLE_CSS } from './views/styles.js'

export { createConsoleService, type ConsoleService } from './console.service.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator's console session (console routes only). */
    consoleSession: ConsoleSession | null
  }
}

/** Sign-in attempts per client address per minute (per instance). */
export const SIGN_IN_LIMIT_PER_MINUTE = 10

const COOKIE_BASE = { path: '/console', httpOnly: true, secure: true, sameSite: 'strict' } as const
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}
const PUBLIC = new Set(['/console/login', '/console/assets/console.css'])

const BASE = 'http://console.invalid'

/** Where to go after signing in: a console path exactly as given (no other site, no `..`), else the overview. */
export const safeNext = (next: string | undefined) => {
  if (!next) return '/console/'
  let url: URL
  try {
    url = new URL(next, BASE)
  } catch {
    return '/console/'
  }
  const same = url.origin === BASE && `${url.pathname}${url.search}` === next && /^\/console(\/|$)/.test(url.pathname)
  return same ? next : '/console/'
}

const LoginBody = z.object({ token: z.string().max(512).default(''), _csrf: z.string().max(200).default(''), next: z.string().max(500).default('/console/') })
const LoginQuery = z.object({ next: z.string().max(500).optional() })

const html = (reply: FastifyReply, status: number, text: string) => reply.code(status).type('text/html; charset=utf-8').send(text)

/**
 * The operator console under /console/: server-rendered pages, no client-side script. Staff sign in
 * with the admin token and get a session cookie (Secure, HTTP-only, SameSite=Strict); every form
 * carries the session's CSRF token; sign-in is rate-limited. Pages read through ConsoleService.
 */
export const registerConsole = async (app: FastifyInstance, deps: ConsoleDeps & { adminToken: string | undefined }) => {
  const auth = createConsoleAuth({ db: deps.db, clock: deps.clock, adminToken: deps.adminToken })
  const service = createConsoleService(deps)
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 16_384 })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => Object.assign(new DomainError('rate_limited', `Too many sign-in attempts; try again in ${Math.ceil(context.ttl / 1000)} s.`, 429), { statusCode: 429 }),
  })
  app.decorateRequest('consoleSession', null)

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS)
    return payload
  })
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!
    if (PUBLIC.has(path)) return
    req.consoleSession = (await auth.session(req.cookies[SESSION_COOKIE])) ?? null
    if (!req.consoleSession) return reply.redirect(`/console/login?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/console/')}`, 303)
  })
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' || !req.consoleSession) return
    const given = (req.body as { _csrf?: unknown } | undefined)?._csrf
    if (!sameSecret(typeof given === 'string' ? given : undefined, req.consoleSession.csrfToken)) {
      throw new DomainError('csrf', 'This form is stale or did not come from the console: reload the page and try again.', 403)
    }
  })
  installErrorPages(app)

  app.get('/assets/console.css', { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_CSS))

  const r = app.withTypeProvider<ZodTypeProvider>()
  const showLogin = (reply: FastifyReply, status: number, next: string, error?: string) => {
    const csrf = newSecret()
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...COOKIE_BASE, maxAge: 3600 })
    return html(reply, status, loginPage({ csrf, next, error, closed: !auth.enabled }))
  }
  r.get('/login', { schema: { hide: true, querystring: LoginQuery } }, async (req, reply) => {
    if (await auth.session(req.cookies[SESSION_COOKIE])) return reply.redirect(safeNext(req.query.next), 303)
    return showLogin(reply, auth.enabled ? 200 : 403, safeNext(req.query.next))
  })
  r.post('/login', { schema: { hide: true, body: LoginBody }, config: { rateLimit: { max: SIGN_IN_LIMIT_PER_MINUTE, timeWindow: 60_000 } } }, async (req, reply) => {
    const next = safeNext(req.body.next)
    if (!auth.enabled) return showLogin(reply, 403, next)
    if (!sameSecret(req.body._csrf, req.cookies[LOGIN_CSRF_COOKIE])) return showLogin(reply, 403, next, 'The sign-in form expired; please sign in again.')
    if (!auth.checkAdminToken(req.body.token)) {
      req.log.warn({ ip: req.ip }, 'console: sign-in with a wrong admin token')
      return showLogin(reply, 401, next, 'That is not the admin token.')
    }
    const { cookie: id, session } = await auth.signIn(req.ip)
    req.log.info({ ip: req.ip, session: session.idHash.slice(0, 8) }, 'console: signed in')
    reply.clearCookie(LOGIN_CSRF_COOKIE, COOKIE_BASE)
    reply.setCookie(SESSION_COOKIE, id, { ...COOKIE_BASE, expires: session.expiresAt, maxAge: SESSION_TTL_MS / 1000 })
    return reply.redirect(next, 303)
  })
  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    if (req.consoleSession) await auth.signOut(req.consoleSession)
    reply.clearCookie(SESSION_COOKIE, COOKIE_BASE)
    return reply.redirect('/console/login', 303)
  })
  consolePageRoutes(app, { service, clock: deps.clock })
}

/** Errors and unknown paths as HTML pages: 4xx say what was wrong, a 5xx is logged and says nothing more. */
const installErrorPages = (app: FastifyInstance) => {
  const signedIn = (req: FastifyRequest) => (req.consoleSession ? { csrf: req.consoleSession.csrfToken } : undefined)
  app.setNotFoundHandler((req, reply) => html(reply, 404, errorPage({ status: 404, title: 'Not found', message: `There is no console page ${req.url.split('?')[0]}.`, signedIn: signedIn(req) })))
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return html(reply, err.httpStatus, errorPage({ status: err.httpStatus, title: titleOf(err.httpStatus), message: err.message, signedIn: signedIn(req) }))
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation.map((v) => `${err.validationContext ?? 'input'}${v.instancePath.replaceAll('/', '.')}: ${v.message}`).join('; ')
      return html(reply, 400, errorPage({ status: 400, title: 'Bad request', message, signedIn: signedIn(req) }))
    }
    const status = err.statusCode ?? 500
    if (status < 500) return html(reply, status, errorPage({ status, title: titleOf(status), message: err.message, signedIn: signedIn(req) }))
    req.log.error({ err }, 'console: unhandled error')
    return html(reply, 500, errorPage({ status: 500, title: 'Something went wrong', message: `The page could not be made; request id ${req.id}.`, signedIn: signedIn(req) }))
  })
}

const TITLES: Record<number, string> = { 400: 'Bad request', 401: 'Sign in first', 403: 'Not allowed', 404: 'Not found', 409: 'Cannot do that now', 413: 'Too large', 415: 'Unsupported form', 429: 'Too many attempts' }
const titleOf = (status: number) => TITLES[status] ?? 'Request refused'
