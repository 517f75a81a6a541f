import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { TokensService } from '../ocpi/tokens/index.js'
import { TokenView, toTokenView } from './customers.routes.js'

const tags = ['admin: tokens']
const TypeQuery = z.object({ type: z.enum(['RFID', 'APP_USER']).default('RFID') })

/** Token administration: inspect, block (pushed as PATCH valid=false), full re-push to one partner. */
export const tokensAdminRoutes = (app: FastifyInstance, deps: { tokens: TokensService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { tokens } = deps
  const Params = z.object({ uid: z.string().min(1).max(36) })

  r.get(
    '/tokens/:uid',
    { schema: { tags, summary: 'One token', params: Params, querystring: TypeQuery, response: { 200: TokenView } } },
    async (req) => toTokenView(await tokens.getToken(req.params.uid, req.query.type)),
  )
  r.post(
    '/tokens/:uid/block',
    {
      schema: {
        tags,
        summary: 'Block a token (lost card); idempotent',
        params: Params,
        querystring: TypeQuery,
        body: z.object({ reason: z.string().min(1).max(40).optional() }).nullish(),
        response: { 200: TokenView },
      },
    },
    async (req) => toTokenView(await tokens.blockToken(req.params.uid, req.query.type, req.body?.reason ?? 'admin')),
  )
  r.post(
    '/partners/:id/push/tokens',
    {
      schema: {
        tags,
        summary: 'Queue a PUT of every token to one partner (resync)',
        params: z.object({ id: z.uuid() }),
        response: { 202: z.object({ queued: z.number().int() }) },
      },
    },
    async (req, reply) => reply.code(202).send({ queued: await tokens.repushAll(req.params.id) }),
  )
}
