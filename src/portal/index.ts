// The customer area (/portal/): server-rendered pages over the customers, billing, rating and
// locations services. This file is the plugin: cookies, form bodies, sessions, CSRF, language,
// security headers, the error pages, and the route groups in order.
import { randomBytes } from 'node:crypto'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { AccountService, InvoicesService, Offers, VouchersService } from '../billing/index.js'
import type { Config } from '../config.js'
import type { AccountsService, CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import { isLocale, negotiateLocale, translator, type Locale } from '../i18n/index.js'
import type { MailModule } from '../mail/index.js'
import type { ReachabilityChecker } from '../ocpi/commands/index.js'
import type { AppLocationQueries } from '../charging/index.js'
import type { Clock } from '../platform/clock.js'
import { DomainError } from '../platform/errors.js'
import type { RatingService } from '../rating/index.js'
import { csrfToken, csrfValid } from '../web/csrf.js'
import { html } from '../web/html.js'
import { portalCatalog } from './catalog.js'
import type { PageContext } from './context.js'
import { BASE } from './layout.js'
import { createOidcLogin } from './oidc.js'
import { render } from './render.js'
import { accountRoutes } from './routes/account.routes.js'
import { authRoutes } from './routes/auth.routes.js'
import { contractRoutes } from './routes/contracts.routes.js'
import { invoiceRoutes } from './routes/invoices.routes.js'
import { mapRoutes } from './routes/map.routes.js'
import { registerRoutes } from './routes/register.routes.js'
import { createSessionStore, newSessionValue, SESSION_COOKIE } from './session.js'
import { PORTAL_CSS } from './styles.js'

export interface PortalDeps {
  config: Config['portal']
  /** Where the service is reached from outside (links in e-mails, the OpenID Connect redirect). */
  publicUrl: () => string
  db: Db
  clock: Clock
  customers: Pick<CustomersService, 'getCustomer' | 'getContract' | 'changeVehicle' | 'changeContact' | 'changePayment'>
  accounts: AccountsService
  billing: { invoices: InvoicesService; vouchers: VouchersService; account: AccountService; offers: Offers }
  mail: Pick<MailModule, 'send'>
  locations: Pick<AppLocationQueries, 'inArea' | 'findPlace'>
  reachability: ReachabilityChecker
  rating: Pick<RatingService, 'quoteEvse'>
}

const LANGUAGE_COOKIE = 'portal_lang'
const SID = /^[A-Za-z0-9_-]{43}$/

/** The security headers of every page: no framing, no foreign scripts or styles, no referrer leaving the site. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
} as const

export const registerPortal = async (app: FastifyInstance, deps: PortalDeps) => {
  const secret = deps.config.secret ? new TextEncoder().encode(deps.config.secret) : randomBytes(32)
  if (!deps.config.secret)
    app.log.warn(
      'PORTAL_SECRET is not set: the customer area signs its forms with a key of this process only; set it when running more than one instance',
    )
  const sessions = createSessionStore({ db: deps.db, clock: deps.clock, ttlHours: deps.config.sessionHours })
  const oidc = deps.config.oidc
    ? createOidcLogin({ ...deps.config.oidc, redirectUri: () => `${deps.publicUrl()}${BASE}/auth/callback` })
    : undefined
  const catalog = portalCatalog

  await app.register(cookie)
  await app.register(formbody)
  await app.register(rateLimit, { global: false })
  app.decorateRequest('portal', null as unknown as FastifyRequest['portal'])

  const contextOf = (req: FastifyRequest, sid: string, customerId: string | null): PageContext => {
    const chosen = req.cookies[LANGUAGE_COOKIE]
    const locale: Locale = isLocale(chosen) ? chosen : negotiateLocale(req.headers['accept-language'])
    return { locale, t: translator(catalog, locale), csrf: csrfToken(secret, sid), customerId, path: req.url, authMode: deps.config.auth }
  }

  app.addHook('onRequest', async (req, reply) => {
    // The stylesheet is public and cached: no session, no cookie.
    if (req.url.startsWith(`${BASE}/assets/`)) {
      req.portal = { sid: '', session: undefined, ctx: contextOf(req, '', null) }
      return
    }
    const given = req.cookies[SESSION_COOKIE]
    const known = given && SID.test(given) ? given : undefined
    const sid = known ?? newSessionValue()
    if (!known) reply.header('set-cookie', sessionCookie(sid))
    // A visitor who came without a cookie has no session to read.
    const session = known ? await sessions.load(known) : undefined
    req.portal = { sid, session, ctx: contextOf(req, sid, session?.customerId ?? null) }
  })

  /** Our own host as the browser sees it: the Host header, or PUBLIC_URL's behind a proxy that rewrites it. */
  const ownHosts = (req: FastifyRequest) => [req.headers.host, new URL(deps.publicUrl()).host]

  // Every form carries the session's CSRF token; a cross-site POST also fails the Origin check.
  app.addHook('preValidation', async (req, reply) => {
    if (req.method !== 'POST') return
    const origin = req.headers.origin
    const sameOrigin = !origin || origin === 'null' ? !origin : ownHosts(req).includes(new URL(origin).host)
    const token = (req.body as Record<string, unknown> | undefined)?._csrf
    if (!sameOrigin || !csrfValid(secret, req.portal.sid, token)) {
      req.log.warn({ origin, sameOrigin }, 'customer area: form refused (CSRF token or origin)')
      return render(
        reply,
        req.portal.ctx,
        {
          title: req.portal.ctx.t('error.expired.title'),
          body: html`<p>${req.portal.ctx.t('error.expired.text')}</p><p><a href="${req.url}">${req.portal.ctx.t('error.expired.reload')}</a></p>`,
        },
        403,
      )
    }
  })

  app.addHook('onSend', async (req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(k)) reply.header(k, v)
    return payload
  })

  installErrorPages(app, contextOf)

  app.get('/assets/portal.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_CSS),
  )
  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply.redirect(req.portal.session?.customerId ? `${BASE}/contracts` : `${BASE}/login`, 303),
  )

  // The language switch: a link, so it works without JavaScript; remembered for a year.
  app.get<{ Params: { locale: string }; Querystring: { back?: string } }>(
    '/language/:locale',
    { schema: { hide: true } },
    async (req, reply) => {
      const { locale } = req.params
      const back =
        typeof req.query.back === 'string' && req.query.back.startsWith(`${BASE}/`) && !req.query.back.startsWith('//')
          ? req.query.back
          : `${BASE}/`
      if (isLocale(locale))
        reply.header('set-cookie', `${LANGUAGE_COOKIE}=${locale}; Path=${BASE}; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax`)
      return reply.redirect(back, 303)
    },
  )

  const shared = { ...deps, sessions, oidc, sessionCookie, clearedSessionCookie }
  authRoutes(app, shared)
  registerRoutes(app, shared)
  await app.register(async (customerArea) => {
    // Every page below needs a login; without one the visitor logs in and comes back.
    customerArea.addHook('preHandler', async (req, reply) => {
      if (!req.portal.session?.customerId) return reply.redirect(`${BASE}/login?next=${encodeURIComponent(req.url)}`, 303)
    })
    contractRoutes(customerArea, shared)
    invoiceRoutes(customerArea, shared)
    accountRoutes(customerArea, shared)
    mapRoutes(customerArea, shared)
  })
}

