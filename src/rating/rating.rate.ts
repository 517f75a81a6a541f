// What one stored CDR charges, decided from the one typed CDR and the rules under which a CDR may
// move money (issue 16): a credit reverses at most what its original charged, once, for the
// original's contract, and only when the original is ours and of the same partner; a non-credit
// CDR is charged automatically only when it is physically plausible. Anything else is an outcome
// with a reason (the CDR stays on the operators' unrated list) until an operator approves it.
import type { CdrsService, StoredCdr } from '../ocpi/cdrs/index.js'
import { fromOcpiCdr } from '../ocpi/cdrs/index.js'
import { maxPowerW, type Location } from '../ocpi/locations/index.js'
import { type Clock, utcDay } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import type { ChargeDetailRecord } from '../pricing/index.js'
import type { Catalog, OperatorRegistry } from '../catalog/index.js'
import { negateRating } from './engine/credit.js'
import { rateCdr } from './engine/rate-cdr.js'
import type { LineKind, RatedCdr } from './engine/rating.types.js'
import { implausibilities, type PlausibilityBounds } from './plausibility.js'
import { ratingCdrOf, ratingLocationOf } from './rating.convert.js'
import { engineContract, type RatingContract, type RatingLookups } from './rating.lookups.js'
import type { CdrKeyOf, Charge } from './rating.repository.js'

export type RateOutcome =
  | { ok: true; charge: Charge /** A reversal: the original it reverses (checked once more under lock). */; reverses?: CdrKeyOf }
  | { ok: false; code: string; reason: string }

export interface RaterDeps {
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  cdrs: Pick<CdrsService, 'findByKey' | 'resolveNow'>
  lookups: RatingLookups
  catalog: Catalog
  operators: OperatorRegistry
  bounds: PlausibilityBounds
  findActiveCharge: (cdrId: string) => Promise<Charge | undefined>
}

const fail = (code: string, reason: string): RateOutcome => ({ ok: false, code, reason })

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

const sameText = (a: string, b: string) => a.toUpperCase() === b.toUpperCase()

/** The connector's power (W, phases included) from the stored Location, for the plausibility bound. */
const connectorPowerW = (location: Location | undefined, cdr: ChargeDetailRecord): number | undefined => {
  const connector = location?.evses
    ?.find((e) => sameText(e.uid, cdr.location.evseUid ?? ''))
    ?.connectors.find((c) => sameText(c.id, cdr.location.connectorId ?? ''))
  return connector ? maxPowerW(connector) : undefined
}

