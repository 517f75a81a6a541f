import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AccountService, VouchersService } from '../billing/index.js'
import type { Clock } from '../platform/clock.js'
import { customerIdOf } from './surface.js'

/**
 * Redeem a voucher at registration or later (FAQ). Refusals: 404 voucher_unknown, 410
 * voucher_expired, 409 voucher_not_yet_valid / voucher_already_redeemed / voucher_used_up,
 * 422 voucher_not_for_market.
 */
export const appVouchersRoutes = (app: FastifyInstance, deps: { vouchers: VouchersService; account: AccountService; clock: Clock }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/vouchers',
    {
      schema: {
        tags: ['app: contract'],
        summary: 'Redeem a voucher code on your contract',
        body: z.object({ code: z.string().min(1).max(64) }),
        response: {
          201: z.object({
            code: z.string(),
            kind: z.string(),
            credit_amount: z.string().nullable(),
            currency: z.string().nullable(),
            months: z.number().int().nullable(),
          }),
        },
      },
    },
    async (req, reply) => {
      const contractId = await deps.account.currentContractId(customerIdOf(req))
      const { voucher } = await deps.vouchers.redeem(contractId, req.body.code, deps.clock.now().toISOString().slice(0, 10))
      return reply.code(201).send({
        code: voucher.code,
        kind: voucher.kind,
        credit_amount: voucher.creditAmount?.toFixed(2) ?? null,
        currency: voucher.currency,
        months: voucher.months,
      })
    },
  )
}
