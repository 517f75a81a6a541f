import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RatingListItem, RatingService } from '../rating/index.js'
import { RatingView, toRatingView } from './rating.routes.js'

const tags = ['admin: rating']
const STATUSES = ['UNRATED', 'PENDING', 'RATED', 'REJECTED'] as const

const ListQuery = z.object({
  rating_status: z
    .enum(STATUSES)
    .default('UNRATED')
    .describe("UNRATED: the operators' exception list (acknowledged, moves no money yet); PENDING: not rated yet"),
  reason_code: z.string().max(100).optional(),
  partner_id: z.uuid().optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const CdrRatingItem = z
  .object({
    id: z.string().describe('Our CDR id, as in the Location header we answered the CPO'),
    partner_id: z.string(),
    country_code: z.string(),
    party_id: z.string(),
    cdr_id: z.string().describe("The CPO's CDR id"),
    received_at: z.string(),
    rating_status: z.enum(STATUSES),
    reason_code: z.string().nullable(),
    reason: z.string().nullable(),
    attempts: z.number().int(),
    updated_at: z.string().nullable(),
    decision: z.enum(['APPROVED', 'REJECTED']).nullable(),
  })
  .meta({ id: 'CdrRatingItem' })

const CdrRatingList = z
  .object({ data: z.array(CdrRatingItem), total: z.number().int(), offset: z.number().int(), limit: z.number().int() })
  .meta({ id: 'CdrRatingList' })

const toItem = (i: RatingListItem): z.infer<typeof CdrRatingItem> => ({
  id: i.cdrId,
  partner_id: i.partnerId,
  country_code: i.key.countryCode,
  party_id: i.key.partyId,
  cdr_id: i.key.cdrId,
  received_at: i.receivedAt.toISOString(),
  rating_status: i.status,
  reason_code: i.reasonCode,
  reason: i.reason,
  attempts: i.attempts,
  updated_at: i.updatedAt?.toISOString() ?? null,
  decision: i.decision,
})

const BulkRerate = z.object({
  reason_code: z.string().max(100).optional().describe('Only CDRs held for this reason (e.g. unknown_contract)'),
  partner_id: z.uuid().optional(),
  limit: z.number().int().min(1).max(5000).default(500).describe('At most this many, oldest first; call again for the rest'),
})
const BulkRerateResult = z
  .object({
    attempted: z.number().int(),
    rated: z.number().int(),
    still_unrated: z.array(z.object({ id: z.string(), reason_code: z.string(), reason: z.string() })),
  })
  .meta({ id: 'BulkRerateResult' })

const Decision = z.object({ decision: z.enum(['APPROVE', 'REJECT']), note: z.string().max(1000).optional() })
const Params = z.object({ id: z.uuid() })

/**
 * CDRs by rating status: the operators' list of unrated CDRs (the exception list: unknown contract,
 * Location not held, implausible, a credit outside the rules, ...), the bulk re-rate once the cause
 * is fixed, and the operator's decision on a held CDR.
 */
export const cdrsAdminRoutes = (app: FastifyInstance, deps: { rating: RatingService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/cdrs',
    {
      schema: {
        tags,
        summary: 'CDRs by rating status, oldest receipt first (X-Total-Count); ?rating_status=UNRATED is the exception list',
        querystring: ListQuery,
        response: { 200: CdrRatingList },
      },
    },
    async (req, reply) => {
      const q = req.query
      const { items, total } = await deps.rating.list({
        status: q.rating_status,
        reasonCode: q.reason_code,
        partnerId: q.partner_id,
        offset: q.offset,
        limit: q.limit,
      })
      reply.header('x-total-count', String(total))
      return { data: items.map(toItem), total, offset: q.offset, limit: q.limit }
    },
  )

  r.post(
    '/cdrs/rerate',
    {
      schema: {
        tags,
        summary: 'Re-rate unrated CDRs once their cause is fixed (a contract created, a Location or rate added)',
        body: BulkRerate,
        response: { 200: BulkRerateResult },
      },
    },
    async (req) => {
      const result = await deps.rating.rerateUnrated({
        reasonCode: req.body.reason_code,
        partnerId: req.body.partner_id,
        limit: req.body.limit,
      })
      return {
        attempted: result.attempted,
        rated: result.rated,
        still_unrated: result.stillUnrated.map((s) => ({ id: s.cdrId, reason_code: s.reasonCode, reason: s.reason })),
      }
    },
  )

  r.post(
    '/cdrs/:id/decision',
    {
      schema: {
        tags,
        summary:
          'Decide on a held CDR: APPROVE rates it although held (implausible, a credit outside the rules), REJECT ends it without moving money',
        params: Params,
        body: Decision,
        response: { 200: RatingView },
      },
    },
    async (req) =>
      toRatingView(req.params.id, await deps.rating.decide(req.params.id, req.body.decision, req.body.note ?? null), undefined),
  )
}
