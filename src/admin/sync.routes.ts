import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CountryCodeSchema, PartyIdSchema, ciString } from '../ocpi/wire.js'
import { SYNC_MODULES, type SyncService } from '../ocpi/sync/index.js'

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
const LocationParams = z.object({ id: z.uuid(), country_code: CountryCodeSchema, party_id: PartyIdSchema, location_id: ciString(36) })
const PulledObject = z
  .object({ module: z.literal('locations'), outcome: z.enum(['created', 'updated', 'ignored']) })
  .meta({ id: 'PulledObject' })

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
  r.post(
    '/partners/:id/sync/locations/:country_code/:party_id/:location_id',
    {
      schema: {
        tags,
        summary:
          'Fetch one Location from the partner (GET on its Locations Sender) and store it; 404 not_at_partner if the partner does not know it',
        params: LocationParams,
        response: { 200: PulledObject },
      },
    },
    async (req) => {
      const { id, country_code, party_id, location_id } = req.params
      const pulled = await deps.sync.pullLocation(id, { countryCode: country_code, partyId: party_id, locationId: location_id }, req.id)
      return { module: pulled.module, outcome: pulled.outcome as 'created' | 'updated' | 'ignored' }
    },
  )
}
