import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { EmptyEnvelope, envelopeOf, ok } from '../v221/envelope.js'
import { pageHeaders, PaginationQuery, toPage } from '../v221/pagination.js'
import { callerOf } from '../v221/request-context.js'
import { toOcpiAuthorizationInfo, toOcpiToken } from './tokens.convert.js'
import { AuthorizationInfoSchema, LocationReferencesSchema, TokenSchema, TokenTypeSchema } from './tokens.schema.js'
import type { TokensService } from './tokens.service.js'

const tags = ['ocpi: tokens']

/** Our Tokens Sender endpoints (OCPI 2.2.1 Tokens, OCPI notes §10.2): the list CPOs pull, and real-time authorization. */
export const tokensRoutes = (
  app: FastifyInstance,
  deps: { tokens: TokensService; clock: Clock; pageLimit: number; listUrl: () => string },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { tokens, clock } = deps

  r.get(
    '/2.2.1/tokens',
    {
      schema: {
        tags,
        summary: 'Our tokens, paginated, filtered on last_updated',
        querystring: PaginationQuery,
        response: { 200: envelopeOf(z.array(TokenSchema)), '4xx': EmptyEnvelope },
      },
    },
    async (req, reply) => {
      const page = toPage(req.query, deps.pageLimit)
      const found = await tokens.listPage(page)
      reply.headers(pageHeaders(deps.listUrl(), page, found.tokens.length, found.total, deps.pageLimit))
      return ok(
        found.tokens.map((t) => toOcpiToken(t, tokens.owner)),
        clock.now(),
      )
    },
  )
  r.post(
    '/2.2.1/tokens/:token_uid/authorize',
    {
      schema: {
        tags,
        summary: 'Real-time authorization of one of our tokens (unknown token: HTTP 404 with 2004)',
        params: z.object({ token_uid: z.string().min(1).max(36) }),
        querystring: z.object({ type: TokenTypeSchema.optional() }),
        body: LocationReferencesSchema.nullish(),
        response: { 200: envelopeOf(AuthorizationInfoSchema), '4xx': EmptyEnvelope },
      },
    },
    async (req) => {
      const result = await tokens.authorize({
        partnerId: callerOf(req).partner.id,
        uid: req.params.token_uid,
        type: req.query.type ?? 'RFID',
        location: req.body ?? undefined,
      })
      return ok(toOcpiAuthorizationInfo(result, tokens.owner), clock.now())
    },
  )
}
