import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from '../../platform/clock.js'
import { envelopeOf, ok } from '../v221/envelope.js'
import { VersionDetailsSchema, VersionListSchema } from './versions.schema.js'
import type { VersionsRegistry } from './versions.registry.js'

/** GET /ocpi/versions and GET /ocpi/2.2.1 (OCPI 2.2.1 "Versions module"); token A is accepted. */
export const versionsRoutes = (app: FastifyInstance, deps: { registry: VersionsRegistry; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/versions',
    {
      config: { ocpiAccess: 'handshake' },
      schema: { tags: ['ocpi: versions'], summary: 'Versions we support', response: { 200: envelopeOf(VersionListSchema) } },
    },
    async () => ok(deps.registry.versions(), deps.clock.now()),
  )
  r.get(
    '/2.2.1',
    {
      config: { ocpiAccess: 'handshake' },
      schema: { tags: ['ocpi: versions'], summary: 'Our OCPI 2.2.1 endpoints', response: { 200: envelopeOf(VersionDetailsSchema) } },
    },
    async () => ok(deps.registry.details(), deps.clock.now()),
  )
}
