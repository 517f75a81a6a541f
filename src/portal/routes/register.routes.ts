// Registration (pinned at /portal/register). Each step keeps its answers in the visitor's session;
// the last one checks the voucher and the terms. With local accounts nothing is created until the
// e-mail link is confirmed; with OpenID Connect the provider proved the identity, so the contract
// is created at once and the customer is logged in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { HOME_MARKETS, type CreateCustomerInput } from '../../customers/index.js'
import { DomainError } from '../../platform/errors.js'
import { html } from '../../web/html.js'
import { csrfField } from '../../web/form.js'
import { formatters } from '../context.js'
import { ADDRESS_COUNTRIES } from '../countries.js'
import { check, field, formBody, type FieldErrors, type FormBody } from '../forms.js'
import type { PortalRouteDeps } from '../index.js'
import { BASE } from '../layout.js'
import { registrationMail } from '../mails.js'
import { confirmPage, marketPage, personalPage, sentPage, stepPath, tariffPage, vehiclePage, type Step } from '../pages/register.js'
import { redirect, render } from '../render.js'
import type { RegistrationDraft, SessionData } from '../session.js'
import { voucherGives, voucherRefusal } from '../vouchers-text.js'

const Personal = (withPassword: boolean, passwordKept: boolean) =>
  z
    .object({
      name: field.text(100),
      email: field.email,
      password:
        withPassword && !passwordKept ? field.password : field.optional.refine((p) => p === '' || p.length >= 10, 'err.passwordShort'),
      password2: field.optional,
      street: field.text(100),
      postalCode: field.postalCode,
      city: field.text(80),
      country: field.country(ADDRESS_COUNTRIES),
      phone: field.phone,
    })
    .refine((v) => !withPassword || v.password === v.password2, { path: ['password2'], message: 'err.passwordMismatch' })

const Market = z.object({ market: z.enum(HOME_MARKETS, 'err.choose') })
const Tariff = z.object({ tariff: z.enum(['ACTIVE', 'FLEX'], 'err.choose') })
const MAX_DELIVERY_AHEAD_MS = 366 * 86_400_000
const Vehicle = (now: Date) =>
  z.object({
    vin: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'err.vin'),
    model: field.text(40).transform((m) => m.replace(/^BMW\s+/i, '')),
    deliveryDate: field.day
      .refine((d) => d >= '2013-01-01', 'err.dateTooEarly')
      .refine((d) => Date.parse(`${d}T00:00:00Z`) <= now.getTime() + MAX_DELIVERY_AHEAD_MS, 'err.dateTooLate'),
    isNew: field.checkbox,
  })
const Confirm = z.object({
  voucher: field.optional.transform((s) => s.trim()),
  terms: field.checkbox,
  action: z.enum(['check', 'register']).catch('register'),
})

type Complete = Required<Pick<RegistrationDraft, 'personal' | 'market' | 'tariff' | 'vehicle'>> & RegistrationDraft

/** The first step the draft has not answered yet. */
const missingStep = (d: RegistrationDraft, upTo: Step): Step | undefined => {
  if (upTo === 'personal') return undefined
  if (!d.personal) return 'personal'
  if (upTo === 'market') return undefined
  if (!d.market) return 'market'
  if (upTo === 'tariff') return undefined
  if (!d.tariff) return 'tariff'
  if (upTo === 'vehicle') return undefined
  return d.vehicle ? undefined : 'vehicle'
}

