// Contracts: details, vehicle, vouchers ("Add a voucher" → "Check voucher"), IONITY Plus, the
// replacement card and contract deletion. Every contract in a URL is looked up among the logged-in
// customer's own; another customer's is answered as not found.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { cancellationDate, contractDate } from '../../billing/index.js'
import { DomainError, notFound } from '../../platform/errors.js'
import { html } from '../../web/html.js'
import { formatters } from '../context.js'
import { check, field, formBody } from '../forms.js'
import type { PortalRouteDeps } from '../index.js'
import { BASE } from '../layout.js'
import {
  confirmForm,
  contractPath,
  contractSection,
  CONTRACT_ERRORS,
  vehicleForm,
  voucherForm,
  type ContractView,
} from '../pages/contracts.js'
import { customerOf, noticeOf, redirect, render, type Notice } from '../render.js'
import { voucherGives, voucherRefusal } from '../vouchers-text.js'

const Vehicle = z.object({
  vin: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'err.vin'),
  model: field.text(40).transform((m) => m.replace(/^BMW\s+/i, '')),
  deliveryDate: field.day.refine((d) => d >= '2013-01-01', 'err.dateTooEarly'),
})
const VoucherForm = z.object({
  code: z.string().trim().min(1, 'err.voucher.empty').max(64, 'err.tooLong'),
  action: z.enum(['check', 'redeem']).catch('check'),
})

