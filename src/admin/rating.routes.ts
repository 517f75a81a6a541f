import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AuditService, Charge, RatingService, RatingStatus } from '../rating/index.js'
import { AuditView, toAuditView } from './disputes.routes.js'

const tags = ['admin: rating']

export const ChargeView = z
  .object({
    id: z.string(),
    cdr_id: z.string(),
    contract_id: z.string(),
    customer_id: z.string(),
    kind: z.enum(['CHARGE', 'REVERSAL']),
    rule: z.string(),
    currency: z.string(),
    total: z.string(),
    lines: z.array(
      z.object({ kind: z.string(), quantity: z.string(), unit: z.string(), unit_price: z.string(), amount: z.string(), text: z.string() }),
    ),
    catalog_version: z.string(),
    cdr_start: z.string(),
    cdr_end: z.string(),
    rated_at: z.string(),
    superseded_by: z.string().nullable(),
  })
  .meta({ id: 'Charge' })

export const RatingView = z
  .object({
    cdr_id: z.string(),
    status: z.enum(['RATED', 'UNRATED', 'REJECTED', 'PENDING']),
    reason_code: z.string().nullable(),
    reason: z.string().nullable(),
    attempts: z.number().int(),
    decision: z.enum(['APPROVED', 'REJECTED']).nullable().describe("An operator's decision on a held CDR"),
    decision_note: z.string().nullable(),
    active_charge: ChargeView.nullable(),
    history: z.array(ChargeView),
    audit: AuditView.nullable(),
  })
  .meta({ id: 'CdrRating' })
export type RatingViewJson = z.infer<typeof RatingView>

export const toChargeView = (c: Charge): z.infer<typeof ChargeView> => ({
  id: c.id,
  cdr_id: c.cdrId,
  contract_id: c.contractId,
  customer_id: c.customerId,
  kind: c.kind,
  rule: c.rule,
  currency: c.currency,
  total: c.total.toFixed(2),
  lines: c.lines.map((l) => ({
    kind: l.kind,
    quantity: l.quantity.toFixed(),
    unit: l.unit,
    unit_price: l.unitPrice.toFixed(Math.max(2, l.unitPrice.decimalPlaces())),
    amount: l.amount.toFixed(2),
    text: l.text,
  })),
  catalog_version: c.catalogVersion,
  cdr_start: c.cdrStart.toISOString(),
  cdr_end: c.cdrEnd.toISOString(),
  rated_at: c.ratedAt.toISOString(),
  superseded_by: c.supersededBy,
})

export const toRatingView = (
  cdrId: string,
  r: { status: RatingStatus | null; charges: Charge[]; active: Charge | null },
  audit: Parameters<typeof toAuditView>[0] | undefined,
): RatingViewJson => ({
  cdr_id: cdrId,
  status: r.status?.status ?? 'PENDING',
  reason_code: r.status?.reasonCode ?? null,
  reason: r.status?.reason ?? null,
  attempts: r.status?.attempts ?? 0,
  decision: r.status?.decision ?? null,
  decision_note: r.status?.decisionNote ?? null,
  active_charge: r.active ? toChargeView(r.active) : null,
  history: r.charges.map(toChargeView),
  audit: audit ? toAuditView(audit) : null,
})

const Params = z.object({ id: z.uuid() })

/** Rating of received CDRs: inspect the status, charge history and audit of a CDR; rate it again. */
export const ratingRoutes = (app: FastifyInstance, deps: { rating: RatingService; audit: AuditService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const view = async (cdrId: string) => toRatingView(cdrId, await deps.rating.ratingOf(cdrId), await deps.audit.auditOf(cdrId))

  r.get(
    '/cdrs/:id/rating',
    {
      schema: {
        tags,
        summary: 'Rating status, charge history and audit of a CDR (our CDR id)',
        params: Params,
        response: { 200: RatingView },
      },
    },
    async (req) => view(req.params.id),
  )
  r.post(
    '/cdrs/:id/rerate',
    {
      schema: {
        tags,
        summary: 'Rate a CDR again; the previous charge stays as history (superseded)',
        params: Params,
        response: { 200: RatingView },
      },
    },
    async (req) => {
      await deps.rating.rerate(req.params.id)
      return view(req.params.id)
    },
  )
}