export const registerRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  const { billing, accounts, sessions, clock } = deps
  const today = () => clock.now().toISOString().slice(0, 10)
  const data = (req: FastifyRequest): SessionData => req.portal.session?.data ?? {}
  const draftOf = (req: FastifyRequest): RegistrationDraft => data(req).draft ?? {}
  const saveDraft = async (req: FastifyRequest, draft: RegistrationDraft, extra: Partial<SessionData> = {}) => {
    const next = { ...data(req), draft, ...extra }
    await sessions.saveAnonymous(req.portal.sid, next)
  }
  const title = (req: FastifyRequest) => req.portal.ctx.t('register.title')
  const oidcMode = deps.config.auth === 'oidc'

  /**
   * What the steps need before they show: not logged in already; with OpenID Connect an identity
   * from the provider first; the earlier steps answered.
   */
  const gate = (req: FastifyRequest, reply: FastifyReply, step: Step): RegistrationDraft | undefined => {
    const { ctx } = req.portal
    if (req.portal.session?.customerId) {
      void render(reply, ctx, {
        title: title(req),
        body: html`<p>${ctx.t('register.loggedIn')}</p><p><a href="${BASE}/contracts">${ctx.t('nav.contracts')}</a></p>`,
      })
      return undefined
    }
    if (oidcMode && !data(req).identity) {
      void render(reply, ctx, {
        title: title(req),
        body: html`<p>${ctx.t('register.oidcFirst')}</p><p><a class="button" href="${BASE}/auth/oidc?next=${encodeURIComponent(`${BASE}/register`)}">${ctx.t('login.oidc.button')}</a></p>`,
      })
      return undefined
    }
    const draft = draftOf(req)
    const missing = missingStep(draft, step)
    if (missing) {
      void redirect(reply, stepPath(missing))
      return undefined
    }
    return draft
  }

  // 1. Personal data
  const personalView = (req: FastifyRequest, values: FormBody, errors?: FieldErrors) =>
    personalPage(req.portal.ctx, { values, errors, withPassword: !oidcMode, passwordKept: Boolean(draftOf(req).personal?.passwordHash) })

  app.get('/register', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'personal')
    if (!draft) return reply
    const identity = data(req).identity
    const p = draft.personal
    const values: FormBody = p ? { ...p, phone: p.phone ?? '' } : { name: identity?.name ?? '', email: identity?.email ?? '' }
    return render(reply, req.portal.ctx, { title: title(req), body: personalView(req, values) })
  })
  app.post('/register', { schema: { hide: true }, config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (req, reply) => {
    const draft = gate(req, reply, 'personal')
    if (!draft) return reply
    const body = formBody(req.body)
    const kept = draft.personal?.passwordHash
    const checked = check(Personal(!oidcMode, Boolean(kept)), body)
    const refuse = (errors: FieldErrors) =>
      render(reply, req.portal.ctx, { title: title(req), body: personalView(req, { ...body, password: '', password2: '' }, errors) }, 422)
    if (!checked.ok) return refuse(checked.errors)
    const v = checked.data
    if (await accounts.emailTaken(v.email)) return refuse({ email: 'err.emailTaken' })
    const passwordHash = oidcMode ? undefined : v.password ? await accounts.hashPassword(v.password) : kept
    await saveDraft(req, {
      ...draft,
      personal: {
        name: v.name,
        email: v.email,
        passwordHash,
        street: v.street,
        postalCode: v.postalCode,
        city: v.city,
        country: v.country,
        phone: v.phone,
      },
    })
    return redirect(reply, stepPath('market'))
  })

  // 2. Home market
  app.get('/register/market', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'market')
    if (!draft) return reply
    return render(reply, req.portal.ctx, { title: title(req), body: marketPage(req.portal.ctx, { value: draft.market }) })
  })
  app.post('/register/market', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'market')
    if (!draft) return reply
    const checked = check(Market, formBody(req.body))
    if (!checked.ok)
      return render(reply, req.portal.ctx, { title: title(req), body: marketPage(req.portal.ctx, { errors: checked.errors }) }, 422)
    // Another market has other prices: the tariff is chosen again.
    await saveDraft(req, { ...draft, market: checked.data.market, tariff: draft.market === checked.data.market ? draft.tariff : undefined })
    return redirect(reply, stepPath('tariff'))
  })

  // 3. Tariff, with the market's prices
  app.get('/register/tariff', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'tariff')
    if (!draft) return reply
    return render(reply, req.portal.ctx, {
      title: title(req),
      body: tariffPage(req.portal.ctx, { market: draft.market!, list: billing.offers.priceList(draft.market!), value: draft.tariff }),
    })
  })
  app.post('/register/tariff', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'tariff')
    if (!draft) return reply
    const checked = check(Tariff, formBody(req.body))
    if (!checked.ok)
      return render(
        reply,
        req.portal.ctx,
        {
          title: title(req),
          body: tariffPage(req.portal.ctx, {
            market: draft.market!,
            list: billing.offers.priceList(draft.market!),
            errors: checked.errors,
          }),
        },
        422,
      )
    await saveDraft(req, { ...draft, tariff: checked.data.tariff })
    return redirect(reply, stepPath('vehicle'))
  })

  // 4. Vehicle
  app.get('/register/vehicle', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'vehicle')
    if (!draft) return reply
    const v = draft.vehicle
    const values: FormBody = v ? { vin: v.vin, model: v.model, deliveryDate: v.deliveryDate, isNew: v.isNew ? 'yes' : '' } : {}
    return render(reply, req.portal.ctx, {
      title: title(req),
      body: vehiclePage(req.portal.ctx, { values, list: billing.offers.priceList(draft.market!) }),
    })
  })
  app.post('/register/vehicle', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'vehicle')
    if (!draft) return reply
    const body = formBody(req.body)
    const checked = check(Vehicle(clock.now()), body)
    if (!checked.ok)
      return render(
        reply,
        req.portal.ctx,
        {
          title: title(req),
          body: vehiclePage(req.portal.ctx, { values: body, errors: checked.errors, list: billing.offers.priceList(draft.market!) }),
        },
        422,
      )
    await saveDraft(req, { ...draft, vehicle: checked.data })
    return redirect(reply, stepPath('confirm'))
  })

  // 5. Vouchers and terms
  const confirmView = async (req: FastifyRequest, draft: Complete, values: FormBody, errors?: FieldErrors, voucherInfo?: string) =>
    confirmPage(req.portal.ctx, {
      draft,
      list: billing.offers.priceList(draft.market),
      offer: await billing.offers.newVehicleOffer(draft.market, draft.tariff, draft.vehicle),
      values,
      errors,
      voucherInfo,
    })

  app.get('/register/confirm', { schema: { hide: true } }, async (req, reply) => {
    const draft = gate(req, reply, 'confirm') as Complete | undefined
    if (!draft) return reply
    return render(reply, req.portal.ctx, { title: title(req), body: await confirmView(req, draft, { voucher: draft.voucherCode ?? '' }) })
  })
  app.post('/register/confirm', { schema: { hide: true }, config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (req, reply) => {
    const draft = gate(req, reply, 'confirm') as Complete | undefined
    if (!draft) return reply
    const { ctx } = req.portal
    const body = formBody(req.body)
    const v = check(Confirm, body)
    if (!v.ok) return reply.code(400).send()
    const { voucher, terms, action } = v.data
    const refuse = async (errors: FieldErrors, info?: string) =>
      render(reply, ctx, { title: title(req), body: await confirmView(req, draft, body, errors, info) }, 422)
    let voucherInfo: string | undefined
    if (voucher) {
      try {
        voucherInfo = ctx.t('voucher.checked', {
          code: voucher.toUpperCase(),
          gives: voucherGives(
            ctx,
            formatters(ctx.locale),
            await billing.vouchers.checkVoucher(voucher, { homeMarket: draft.market, today: today() }),
          ),
        })
      } catch (err) {
        return refuse({ voucher: voucherRefusal(err) })
      }
    }
    if (action === 'check') {
      if (!voucher) return refuse({ voucher: 'err.voucher.empty' })
      return render(reply, ctx, {
        title: title(req),
        body: await confirmView(req, draft, body, undefined, `${voucherInfo} ${ctx.t('voucher.redeemedAtRegistration')}`),
      })
    }
    if (!terms) return refuse({ terms: 'err.terms' }, voucherInfo)
    const input = await customerInput(draft, ctx.locale)
    const identity = data(req).identity
    if (identity) return finishWithOidc(req, reply, identity, input, voucher)
    const { token } = await accounts.startRegistration({
      ...input,
      passwordHash: draft.personal.passwordHash!,
      voucherCode: voucher || null,
    })
    const link = `${deps.publicUrl()}${BASE}/register/verify?token=${encodeURIComponent(token)}`
    await deps.mail.send(registrationMail(ctx, draft.personal.email, draft.personal.name, link))
    await sessions.saveAnonymous(req.portal.sid, { sentTo: draft.personal.email })
    return redirect(reply, `${BASE}/register/sent`)
  })

  /** The customer and contract of a finished registration; the list's new-vehicle IONITY Plus is booked with it. */
  const customerInput = async (d: Complete, locale: string): Promise<Omit<CreateCustomerInput, 'id' | 'startDate'>> => {
    const offer = await billing.offers.newVehicleOffer(d.market, d.tariff, d.vehicle)
    const p = d.personal
    return {
      name: p.name,
      email: p.email,
      phone: p.phone,
      address: { street: p.street, postalCode: p.postalCode, city: p.city, country: p.country },
      language: locale,
      homeMarket: d.market,
      tariff: d.tariff,
      vehicle: d.vehicle,
      packages: offer.ionityPlusFreeMonths > 0 ? [{ code: 'IONITY_PLUS', bookedAt: today(), endsAt: null }] : [],
    }
  }

  /** Redeems the registration's voucher on the new contract: what it gave, or why not (the contract exists either way). */
  const redeemAfterRegistration = async (contractId: string, code: string | null) => {
    if (!code) return { done: undefined, refused: undefined }
    try {
      const { voucher } = await billing.vouchers.redeem(contractId, code, today())
      return { done: voucher, refused: undefined }
    } catch (err) {
      return { done: undefined, refused: voucherRefusal(err) }
    }
  }

  const finishWithOidc = async (
    req: FastifyRequest,
    reply: FastifyReply,
    identity: NonNullable<SessionData['identity']>,
    input: Omit<CreateCustomerInput, 'id' | 'startDate'>,
    voucher: string,
  ) => {
    const created = await accounts.registerWithOidc(identity, input)
    const redeemed = await redeemAfterRegistration(created.contract.contractId, voucher || null)
    if (redeemed.refused)
      req.log.info({ contractId: created.contract.contractId }, 'voucher of a registration refused after the contract was created')
    const login = await sessions.login(req.portal.sid, created.customer.id, 'oidc')
    reply.header('set-cookie', deps.sessionCookie(login.value, login.maxAgeSeconds))
    return redirect(reply, `${BASE}/contracts`, 'registered')
  }

  app.get('/register/sent', { schema: { hide: true } }, async (req, reply) => {
    const sentTo = data(req).sentTo
    if (!sentTo) return redirect(reply, `${BASE}/register`)
    return render(reply, req.portal.ctx, { title: req.portal.ctx.t('register.sent.title'), body: sentPage(req.portal.ctx, sentTo) })
  })

  // The link in the e-mail shows a button; the POST confirms (a mail scanner opening links creates nothing).
  // The token is in the URL: this route does not log its requests.
  app.get<{ Querystring: { token?: string } }>('/register/verify', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const { ctx } = req.portal
    const token = typeof req.query.token === 'string' ? req.query.token : ''
    if (!token || !(await accounts.linkUsable(token, 'registration')))
      return render(
        reply,
        ctx,
        {
          title: ctx.t('register.verify.title'),
          body: html`<p>${ctx.t('register.verify.invalid')}</p><p><a href="${BASE}/register">${ctx.t('nav.register')}</a></p>`,
        },
        410,
      )
    return render(reply, ctx, {
      title: ctx.t('register.verify.title'),
      body: html`<p>${ctx.t('register.verify.text')}</p><form method="post" action="${BASE}/register/verify">${csrfField(ctx.csrf)}<input type="hidden" name="token" value="${token}"><button type="submit">${ctx.t('register.verify.button')}</button></form>`,
    })
  })
  app.post('/register/verify', { schema: { hide: true }, config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (req, reply) => {
    const { ctx } = req.portal
    const token = formBody(req.body).token ?? ''
    let created
    try {
      created = await accounts.completeRegistration(token)
    } catch (err) {
      if (!(err instanceof DomainError) || !['link_invalid', 'email_taken'].includes(err.code)) throw err
      return render(
        reply,
        ctx,
        {
          title: ctx.t('register.verify.title'),
          body: html`<p>${ctx.t(err.code === 'email_taken' ? 'err.emailTaken' : 'register.verify.invalid')}</p><p><a href="${BASE}/login">${ctx.t('nav.login')}</a></p>`,
        },
        410,
      )
    }
    const f = formatters(ctx.locale)
    const redeemed = await redeemAfterRegistration(created.contract.contractId, created.voucherCode)
    await sessions.saveAnonymous(req.portal.sid, {})
    return render(reply, ctx, {
      title: ctx.t('register.done.title'),
      body: html`<p>${ctx.t('register.done.contract', { contract: created.contract.contractId })}</p>
${redeemed.done ? html`<p class="notice">${ctx.t('register.done.voucher', { code: redeemed.done.code, gives: voucherGives(ctx, f, redeemed.done) })}</p>` : ''}
${redeemed.refused ? html`<p class="notice notice-error">${ctx.t('register.done.voucherRefused', { code: created.voucherCode ?? '', reason: ctx.t(redeemed.refused) })}</p>` : ''}
<p><a class="button" href="${BASE}/login">${ctx.t('nav.login')}</a></p>`,
    })
  })
}