/** The session cookie: host-only, HTTPS only (browsers treat http://localhost as secure), not readable by scripts. */
const sessionCookie = (value: string, maxAgeSeconds?: number) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Lax${maxAgeSeconds ? `; Max-Age=${maxAgeSeconds}` : ''}`
const clearedSessionCookie = () => `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`

export type PortalRouteDeps = PortalDeps & {
  sessions: ReturnType<typeof createSessionStore>
  oidc: ReturnType<typeof createOidcLogin> | undefined
  sessionCookie: typeof sessionCookie
  clearedSessionCookie: typeof clearedSessionCookie
}

/** Error pages in the visitor's language: not found, too many attempts, bad request, and the rest without details. */
const installErrorPages = (
  app: FastifyInstance,
  contextOf: (req: FastifyRequest, sid: string, customerId: string | null) => PageContext,
) => {
  const ctxOf = (req: FastifyRequest) => req.portal?.ctx ?? contextOf(req, newSessionValue(), null)
  const notFound = (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = ctxOf(req)
    return render(
      reply,
      ctx,
      {
        title: ctx.t('error.notFound.title'),
        body: html`<p>${ctx.t('error.notFound.text')}</p><p><a href="${BASE}/">${ctx.t('error.home')}</a></p>`,
      },
      404,
    )
  }
  app.setNotFoundHandler(notFound)
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const ctx = ctxOf(req)
    if ((err instanceof DomainError && err.httpStatus === 404) || hasZodFastifySchemaValidationErrors(err)) return notFound(req, reply)
    const status = err instanceof DomainError ? err.httpStatus : (err.statusCode ?? 500)
    if (status === 429)
      return render(reply, ctx, { title: ctx.t('error.tooMany.title'), body: html`<p>${ctx.t('error.tooMany.text')}</p>` }, 429)
    if (status < 500) {
      req.log.info({ err }, 'customer area: request refused')
      return render(
        reply,
        ctx,
        {
          title: ctx.t('error.badRequest.title'),
          body: html`<p>${ctx.t('error.badRequest.text')}</p><p><a href="${BASE}/">${ctx.t('error.home')}</a></p>`,
        },
        status,
      )
    }
    req.log.error({ err }, 'customer area: unhandled error')
    return render(reply, ctx, { title: ctx.t('error.server.title'), body: html`<p>${ctx.t('error.server.text', { id: req.id })}</p>` }, 500)
  })
}
