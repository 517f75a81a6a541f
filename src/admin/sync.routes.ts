import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SYNC_MODULES, type SyncService } from '../sync/index.js'

const tags = ['admin: sync']

export const SyncResultView = z
  .object({
    module: z.enum(SYNC_MODULES),
    mode: z.enum(['full', 'delta']),
    objects: z.int(),
    pages: z.int(),
    removed: z.int(),
    errors: z.array(z.string()),
  })
  .meta({ id: 'SyncResult' })

const Params = z.object({ id: z.uuid(), module: z.enum(SYNC_MODULES) })

/** Pull a module from a partner now; answers when the pull is done (200), or 502 if it failed part-way. */
export const syncRoutes = (app: FastifyInstance, deps: { sync: SyncService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/partners/:id/sync/:module',
    {
      schema: {
        tags,
        summary: 'Pull a module from the partner (full, or delta since the last completed pull)',
        params: Params,
        body: z.object({ mode: z.enum(['full', 'delta']) }),
        response: { 200: SyncResultView, 502: SyncResultView },
      },
    },
    async (req, reply) => {
      const { completed, ...result } = await deps.sync.pull(req.params.id, req.params.module, req.body.mode, req.id)
      return reply.code(completed ? 200 : 502).send(result)
    },
  )
}