export const contractRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  const { customers, billing, clock } = deps
  const today = () => clock.now().toISOString().slice(0, 10)

  /** The customer's contracts, the current one (the one actions apply to) first. */
  const viewsOf = async (customerId: string): Promise<ContractView[]> => {
    const [{ contracts }, currentId] = await Promise.all([
      customers.getCustomer(customerId),
      billing.account.currentContractId(customerId).catch(() => undefined),
    ])
    const day = today()
    const views = await Promise.all(
      contracts.map(async ({ contract, tokens }) => {
        const pkg = contract.packages.find((p) => p.code === 'IONITY_PLUS' && (!p.endsAt || p.endsAt >= day))
        return {
          contract,
          cards: tokens.filter((tk) => tk.type === 'RFID').sort((x, y) => (x.visualNumber ?? x.uid).localeCompare(y.visualNumber ?? y.uid)),
          vouchers: await billing.vouchers.vouchersOfContract(contract.contractId),
          list: billing.offers.priceList(contract.homeMarket),
          current: contract.contractId === currentId,
          today: day,
          endsIfCancelledToday: cancellationDate(contract.startDate, day),
          ionity: pkg
            ? { bookedAt: pkg.bookedAt, endsAt: pkg.endsAt ?? null, endsIfCancelledToday: cancellationDate(pkg.bookedAt, day) }
            : null,
          ionityContractDatesIfBookedToday: [contractDate(day, 1), contractDate(day, 2)] as [string, string],
        }
      }),
    )
    return views.sort((a, b) => Number(b.current) - Number(a.current))
  }

  /** The contract of the URL if it is the customer's current one; 404 for anyone else's. */
  const ownCurrent = async (req: FastifyRequest): Promise<ContractView> => {
    const id = (req.params as { id?: string }).id ?? ''
    const view = (await viewsOf(customerOf(req))).find((v) => v.contract.contractId === id)
    if (!view) throw notFound('contract_not_found', `No contract ${id}`)
    if (!view.current || view.contract.state === 'terminated')
      throw new DomainError('contract_not_active', 'This contract can no longer be changed', 409)
    return view
  }

  /** A refused action as a notice on the contracts page (its known refusals), else the error page. */
  const refusedAction = async (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof DomainError) || !CONTRACT_ERRORS[err.code]) throw err
    return renderContracts(req, reply, { text: req.portal.ctx.t(CONTRACT_ERRORS[err.code]!), error: true }, 409)
  }
  const renderContracts = async (req: FastifyRequest, reply: FastifyReply, notice = noticeOf(req), status = 200) => {
    const views = await viewsOf(customerOf(req))
    const { ctx } = req.portal
    return render(
      reply,
      ctx,
      {
        title: ctx.t('nav.contracts'),
        current: 'contracts',
        notice,
        body: html`${views.length ? views.map((v) => contractSection(ctx, v)) : html`<p>${ctx.t('contract.none')}</p>`}`,
      },
      status,
    )
  }
  const act = async (req: FastifyRequest, reply: FastifyReply, action: () => Promise<unknown>, done: Notice) => {
    try {
      await action()
    } catch (err) {
      return refusedAction(req, reply, err)
    }
    return redirect(reply, `${BASE}/contracts`, done)
  }

  app.get('/contracts', { schema: { hide: true } }, async (req, reply) => renderContracts(req, reply))

  // Vehicle details
  app.get('/contracts/:id/vehicle', { schema: { hide: true } }, async (req, reply) => {
    const { contract } = await ownCurrent(req)
    const { ctx } = req.portal
    const values = { vin: contract.vehicle.vin, model: contract.vehicle.model, deliveryDate: contract.vehicle.deliveryDate }
    return render(reply, ctx, {
      title: ctx.t('vehicle.editTitle'),
      current: 'contracts',
      body: vehicleForm(ctx, contract.contractId, { values }),
    })
  })
  app.post('/contracts/:id/vehicle', { schema: { hide: true } }, async (req, reply) => {
    const { contract } = await ownCurrent(req)
    const { ctx } = req.portal
    const body = formBody(req.body)
    const checked = check(Vehicle, body)
    if (!checked.ok)
      return render(
        reply,
        ctx,
        {
          title: ctx.t('vehicle.editTitle'),
          current: 'contracts',
          body: vehicleForm(ctx, contract.contractId, { values: body, errors: checked.errors }),
        },
        422,
      )
    return act(req, reply, () => customers.changeVehicle(contract.contractId, checked.data), 'vehicleSaved')
  })

  // Add a voucher: check first (what it gives), then redeem
  app.get('/contracts/:id/vouchers/new', { schema: { hide: true } }, async (req, reply) => {
    const { contract } = await ownCurrent(req)
    const { ctx } = req.portal
    return render(reply, ctx, {
      title: ctx.t('voucher.add'),
      current: 'contracts',
      body: voucherForm(ctx, contract.contractId, { values: {} }),
    })
  })
  app.post(
    '/contracts/:id/vouchers/new',
    { schema: { hide: true }, config: { rateLimit: { max: 20, timeWindow: 60_000 } } },
    async (req, reply) => {
      const { contract } = await ownCurrent(req)
      const { ctx } = req.portal
      const body = formBody(req.body)
      const page = (v: Parameters<typeof voucherForm>[2], status = 200) =>
        render(reply, ctx, { title: ctx.t('voucher.add'), current: 'contracts', body: voucherForm(ctx, contract.contractId, v) }, status)
      const checked = check(VoucherForm, body)
      if (!checked.ok) return page({ values: body, errors: checked.errors }, 422)
      const { code, action } = checked.data
      try {
        if (action === 'redeem') {
          await billing.vouchers.redeem(contract.contractId, code, today())
          return redirect(reply, `${BASE}/contracts`, 'voucherRedeemed')
        }
        const voucher = await billing.vouchers.checkVoucher(code, {
          homeMarket: contract.homeMarket,
          contractId: contract.contractId,
          today: today(),
        })
        return page({
          values: { code: voucher.code },
          checked: ctx.t('voucher.checked', { code: voucher.code, gives: voucherGives(ctx, formatters(ctx.locale), voucher) }),
        })
      } catch (err) {
        return page({ values: body, errors: { code: voucherRefusal(err) } }, 422)
      }
    },
  )

  // IONITY Plus
  app.post('/contracts/:id/ionity-plus', { schema: { hide: true } }, async (req, reply) => {
    await ownCurrent(req)
    return act(req, reply, () => billing.account.bookPackage(customerOf(req)), 'ionityBooked')
  })
  app.post('/contracts/:id/ionity-plus/cancel', { schema: { hide: true } }, async (req, reply) => {
    await ownCurrent(req)
    return act(req, reply, () => billing.account.cancelPackage(customerOf(req)), 'ionityCancelled')
  })

  // Replacement card: the card must be one of this contract's
  const ownCard = async (req: FastifyRequest) => {
    const view = await ownCurrent(req)
    const uid = (req.params as { uid?: string }).uid ?? ''
    const card = view.cards.find((c) => c.uid === uid && c.valid)
    if (!card) throw notFound('card_not_found', `No card ${uid}`)
    return { view, card }
  }
  app.get('/contracts/:id/cards/:uid/replace', { schema: { hide: true } }, async (req, reply) => {
    const { view, card } = await ownCard(req)
    const { ctx } = req.portal
    const fee = formatters(ctx.locale).money(view.list.tariffs[view.contract.tariff].replacementCardFee, 'EUR')
    const name = card.visualNumber ?? card.uid
    return render(reply, ctx, {
      title: ctx.t('cards.replaceTitle'),
      current: 'contracts',
      body: confirmForm(ctx, {
        action: `${contractPath(view.contract.contractId)}/cards/${encodeURIComponent(card.uid)}/replace`,
        text: html`<p>${ctx.t('cards.replaceText', { card: name, fee })}</p>`,
        button: ctx.t('cards.replaceButton'),
      }),
    })
  })
  app.post('/contracts/:id/cards/:uid/replace', { schema: { hide: true } }, async (req, reply) => {
    const { card } = await ownCard(req)
    return act(req, reply, () => billing.account.replaceCard(customerOf(req), card.uid), 'cardReplaced')
  })

  // Contract deletion: it ends on its next contract date
  app.get('/contracts/:id/cancel', { schema: { hide: true } }, async (req, reply) => {
    const view = await ownCurrent(req)
    const { ctx } = req.portal
    const f = formatters(ctx.locale)
    return render(reply, ctx, {
      title: ctx.t('cancel.title'),
      current: 'contracts',
      body: confirmForm(ctx, {
        action: `${contractPath(view.contract.contractId)}/cancel`,
        text: html`<p>${ctx.t('cancel.confirm', { id: view.contract.contractId, date: f.day(view.endsIfCancelledToday) })}</p>`,
        button: ctx.t('cancel.button'),
        danger: true,
      }),
    })
  })
  app.post('/contracts/:id/cancel', { schema: { hide: true } }, async (req, reply) => {
    await ownCurrent(req)
    return act(req, reply, () => billing.account.cancelContract(customerOf(req)), 'contractCancelled')
  })
}
