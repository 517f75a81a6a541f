import type { FastifyInstance } from 'fastify'
import type { LocationsService } from '../locations/index.js'
import type { TokensService } from '../tokens/index.js'
import type { OwnEndpoint } from '../versions/index.js'
import { createCdrsService, type CdrFacts, type CdrsDeps } from './cdrs.service.js'
import { cdrsRoutes } from './cdrs.routes.js'

export type { CdrRecord, StoredCdr } from './cdrs.convert.js'
export { fromOcpiCdr } from './cdrs.convert.js'
export { CDR_INTAKE, readCdrBody, resolveCdr, type HeldFacts } from './cdrs.intake.js'
export type { CdrKey, CdrListFilter } from './cdrs.repository.js'
export { CdrIntakeObject, CdrIntakeSchema, type CdrIntake } from './cdrs.schema.js'
export {
  CDR_RECEIVED_MAX_ATTEMPTS,
  CDR_RECEIVED_QUEUE,
  type CdrFacts,
  type CdrsService,
  type HeldLookups,
  type ReceiveCdrResult,
} from './cdrs.service.js'

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

/** The facts port from the tokens and locations modules' public services. */
export const cdrFactsFrom = (deps: {
  receiver: { countryCode: string; partyId: string }
  tokens: Pick<TokensService, 'findToken'>
  locations: Pick<LocationsService, 'findLocation'>
}): CdrFacts => ({
  token: async (uid, type) => {
    const token = await deps.tokens.findToken(uid, type)
    return token && { ...deps.receiver, contractId: token.contractId }
  },
  location: (countryCode, partyId, locationId) =>
    deps.locations.findLocation({ country_code: countryCode, party_id: partyId, location_id: locationId }),
})
