// Account: address information, payment information, deleting the account.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isValidIban, normalizeIban, type PaymentDetails } from '../../customers/index.js'
import { ADDRESS_COUNTRIES } from '../countries.js'
import { check, field, formBody } from '../forms.js'
import type { PortalRouteDeps } from '../index.js'
import { BASE } from '../layout.js'
import { accountPage, addressForm, deleteForm, paymentForm } from '../pages/account.js'
import { customerOf, noticeOf, redirect, render } from '../render.js'

const Address = z.object({
  name: field.text(100),
  street: field.text(100),
  postalCode: field.postalCode,
  city: field.text(80),
  country: field.country(ADDRESS_COUNTRIES),
  phone: field.phone,
})

const Payment = z.discriminatedUnion(
  'method',
  [
    z.object({
      method: z.literal('SEPA_DIRECT_DEBIT'),
      iban: z
        .string()
        .transform(normalizeIban)
        .refine((s) => s.length > 0, 'err.required')
        .refine(isValidIban, 'err.iban'),
      accountHolder: field.text(70),
      mandate: field.checkbox.refine((v) => v, 'err.mandate'),
    }),
    z.object({ method: z.literal('BANK_TRANSFER') }),
  ],
  'err.choose',
)

export const accountRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  const { customers, accounts, clock } = deps
  const title = (req: FastifyRequest) => req.portal.ctx.t('nav.account')

  app.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const id = customerOf(req)
    const [{ customer }, login] = await Promise.all([customers.getCustomer(id), accounts.loginOf(id)])
    return render(reply, req.portal.ctx, {
      title: title(req),
      current: 'account',
      notice: noticeOf(req),
      body: accountPage(req.portal.ctx, customer, login),
    })
  })

  app.get('/account/address', { schema: { hide: true } }, async (req, reply) => {
    const { customer: c } = await customers.getCustomer(customerOf(req))
    const values = {
      name: c.name,
      street: c.address?.street ?? '',
      postalCode: c.address?.postalCode ?? '',
      city: c.address?.city ?? '',
      country: c.address?.country ?? '',
      phone: c.phone ?? '',
    }
    return render(reply, req.portal.ctx, {
      title: req.portal.ctx.t('account.addressTitle'),
      current: 'account',
      body: addressForm(req.portal.ctx, { values }),
    })
  })
  app.post('/account/address', { schema: { hide: true } }, async (req, reply) => {
    const body = formBody(req.body)
    const checked = check(Address, body)
    if (!checked.ok)
      return render(
        reply,
        req.portal.ctx,
        {
          title: req.portal.ctx.t('account.addressTitle'),
          current: 'account',
          body: addressForm(req.portal.ctx, { values: body, errors: checked.errors }),
        },
        422,
      )
    const v = checked.data
    await customers.changeContact(customerOf(req), {
      name: v.name,
      phone: v.phone,
      address: { street: v.street, postalCode: v.postalCode, city: v.city, country: v.country },
    })
    return redirect(reply, `${BASE}/account`, 'addressSaved')
  })

  app.get('/account/payment', { schema: { hide: true } }, async (req, reply) => {
    const { customer: c } = await customers.getCustomer(customerOf(req))
    const p = c.payment
    const values: Record<string, string> =
      p?.method === 'SEPA_DIRECT_DEBIT'
        ? { method: p.method, iban: p.iban, accountHolder: p.accountHolder, mandate: 'yes' }
        : { method: p?.method ?? '', accountHolder: c.name }
    return render(reply, req.portal.ctx, {
      title: req.portal.ctx.t('account.paymentTitle'),
      current: 'account',
      body: paymentForm(req.portal.ctx, { values }),
    })
  })
  app.post('/account/payment', { schema: { hide: true } }, async (req, reply) => {
    const body = formBody(req.body)
    const checked = check(Payment, body)
    if (!checked.ok)
      return render(
        reply,
        req.portal.ctx,
        {
          title: req.portal.ctx.t('account.paymentTitle'),
          current: 'account',
          body: paymentForm(req.portal.ctx, { values: body, errors: checked.errors }),
        },
        422,
      )
    const id = customerOf(req)
    const now = clock.now()
    const v = checked.data
    const payment: PaymentDetails =
      v.method === 'BANK_TRANSFER'
        ? { method: 'BANK_TRANSFER' }
        : {
            method: 'SEPA_DIRECT_DEBIT',
            iban: v.iban,
            accountHolder: v.accountHolder,
            mandateReference: `BMWC-${id.slice(0, 8).toUpperCase()}-${now.toISOString().replace(/\D/g, '').slice(0, 12)}`,
            mandateSignedOn: now.toISOString().slice(0, 10),
          }
    await customers.changePayment(id, payment)
    return redirect(reply, `${BASE}/account`, 'paymentSaved')
  })

  // Deleting the account: confirmed with the password (or, with OpenID Connect, a checkbox).
  app.get('/account/delete', { schema: { hide: true } }, async (req, reply) => {
    const login = await accounts.loginOf(customerOf(req))
    return render(reply, req.portal.ctx, {
      title: req.portal.ctx.t('account.delete'),
      current: 'account',
      body: deleteForm(req.portal.ctx, { withPassword: login?.method !== 'oidc' }),
    })
  })
  app.post(
    '/account/delete',
    { schema: { hide: true }, config: { rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const id = customerOf(req)
      const body = formBody(req.body)
      const withPassword = (await accounts.loginOf(id))?.method !== 'oidc'
      const refused = withPassword ? !(body.password && (await accounts.checkPassword(id, body.password))) : body.confirm !== 'yes'
      if (refused) {
        const errors = withPassword
          ? { password: body.password ? ('err.passwordWrong' as const) : ('err.required' as const) }
          : { confirm: 'err.deleteConfirm' as const }
        return render(
          reply,
          req.portal.ctx,
          { title: req.portal.ctx.t('account.delete'), current: 'account', body: deleteForm(req.portal.ctx, { withPassword, errors }) },
          422,
        )
      }
      await deps.billing.account.deleteAccount(id)
      await deps.sessions.logoutEverywhere(id)
      reply.header('set-cookie', deps.clearedSessionCookie())
      return redirect(reply, `${BASE}/login`, 'accountDeleted')
    },
  )
}
