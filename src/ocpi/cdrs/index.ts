import type { FastifyInstance } from 'fastify'
import type { OwnEndpoint } from '../versions/versions.registry.js'
import { createCdrsService, type CdrsDeps } from './cdrs.service.js'
import { cdrsRoutes } from './cdrs.routes.js'

export type { CdrRecord, StoredCdr } from './cdrs.convert.js'
export type { CdrKey, CdrListFilter } from './cdrs.repository.js'
export { CDR_RECEIVED_QUEUE, type CdrsService, type ReceiveCdrResult } from './cdrs.service.js'

/** The CDRs module: our CDRs Receiver endpoint, the durable hand-off to rating, and CDR lookups. */
export const createCdrsModule = (deps: CdrsDeps & { registry: { add: (e: OwnEndpoint) => void; moduleUrl: (path: string) => string } }) => {
  const service = createCdrsService(deps)
  deps.registry.add({ identifier: 'cdrs', role: 'RECEIVER', path: 'cdrs' })
  return {
    service,
    routes: (app: FastifyInstance) =>
      cdrsRoutes(app, { cdrs: service, clock: deps.clock, cdrUrl: (id) => deps.registry.moduleUrl(`cdrs/${id}`) }),
  }
}
