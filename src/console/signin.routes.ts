import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { LOGIN_CSRF_COOKIE, newSecret, sameSecret, SESSION_COOKIE, SESSION_TTL_MS, type ConsoleAuth } from './auth.js'
import { loginPage } from './views/layout.js'

/** Sign-in attempts per client address per minute (per instance). */
export const SIGN_IN_LIMIT_PER_MINUTE = 10

export const COOKIE_BASE = { path: '/console', httpOnly: true, secure: true, sameSite: 'strict' } as const
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

const LoginBody = z.object({
  token: z.string().max(512).default(''),
  _csrf: z.string().max(200).default(''),
  next: z.string().max(500).default('/console/'),
})
const LoginQuery = z.object({ next: z.string().max(500).optional() })

export const sendHtml = (reply: FastifyReply, status: number, text: string) =>
  reply.code(status).type('text/html; charset=utf-8').send(text)

/**
 * GET/POST /login (the admin token for a session cookie; the form's CSRF token is a double submit
 * with the `emsp_console_login` cookie; rate-limited) and POST /logout.
 */
export const signInRoutes = (app: FastifyInstance, deps: { auth: ConsoleAuth }) => {
  const { auth } = deps
  const r = app.withTypeProvider<ZodTypeProvider>()
  const showLogin = (reply: FastifyReply, status: number, next: string, error?: string) => {
    const csrf = newSecret()
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...COOKIE_BASE, maxAge: 3600 })
    return sendHtml(reply, status, loginPage({ csrf, next, error, closed: !auth.enabled }))
  }
  r.get('/login', { schema: { hide: true, querystring: LoginQuery } }, async (req, reply) => {
    if (await auth.session(req.cookies[SESSION_COOKIE])) return reply.redirect(safeNext(req.query.next), 303)
    return showLogin(reply, auth.enabled ? 200 : 403, safeNext(req.query.next))
  })
  r.post(
    '/login',
    { schema: { hide: true, body: LoginBody }, config: { rateLimit: { max: SIGN_IN_LIMIT_PER_MINUTE, timeWindow: 60_000 } } },
    async (req, reply) => {
      const next = safeNext(req.body.next)
      if (!auth.enabled) return showLogin(reply, 403, next)
      if (!sameSecret(req.body._csrf, req.cookies[LOGIN_CSRF_COOKIE]))
        return showLogin(reply, 403, next, 'The sign-in form expired; please sign in again.')
      if (!auth.checkAdminToken(req.body.token)) {
        req.log.warn({ ip: req.ip }, 'console: sign-in with a wrong admin token')
        return showLogin(reply, 401, next, 'That is not the admin token.')
      }
      const { cookie: id, session } = await auth.signIn(req.ip)
      req.log.info({ ip: req.ip, session: session.idHash.slice(0, 8) }, 'console: signed in')
      reply.clearCookie(LOGIN_CSRF_COOKIE, COOKIE_BASE)
      reply.setCookie(SESSION_COOKIE, id, { ...COOKIE_BASE, expires: session.expiresAt, maxAge: SESSION_TTL_MS / 1000 })
      return reply.redirect(next, 303)
    },
  )
  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    if (req.consoleSession) await auth.signOut(req.consoleSession)
    reply.clearCookie(SESSION_COOKIE, COOKIE_BASE)
    return reply.redirect('/console/login', 303)
  })
}
