// Logging in and out (pinned: /portal/login), password reset, and the OpenID Connect round trip.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { formatters } from '../context.js'
import { DomainError } from '../../platform/errors.js'
import { html } from '../../web/html.js'
import { check, field, formBody } from '../forms.js'
import type { PortalRouteDeps } from '../index.js'
import { BASE } from '../layout.js'
import { passwordResetMail } from '../mails.js'
import { forgotPage, loginPage, resetPage } from '../pages/auth.js'
import { noticeOf, redirect, render, safeNext } from '../render.js'

const Login = z.object({
  email: field.text(254),
  password: z.string().min(1, 'err.required').max(200, 'err.tooLong'),
  next: field.optional,
})
const Forgot = z.object({ email: field.email })
const Reset = z
  .object({ token: z.string().min(1).max(100), password: field.password, password2: field.optional })
  .refine((v) => v.password === v.password2, { path: ['password2'], message: 'err.passwordMismatch' })

export const authRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  const { accounts, sessions } = deps
  const perMinute = deps.config.loginRateLimitPerMinute
  const loginTitle = (req: FastifyRequest) => req.portal.ctx.t('login.title')

  /** Replaces the visitor's session by a logged-in one (a new cookie value) and goes on. */
  const logIn = async (req: FastifyRequest, reply: FastifyReply, customerId: string, method: 'password' | 'oidc', next: string) => {
    const login = await sessions.login(req.portal.sid, customerId, method)
    reply.header('set-cookie', deps.sessionCookie(login.value, login.maxAgeSeconds))
    return redirect(reply, safeNext(next))
  }

  app.get<{ Querystring: { next?: string } }>('/login', { schema: { hide: true } }, async (req, reply) => {
    if (req.portal.session?.customerId) return redirect(reply, safeNext(req.query.next))
    return render(reply, req.portal.ctx, {
      title: loginTitle(req),
      notice: noticeOf(req),
      body: loginPage(req.portal.ctx, { values: {}, next: safeNext(req.query.next) }),
    })
  })

  app.post('/login', { schema: { hide: true }, config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } }, async (req, reply) => {
    const { ctx } = req.portal
    if (deps.config.auth !== 'local') return redirect(reply, `${BASE}/login`)
    const body = formBody(req.body)
    const next = safeNext(body.next)
    const checked = check(Login, body)
    if (!checked.ok)
      return render(reply, ctx, { title: loginTitle(req), body: loginPage(ctx, { values: body, errors: checked.errors, next }) }, 422)
    const result = await accounts.login(checked.data.email, checked.data.password)
    if (result.kind === 'ok') return logIn(req, reply, result.customerId, 'password', next)
    req.log.info({ result: result.kind }, 'customer area: login refused')
    const message = result.kind === 'locked' ? ctx.t('login.locked', { time: formatters(ctx.locale).dateTime(result.until) }) : undefined
    return render(
      reply,
      ctx,
      {
        title: loginTitle(req),
        body: loginPage(ctx, {
          values: { email: body.email ?? '' },
          errors: result.kind === 'invalid' ? { password: 'login.invalid' } : undefined,
          message,
          next,
        }),
      },
      result.kind === 'locked' ? 429 : 401,
    )
  })

  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    await sessions.logout(req.portal.sid)
    reply.header('set-cookie', deps.clearedSessionCookie())
    return redirect(reply, `${BASE}/login`, 'loggedOut')
  })

  // Password reset: the same answer whether or not the address has an account.
  app.get('/password/forgot', { schema: { hide: true } }, async (req, reply) =>
    render(reply, req.portal.ctx, { title: req.portal.ctx.t('forgot.title'), body: forgotPage(req.portal.ctx, { values: {} }) }),
  )
  app.post(
    '/password/forgot',
    { schema: { hide: true }, config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const { ctx } = req.portal
      const body = formBody(req.body)
      const checked = check(Forgot, body)
      if (!checked.ok)
        return render(reply, ctx, { title: ctx.t('forgot.title'), body: forgotPage(ctx, { values: body, errors: checked.errors }) }, 422)
      const link = await accounts.requestPasswordReset(checked.data.email)
      if (link)
        await deps.mail.send(
          passwordResetMail(ctx, checked.data.email, `${deps.publicUrl()}${BASE}/password/reset?token=${encodeURIComponent(link.token)}`),
        )
      return render(reply, ctx, {
        title: ctx.t('forgot.title'),
        body: html`<p role="status">${ctx.t('forgot.sent', { email: checked.data.email })}</p><p><a href="${BASE}/login">${ctx.t('nav.login')}</a></p>`,
      })
    },
  )

  // The token is in the URL: this route does not log its requests.
  app.get<{ Querystring: { token?: string } }>('/password/reset', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const { ctx } = req.portal
    const token = typeof req.query.token === 'string' ? req.query.token : ''
    if (!token || !(await accounts.linkUsable(token, 'password_reset')))
      return render(
        reply,
        ctx,
        {
          title: ctx.t('reset.title'),
          body: html`<p>${ctx.t('reset.invalid')}</p><p><a href="${BASE}/password/forgot">${ctx.t('login.forgot')}</a></p>`,
        },
        410,
      )
    return render(reply, ctx, { title: ctx.t('reset.title'), body: resetPage(ctx, { token }) })
  })
  app.post(
    '/password/reset',
    { schema: { hide: true }, config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const { ctx } = req.portal
      const body = formBody(req.body)
      const checked = check(Reset, body)
      if (!checked.ok)
        return render(
          reply,
          ctx,
          { title: ctx.t('reset.title'), body: resetPage(ctx, { token: body.token ?? '', errors: checked.errors }) },
          422,
        )
      try {
        const { customerId } = await accounts.resetPassword(checked.data.token, checked.data.password)
        // Whoever knew the old password is logged out everywhere.
        await sessions.logoutEverywhere(customerId)
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'link_invalid') throw err
        return render(
          reply,
          ctx,
          {
            title: ctx.t('reset.title'),
            body: html`<p>${ctx.t('reset.invalid')}</p><p><a href="${BASE}/password/forgot">${ctx.t('login.forgot')}</a></p>`,
          },
          410,
        )
      }
      return redirect(reply, `${BASE}/login`, 'passwordChanged')
    },
  )

  // OpenID Connect: to the provider with state, nonce and a PKCE challenge kept in the session; back
  // with a code. An identity without a customer goes on to register.
  app.get<{ Querystring: { next?: string } }>(
    '/auth/oidc',
    { schema: { hide: true }, config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      if (!deps.oidc) return redirect(reply, `${BASE}/login`)
      if (req.portal.session?.customerId) return redirect(reply, safeNext(req.query.next))
      const { url, pending } = await deps.oidc.start()
      await sessions.saveAnonymous(req.portal.sid, {
        ...(req.portal.session?.data ?? {}),
        oidc: { ...pending, next: safeNext(req.query.next) },
      })
      return reply.redirect(url, 303)
    },
  )
  app.get(
    '/auth/callback',
    { schema: { hide: true }, logLevel: 'warn', config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const { ctx } = req.portal
      const pending = req.portal.session?.data.oidc
      const failed = () =>
        render(
          reply,
          ctx,
          { title: loginTitle(req), body: loginPage(ctx, { values: {}, next: `${BASE}/contracts`, message: ctx.t('login.oidc.failed') }) },
          400,
        )
      if (!deps.oidc || !pending) return failed()
      let identity
      try {
        identity = await deps.oidc.finish(new URL(req.url, deps.publicUrl()), pending)
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'login_failed') throw err
        req.log.warn({ err }, 'customer area: OpenID Connect login failed')
        return failed()
      }
      const customerId = await accounts.loginWithOidc(identity)
      if (customerId) return logIn(req, reply, customerId, 'oidc', pending.next)
      await sessions.saveAnonymous(req.portal.sid, { identity })
      return redirect(reply, `${BASE}/register`)
    },
  )
}
