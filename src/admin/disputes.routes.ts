import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AuditService, CdrAudit } from '../rating/index.js'

const tags = ['admin: rating']
const Json = z.record(z.string(), z.unknown())

export const AuditView = z
  .object({
    cdr_id: z.string(),
    tariff_source: z.enum(['STORED', 'EMBEDDED', 'NONE']),
    tariff_ids: z.array(z.string()),
    currency: z.string(),
    flagged: z.boolean(),
    total_cost_difference: z.string().nullable(),
    tolerance: z.string(),
    computed_totals: Json.nullable(),
    claimed_totals: Json,
    differences: z.array(Json),
    breakdown: Json,
    reason: z.string().nullable(),
    audited_at: z.string(),
  })
  .meta({ id: 'CdrAudit' })

export const toAuditView = (a: CdrAudit): z.infer<typeof AuditView> => ({
  cdr_id: a.cdrId,
  tariff_source: a.tariffSource,
  tariff_ids: a.tariffIds,
  currency: a.currency,
  flagged: a.flagged,
  total_cost_difference: a.totalCostDifference?.toString() ?? null,
  tolerance: a.tolerance.toString(),
  computed_totals: a.computedTotals,
  claimed_totals: a.claimedTotals,
  differences: a.differences,
  breakdown: a.breakdown,
  reason: a.reason,
  audited_at: a.auditedAt.toISOString(),
})

const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
const DisputesPage = z
  .object({ items: z.array(AuditView), total: z.number().int(), offset: z.number().int(), limit: z.number().int() })
  .meta({ id: 'DisputesPage' })

/** CDR audit disputes (issue 6): CDRs whose totals disagree with the operator's tariff beyond the tolerance. */
export const disputesRoutes = (app: FastifyInstance, deps: { audit: AuditService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/disputes',
    {
      schema: {
        tags,
        summary: 'Disputed CDRs, newest audit first (X-Total-Count)',
        querystring: PageQuery,
        response: { 200: DisputesPage },
      },
    },
    async (req, reply) => {
      const { items, total } = await deps.audit.listDisputes(req.query)
      reply.header('x-total-count', String(total))
      return { items: items.map(toAuditView), total, offset: req.query.offset, limit: req.query.limit }
    },
  )
}
