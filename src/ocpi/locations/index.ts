import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import type { VersionsRegistry } from '../versions/index.js'
import { locationsRoutes } from './locations.routes.js'
import { createLocationsService } from './locations.service.js'

export type { LocationsService, WriteOutcome } from './locations.service.js'
export type { LocationSearch } from './locations.queries.js'
export { maxPowerW, readLocationsBody } from './locations.convert.js'
export { LocationSchema, type Location } from './locations.schema.js'

/** The Locations module (eMSP Receiver): push endpoints, pulled-object storage, search. */
export const createLocationsModule = (deps: { db: Db; clock: Clock; log: FastifyBaseLogger; registry: Pick<VersionsRegistry, 'add'> }) => {
  const service = createLocationsService(deps)
  deps.registry.add({ identifier: 'locations', role: 'RECEIVER', path: 'locations' })
  return { service, routes: (app: FastifyInstance) => locationsRoutes(app, { locations: service, clock: deps.clock }) }
}
