import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { CustomersService } from '../customers/index.js'
import { CDR_RECEIVED_MAX_ATTEMPTS, CDR_RECEIVED_QUEUE, type CdrsService } from '../ocpi/cdrs/index.js'
import type { LocationsService } from '../ocpi/locations/index.js'
import type { SessionsService } from '../ocpi/sessions/index.js'
import type { TariffsService } from '../ocpi/tariffs/index.js'
import type { TokensService } from '../ocpi/tokens/index.js'
import type { Clock } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import type { Dec } from '../pricing/index.js'
import { createAuditService } from './audit.service.js'
import type { PlausibilityBounds } from './plausibility.js'
import { ratingLookups } from './rating.lookups.js'
import { CDR_AUDIT_QUEUE, createRatingService } from './rating.service.js'

export type { Charge, ChargeLine, ChargeKind, RatingStatus, RatingListItem, RatingListFilter } from './rating.repository.js'
export type {
  RatingService,
  ListChargesInput,
  RateOutcome,
  RatingContract,
  QuoteEvseInput,
  EvseQuote,
  ConnectorQuote,
  QuoteComponent,
  SessionEstimate,
  BulkRerateResult,
} from './rating.service.js'
export type { AuditService, CdrAudit, TariffSource } from './audit.service.js'
export type { PlausibilityBounds } from './plausibility.js'
export { DEFAULT_BOUNDS } from './plausibility.js'
export { CDR_AUDIT_QUEUE } from './rating.service.js'
export { ratingLookups } from './rating.lookups.js'

export interface RatingModuleDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  jobs: JobRunner
  cdrs: Pick<CdrsService, 'findById' | 'findByIds' | 'findByKey' | 'list' | 'resolveNow'>
  sessions: Pick<SessionsService, 'findByKey'>
  tokens: Pick<TokensService, 'findToken' | 'findTokens'>
  customers: Pick<CustomersService, 'findContract' | 'findContracts' | 'contractsOfCustomer'>
  locations: Pick<LocationsService, 'findLocation' | 'findLocations'>
  tariffs: Pick<TariffsService, 'findTariffValidAt' | 'findTariffsValidAt'>
  /** AUDIT_TOLERANCE: a CDR total further than this from the tariff's is a dispute. */
  auditTolerance: Dec
  /** CDR_MAX_*: what a CDR must stay within to be charged automatically. */
  bounds?: PlausibilityBounds
}

/**
 * The rating area in the product: rates every received CDR (`cdr.received`), audits it against
 * the operator's tariff (`cdr.audit`), and answers charges to billing, quotes and estimates.
 */
export const createRatingModule = (deps: RatingModuleDeps) => {
  const lookups = ratingLookups(deps)
  const service = createRatingService({ ...deps, lookups })
  const audit = createAuditService({ ...deps, lookups, tolerance: deps.auditTolerance })
  deps.jobs.register(
    CDR_RECEIVED_QUEUE,
    async (payload, ctx) => {
      const cdrId = String(payload.cdrId)
      try {
        await service.rateReceived(cdrId)
      } catch (err) {
        // The last attempt: the CDR goes on the unrated list with the error, never into limbo.
        if (ctx.attempt < CDR_RECEIVED_MAX_ATTEMPTS) throw err
        await service.markFailed(cdrId, (err as Error).message)
      }
    },
    {
      // A claimed batch is rated in a few statements for all of it; on any error each job runs alone (above).
      batch: (payloads, ctx) =>
        service.rateReceivedMany(
          payloads.map((p) => String(p.cdrId)),
          ctx.complete,
        ),
    },
  )
  deps.jobs.register(
    CDR_AUDIT_QUEUE,
    async (payload) => {
      await audit.auditStored(String(payload.cdrId))
    },
    { batch: (payloads) => audit.auditStoredMany(payloads.map((p) => String(p.cdrId))) },
  )
  return { service, audit }
}
