import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { CustomersService } from '../customers/index.js'
import { contractStanding, hasPackage, type Contract } from '../customers/index.js'
import { CDR_RECEIVED_QUEUE, type CdrsService } from '../ocpi/cdrs/index.js'
import type { LocationsService } from '../ocpi/locations/index.js'
import type { SessionsService } from '../ocpi/sessions/index.js'
import type { TariffsService } from '../ocpi/tariffs/index.js'
import type { TokensService } from '../ocpi/tokens/index.js'
import type { Clock } from '../platform/clock.js'
import { DomainError } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import type { Dec } from '../pricing/index.js'
import { createAuditService } from './audit.service.js'
import { CDR_AUDIT_QUEUE, createRatingService, type RatingContract, type RatingLookups } from './rating.service.js'

export type { Charge, ChargeLine, ChargeKind, RatingStatus } from './rating.repository.js'
export type { RatingService, ListChargesInput, RateOutcome, RatingContract, QuoteEvseInput, EvseQuote, ConnectorQuote, QuoteComponent, SessionEstimate } from './rating.service.js'
export type { AuditService, CdrAudit, TariffSource } from './audit.service.js'
export { CDR_AUDIT_QUEUE } from './rating.service.js'

export interface RatingModuleDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  jobs: JobRunner
  cdrs: Pick<CdrsService, 'findById' | 'findByKey' | 'list'>
  sessions: Pick<SessionsService, 'findByKey'>
  tokens: Pick<TokensService, 'getToken'>
  customers: Pick<CustomersService, 'getContract' | 'getCustomer'>
  locations: Pick<LocationsService, 'findLocation'>
  tariffs: Pick<TariffsService, 'findTariffValidAt'>
  /** AUDIT_TOLERANCE: a CDR total further than this from the tariff's is a dispute. */
  auditTolerance: Dec
}

const absentOn404 = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read()
  } catch (err) {
    if (err instanceof DomainError && err.httpStatus === 404) return undefined
    throw err
  }
}

/** Contract and Location lookups through the other modules' public services. */
const toRatingContract = (c: Contract, day: string): RatingContract => ({
  contractId: c.contractId, customerId: c.customerId, homeMarket: c.homeMarket, tariff: c.tariff,
  packages: hasPackage(c, 'IONITY_PLUS', day) ? ['IONITY_PLUS'] : [],
})

export const ratingLookups = (deps: Pick<RatingModuleDeps, 'tokens' | 'customers' | 'locations' | 'tariffs'>): RatingLookups => {
  const contractById = async (contractId: string, day: string): Promise<RatingContract | undefined> => {
    const found = await absentOn404(() => deps.customers.getContract(contractId))
    return found ? toRatingContract(found.contract, day) : undefined
  }
  return {
    contractById,
    contractOfToken: async (uid, type, day) => {
      const token = await absentOn404(() => deps.tokens.getToken(uid, type))
      return token ? contractById(token.contractId, day) : undefined
    },
    location: (countryCode, partyId, locationId) =>
      deps.locations.findLocation({ country_code: countryCode, party_id: partyId, location_id: locationId }),
    contractOfCustomer: async (customerId, day) => {
      const found = await absentOn404(() => deps.customers.getCustomer(customerId))
      // The contract that may charge today; a customer holds one contract in practice.
      const usable = found?.contracts.find((c) => contractStanding(c.contract, day) === 'ok')
      return usable ? toRatingContract(usable.contract, day) : undefined
    },
    tariffAt: (countryCode, partyId, tariffId, at) => deps.tariffs.findTariffValidAt(countryCode, partyId, tariffId, at),
  }
}

/**
 * The rating area in the product: rates every received CDR (`cdr.received`), audits it against
 * the operator's tariff (`cdr.audit`), and answers charges to billing, quotes and estimates.
 */
export const createRatingModule = (deps: RatingModuleDeps) => {
  const lookups = ratingLookups(deps)
  const service = createRatingService({ ...deps, lookups })
  const audit = createAuditService({ ...deps, lookups, tolerance: deps.auditTolerance })
  deps.jobs.register(CDR_RECEIVED_QUEUE, async (payload) => {
    await service.rateReceived(String(payload.cdrId))
  })
  deps.jobs.register(CDR_AUDIT_QUEUE, async (payload) => {
    await audit.auditStored(String(payload.cdrId))
  })
  return { service, audit }
}
