import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AccountService } from '../billing/index.js'
import { TARIFFS } from '../customers/index.js'
import { customerIdOf } from './surface.js'

const tags = ['app: contract']

export const AppContractView = z
  .object({
    contract_id: z.string(),
    home_market: z.string(),
    tariff: z.string(),
    state: z.string(),
    start_date: z.string(),
    end_date: z.string().nullable(),
    vehicle: z.object({ vin: z.string(), model: z.string(), delivery_date: z.string(), is_new: z.boolean() }),
    packages: z.array(z.object({ code: z.string(), booked_at: z.string(), ends_at: z.string().nullable() })),
    cards: z.array(z.object({ uid: z.string(), visual_number: z.string().nullable(), valid: z.boolean() })),
    vouchers: z.array(
      z.object({
        code: z.string(),
        kind: z.string(),
        redeemed_on: z.string(),
        months_left: z.number().int().nullable(),
        credit_left: z.string().nullable(),
        currency: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'AppContract' })

/** Your contract: see it, change the tariff, book/cancel IONITY Plus, replace a card, delete the account. */
export const appContractRoutes = (app: FastifyInstance, deps: { account: AccountService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { account } = deps
  const view = async (customerId: string): Promise<z.infer<typeof AppContractView>> => {
    const { contract: c, cards, vouchers } = await account.contractOf(customerId)
    return {
      contract_id: c.contractId,
      home_market: c.homeMarket,
      tariff: c.tariff,
      state: c.state,
      start_date: c.startDate,
      end_date: c.endDate,
      vehicle: { vin: c.vehicle.vin, model: c.vehicle.model, delivery_date: c.vehicle.deliveryDate, is_new: c.vehicle.isNew },
      packages: c.packages.map((p) => ({ code: p.code, booked_at: p.bookedAt, ends_at: p.endsAt ?? null })),
      cards: cards.map((t) => ({ uid: t.uid, visual_number: t.visualNumber, valid: t.valid })),
      vouchers: vouchers.map((v) => ({
        code: v.code,
        kind: v.kind,
        redeemed_on: v.redeemedOn,
        months_left: v.monthsLeft,
        credit_left: v.creditLeft?.toFixed(2) ?? null,
        currency: v.currency,
      })),
    }
  }

  r.get(
    '/contract',
    { schema: { tags, summary: 'Your contract: tariff, vehicle, packages, cards, vouchers', response: { 200: AppContractView } } },
    async (req) => view(customerIdOf(req)),
  )
  r.patch(
    '/contract',
    { schema: { tags, summary: 'Change your tariff', body: z.object({ tariff: z.enum(TARIFFS) }), response: { 200: AppContractView } } },
    async (req) => {
      await account.changeTariff(customerIdOf(req), req.body.tariff)
      return view(customerIdOf(req))
    },
  )
  r.post(
    '/contract/packages/ionity-plus',
    { schema: { tags, summary: 'Book IONITY Plus from today', response: { 201: AppContractView } } },
    async (req, reply) => {
      await account.bookPackage(customerIdOf(req))
      return reply.code(201).send(await view(customerIdOf(req)))
    },
  )
  r.delete(
    '/contract/packages/ionity-plus',
    { schema: { tags, summary: 'Cancel IONITY Plus: it ends on its next contract date', response: { 200: AppContractView } } },
    async (req) => {
      await account.cancelPackage(customerIdOf(req))
      return view(customerIdOf(req))
    },
  )
  r.post(
    '/contract/cancellation',
    { schema: { tags, summary: 'Cancel your contract: it ends on its next contract date', response: { 200: AppContractView } } },
    async (req) => {
      await account.cancelContract(customerIdOf(req))
      return view(customerIdOf(req))
    },
  )
  r.post(
    '/contract/replacement-card',
    {
      schema: {
        tags,
        summary: 'Order a replacement card: the lost card is blocked; the replacement card fee is billed',
        body: z.object({ replaces_uid: z.string().min(1).max(36) }),
        response: { 201: z.object({ uid: z.string(), visual_number: z.string().nullable(), fee: z.string(), currency: z.string() }) },
      },
    },
    async (req, reply) => {
      const { card, fee, currency } = await account.replaceCard(customerIdOf(req), req.body.replaces_uid)
      return reply.code(201).send({ uid: card.uid, visual_number: card.visualNumber, fee: fee.toFixed(2), currency })
    },
  )
  r.delete(
    '/account',
    { schema: { tags, summary: 'Delete your account: contracts end, personal data is pseudonymised; invoices and CDRs are kept' } },
    async (req, reply) => {
      await account.deleteAccount(customerIdOf(req))
      return reply.code(204).send()
    },
  )
}
