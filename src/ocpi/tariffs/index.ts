import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import type { VersionsRegistry } from '../versions/index.js'
import { tariffsRoutes } from './tariffs.routes.js'
import { createTariffsService } from './tariffs.service.js'

export type { TariffsService } from './tariffs.service.js'
export { fromOcpiTariff, readTariffBody, unknownRestrictions } from './tariffs.convert.js'
export { TariffSchema, type Tariff } from './tariffs.schema.js'

/** The Tariffs module (eMSP Receiver): versioned storage and the lookups pricing audits use. */
export const createTariffsModule = (deps: { db: Db; clock: Clock; registry: Pick<VersionsRegistry, 'add'> }) => {
  const service = createTariffsService(deps)
  deps.registry.add({ identifier: 'tariffs', role: 'RECEIVER', path: 'tariffs' })
  return { service, routes: (app: FastifyInstance) => tariffsRoutes(app, { tariffs: service, clock: deps.clock }) }
}
