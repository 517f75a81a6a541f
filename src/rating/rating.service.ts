// Rating in the product: every CDR is rated with the customer's contract by the pure engine and the
// charge is stored with its lines, rule and price-list version. A CDR that cannot be rated stays
// UNRATED with its reason (nothing billable is stored) until an admin rerates it.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { CdrsService, StoredCdr } from '../ocpi/cdrs/index.js'
import type { Location } from '../ocpi/locations/locations.schema.js'
import type { Clock } from '../platform/clock.js'
import { notFound } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import { defaultCatalog } from './catalog/catalog.js'
import type { Catalog } from './catalog/catalog.types.js'
import { operatorRegistrySeed } from './catalog/operators.seed.js'
import type { OperatorRegistry } from './engine/match-operator.js'
import { rateCdr } from './engine/rate-cdr.js'
import type { LineKind, RatedCdr, RatingResult } from './engine/rating.types.js'
import { fromOcpiRatingCase, type RatingCaseJson } from './rating.convert.js'
import * as repo from './rating.repository.js'
import type { Charge } from './rating.repository.js'

/** The queue the audit runs on, separate from rating so an audit failure never blocks billing. */
export const CDR_AUDIT_QUEUE = 'cdr.audit'

/** What rating needs to know about a contract (the customers module's model, narrowed). */
export interface RatingContract {
  contractId: string
  customerId: string
  homeMarket: 'DE' | 'SI' | 'EE'
  tariff: 'ACTIVE' | 'FLEX'
  /** Packages booked on the day that matters (the CDR's start). */
  packages: 'IONITY_PLUS'[]
}

/** Lookups in other modules, through their public services (wired in index.ts). */
export interface RatingLookups {
  /** The contract a token of ours belongs to, with the packages booked on `day`; undefined if unknown. */
  contractOfToken(uid: string, type: string, day: string): Promise<RatingContract | undefined>
  contractById(contractId: string, day: string): Promise<RatingContract | undefined>
  /** The CPO's Location as we hold it (with EVSEs and connectors), if any. */
  location(countryCode: string, partyId: string, locationId: string): Promise<Location | undefined>
}

export interface RatingDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  cdrs: Pick<CdrsService, 'findById' | 'findByKey'>
  lookups: RatingLookups
  jobs: Pick<JobRunner, 'enqueue' | 'kick'>
  catalog?: Catalog
  operators?: OperatorRegistry
}

export type RateOutcome =
  | { ok: true; charge: Charge }
  | { ok: false; code: string; reason: string }

export interface ListChargesInput {
  contractId: string
  /** CDR end at or after this instant… */
  endedFrom: Date
  /** …and before this one. */
  endedTo: Date
}

const catalogLabel = (v: RatedCdr['catalogVersion']) => `${v.homeMarket}@${v.validFrom}`

/** A stored charge back in the engine's shape, so a credit CDR can reverse exactly what was charged. */
const ratedFromCharge = (charge: Charge, ocpiCdrId: string): RatedCdr => {
  const [homeMarket, validFrom] = charge.catalogVersion.split('@') as ['DE' | 'SI' | 'EE', string]
  return {
    ok: true,
    cdrId: ocpiCdrId,
    currency: charge.currency,
    total: charge.total,
    rule: charge.rule as RatedCdr['rule'],
    lines: charge.lines.map((l) => ({ ...l, kind: l.kind as LineKind })),
    catalogVersion: { homeMarket, validFrom },
  }
}

export const utcDayOf = (at: Date) => at.toISOString().slice(0, 10)

/** The contract JSON of a rating case (rating.convert.ts reads the engine input from it). */
export const contractCase = (c: RatingContract): RatingCaseJson['contract'] => ({ home_market: c.homeMarket, tariff: c.tariff, packages: c.packages })