export const createCdrRater = (deps: RaterDeps) => {
  const chargeOf = (
    stored: StoredCdr,
    contract: Pick<Charge, 'contractId' | 'customerId'>,
    rated: RatedCdr,
    kind: Charge['kind'],
  ): Charge => ({
    id: deps.ids.uuid(),
    cdrId: stored.id,
    contractId: contract.contractId,
    customerId: contract.customerId,
    kind,
    rule: rated.rule,
    currency: rated.currency,
    total: rated.total,
    lines: [...rated.lines],
    catalogVersion: catalogLabel(rated.catalogVersion),
    cdrStart: stored.startDateTime,
    cdrEnd: stored.endDateTime,
    ratedAt: deps.clock.now(),
    supersededBy: null,
  })

  /** The engine on the CDR's own figures (a debit, or an approved credit without an original charge). */
  const rateOwnFigures = (
    stored: StoredCdr,
    cdr: ChargeDetailRecord,
    contract: RatingContract,
    location: Location | undefined,
  ): RateOutcome => {
    const rating = ratingCdrOf(cdr)
    if (!rating.ok) return fail(rating.error.code, `${rating.error.field}: ${rating.error.message}`)
    const where = location ? ratingLocationOf(location, cdr.location) : undefined
    if (where && !where.ok) return fail(where.error.code, `${where.error.field}: ${where.error.message}`)
    const result = rateCdr({
      contract: engineContract(contract),
      cdr: rating.value,
      catalog: deps.catalog,
      operators: deps.operators,
      ...(where ? { location: where.value } : {}),
    })
    if (!result.ok) return fail(result.code, result.message)
    return { ok: true, charge: chargeOf(stored, contract, result, cdr.credit ? 'REVERSAL' : 'CHARGE') }
  }

  /** The credit rules: the original must be ours, of the same partner, charged, for the same contract. */
  const rateCredit = async (
    stored: StoredCdr,
    cdr: ChargeDetailRecord,
    contract: RatingContract | undefined,
    location: Location | undefined,
    approved: boolean,
  ): Promise<RateOutcome> => {
    const reference = cdr.creditReferenceId!
    const originalKey = { countryCode: stored.countryCode, partyId: stored.partyId, cdrId: reference.toUpperCase() }
    const original = await deps.cdrs.findByKey(originalKey)
    const ownFigures = () =>
      contract
        ? rateOwnFigures(stored, cdr, contract, location)
        : fail(
            'unknown_contract',
            `Token ${stored.token.uid} (${stored.token.type}) and contract ${stored.token.contractId} are unknown to us`,
          )
    if (!original)
      return approved
        ? ownFigures()
        : fail(
            'credit_original_unknown',
            `Credit CDR ${cdr.id} reverses CDR ${reference}, which we never received: it moves no money until an operator decides`,
          )
    if (original.partnerId !== stored.partnerId && !approved) {
      return fail('credit_original_other_partner', `Credit CDR ${cdr.id} reverses CDR ${reference}, which another partner sent us`)
    }
    const charge = await deps.findActiveCharge(original.id)
    if (!charge)
      return approved
        ? ownFigures()
        : fail(
            'credit_original_unrated',
            `Credit CDR ${cdr.id} reverses CDR ${reference}, which has charged nothing (it is not rated): rate it, then re-rate the credit`,
          )
    const otherToken =
      !sameText(stored.token.uid, original.token.uid) || (contract !== undefined && contract.contractId !== charge.contractId)
    if (otherToken && !approved) {
      return fail(
        'credit_contract_mismatch',
        `Credit CDR ${cdr.id} names token ${stored.token.uid}${contract ? ` (contract ${contract.contractId})` : ''}, but CDR ${reference} charged contract ${charge.contractId}`,
      )
    }
    if (charge.kind === 'REVERSAL') return fail('credit_original_mismatch', `Credit CDR ${cdr.id} names CDR ${reference}, itself a credit`)
    const reversed = negateRating(cdr.id, ratedFromCharge(charge, original.ocpi.id), `the rating of CDR ${original.ocpi.id}`)
    // For the original's contract, whatever the credit's token says: at most what the original charged.
    return { ok: true, charge: chargeOf(stored, charge, reversed, 'REVERSAL'), reverses: originalKey }
  }

  /**
   * What a stored CDR charges now: completed again from what we hold (a Location or token may have
   * arrived since), then the credit rules or the plausibility check (skipped when an operator
   * approved the CDR), then the engine. Business outcomes are returned, never thrown.
   */
  const rateStored = async (stored: StoredCdr, approved: boolean, batch?: RatingLookups): Promise<RateOutcome> => {
    const lookups = batch ?? deps.lookups
    const cdr = fromOcpiCdr(await deps.cdrs.resolveNow(stored, batch))
    const day = utcDay(stored.startDateTime)
    const [token, location] = await Promise.all([
      lookups.token(stored.token.uid, stored.token.type),
      lookups.location(stored.countryCode, stored.partyId, cdr.location.id),
    ])
    const issuedAt = token?.createdAt
    // The token's contract is authoritative, else the contract id the CDR names.
    const byToken = token ? await lookups.contractById(token.contractId, day) : undefined
    const contract = byToken ?? (await lookups.contractById(stored.token.contractId, day))
    if (cdr.credit) return rateCredit(stored, cdr, contract, location, approved)
    if (!contract)
      return fail(
        'unknown_contract',
        `Token ${stored.token.uid} (${stored.token.type}) and contract ${stored.token.contractId} are unknown to us`,
      )
    if (!approved) {
      const started = new Date(`${contract.startDate}T00:00:00Z`)
      const usableFrom = issuedAt && issuedAt < started ? issuedAt : started
      const problems = implausibilities(
        cdr,
        { now: deps.clock.now(), tokenUsableFrom: usableFrom, connectorMaxPowerW: connectorPowerW(location, cdr) },
        deps.bounds,
      )
      if (problems.length > 0) return fail('implausible_cdr', `Held for an operator: ${problems.join('; ')}`)
    }
    return rateOwnFigures(stored, cdr, contract, location)
  }

  return { rateStored }
}