export const createRatingService = (deps: RatingDeps) => {
  const { db, clock, ids, lookups } = deps
  const catalog = deps.catalog ?? defaultCatalog
  const operators = deps.operators ?? operatorRegistrySeed

  /** The token's contract (authoritative), else the contract id the CDR names. */
  const contractOf = async (cdr: StoredCdr) => {
    const day = utcDayOf(cdr.startDateTime)
    return (await lookups.contractOfToken(cdr.token.uid, cdr.token.type, day)) ?? (await lookups.contractById(cdr.token.contractId, day))
  }

  /** For a credit CDR: the active charge of the CDR it corrects, in the engine's shape. */
  const originalOf = async (cdr: StoredCdr): Promise<RatedCdr | undefined> => {
    if (!cdr.credit || !cdr.creditReferenceId) return undefined
    const original = await deps.cdrs.findByKey({ countryCode: cdr.countryCode, partyId: cdr.partyId, cdrId: cdr.creditReferenceId })
    const charge = original && (await repo.findActiveCharge(db, original.id))
    return charge && original ? ratedFromCharge(charge, original.cdr.id) : undefined
  }

  /** Rates a stored CDR with the engine; pure apart from the lookups. */
  const rateStored = async (cdr: StoredCdr): Promise<RateOutcome> => {
    const contract = await contractOf(cdr)
    if (!contract) {
      return { ok: false, code: 'unknown_contract', reason: `Token ${cdr.token.uid} (${cdr.token.type}) and contract ${cdr.token.contractId} are unknown to us` }
    }
    const location = await lookups.location(cdr.countryCode, cdr.partyId, cdr.cdr.cdr_location.id)
    const parsed = fromOcpiRatingCase({ contract: contractCase(contract), cdr: cdr.cdr, ...(location ? { location } : {}) })
    if (!parsed.ok) return { ok: false, code: parsed.error.code, reason: `${parsed.error.field}: ${parsed.error.message}` }
    const original = await originalOf(cdr)
    const { cdr: ratingCdr, location: ratingLocation } = parsed.value
    const result: RatingResult = rateCdr({
      contract: parsed.value.contract, cdr: ratingCdr, catalog, operators,
      ...(ratingLocation ? { location: ratingLocation } : {}), ...(original ? { original } : {}),
    })
    if (!result.ok) return { ok: false, code: result.code, reason: result.message }
    return {
      ok: true,
      charge: {
        id: ids.uuid(), cdrId: cdr.id, contractId: contract.contractId, customerId: contract.customerId,
        kind: cdr.credit ? 'REVERSAL' : 'CHARGE', rule: result.rule, currency: result.currency, total: result.total,
        lines: [...result.lines], catalogVersion: catalogLabel(result.catalogVersion),
        cdrStart: cdr.startDateTime, cdrEnd: cdr.endDateTime, ratedAt: clock.now(), supersededBy: null,
      },
    }
  }

  const requireCdr = async (cdrId: string) => {
    const cdr = await deps.cdrs.findById(cdrId)
    if (!cdr) throw notFound('cdr_not_found', `No CDR ${cdrId}`)
    return cdr
  }

  const saveOutcome = async (tx: Db, cdrId: string, outcome: RateOutcome) =>
    repo.saveRatingStatus(tx, {
      cdrId,
      status: outcome.ok ? 'RATED' : 'UNRATED',
      reasonCode: outcome.ok ? null : outcome.code,
      reason: outcome.ok ? null : outcome.reason,
      chargeId: outcome.ok ? outcome.charge.id : null,
      updatedAt: clock.now(),
    })

  /**
   * The `cdr.received` job: rates the CDR once. A replay (at-least-once delivery) finds the active
   * charge and stores nothing new; two concurrent runs are settled by the one-active-charge index.
   * The audit job is queued in the same transaction as the outcome.
   */
  const rateReceived = async (cdrId: string): Promise<RateOutcome> => {
    const cdr = await requireCdr(cdrId)
    const held = await repo.findActiveCharge(db, cdrId)
    if (held) return { ok: true, charge: held }
    const outcome = await rateStored(cdr)
    const final = await db.transaction(async (tx): Promise<RateOutcome> => {
      if (outcome.ok && !(await repo.insertCharge(tx, outcome.charge))) {
        // a concurrent run won: its charge, status and audit job are committed with it
        return { ok: true, charge: (await repo.findActiveCharge(tx, cdrId))! }
      }
      await saveOutcome(tx, cdrId, outcome)
      await deps.jobs.enqueue(tx, { queue: CDR_AUDIT_QUEUE, payload: { cdrId }, dedupeKey: cdrId })
      return outcome
    })
    if (!final.ok) deps.log.warn({ cdrId, code: final.code, reason: final.reason }, 'CDR not rated')
    deps.jobs.kick()
    return final
  }

  /**
   * Rates a CDR again (admin). A new charge replaces the active one, which stays as history
   * (`superseded_by`). If rating fails, an existing charge stays active and the failure is
   * answered; a CDR without a charge is (still) UNRATED with the new reason.
   */
  const rerate = async (cdrId: string) => {
    const cdr = await requireCdr(cdrId)
    const outcome = await rateStored(cdr)
    await db.transaction(async (tx) => {
      const old = await repo.findActiveCharge(tx, cdrId, { forUpdate: true })
      if (!outcome.ok && old) return
      if (outcome.ok) {
        if (old) await repo.supersedeCharge(tx, old.id, outcome.charge.id)
        await repo.insertCharge(tx, outcome.charge)
      }
      await saveOutcome(tx, cdrId, outcome)
    })
    return { outcome, ...(await ratingOf(cdrId)) }
  }

  /** The rating state of a CDR: status with reason, and every charge (oldest first). */
  const ratingOf = async (cdrId: string) => {
    await requireCdr(cdrId)
    const [status, history] = await Promise.all([repo.findRatingStatus(db, cdrId), repo.listChargesOfCdr(db, cdrId)])
    return { status: status ?? null, charges: history, active: history.find((c) => c.supersededBy === null) ?? null }
  }

  return {
    rateReceived,
    rerate,
    ratingOf,
    rateStored,
    /**
     * Active charges of a contract whose CDR ended in [endedFrom, endedTo): what billing invoices.
     * Totals and line amounts are Decimals with 2 decimals; a credit CDR's REVERSAL is negative.
     */
    listCharges: (input: ListChargesInput): Promise<Charge[]> => repo.listActiveCharges(db, input),
  }
}

export type RatingService = ReturnType<typeof createRatingService>
