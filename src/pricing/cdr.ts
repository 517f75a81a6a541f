import type { ClaimedPrice, ClaimedTotals, TotalName } from './audit-cdr.js'
import type { Dec } from './decimal.js'
import type { ChargingPeriod, PricingInput, PricingWarning, SessionInput, Tariff } from './types.js'

/**
 * A Charge Detail Record in its one typed, normalised form: what the CDRs Receiver read from the
 * CPO's CDR (src/ocpi/cdrs, `fromOcpiCdr`) after tolerating its format and resolving what it left
 * out from what we hold. Every later step reads this: the pricing core and the audit (here), the
 * retail rating (src/rating) and, through the charges, billing. Nothing downstream parses OCPI JSON.
 * Defined in the pricing core because it is made of the pricing core's types; produced by the
 * OCPI adapter.
 */
export interface ChargeDetailRecord {
  /** The CPO's key as it sent it (CiStrings: compare case-insensitively). */
  countryCode: string
  partyId: string
  id: string
  startMs: number
  endMs: number
  sessionId: string | null
  token: CdrTokenFacts
  authorizationReference: string | null
  location: CdrLocationFacts
  currency: string
  /** The tariffs embedded in the CDR (the prices at session start), in the pricing model. */
  tariffs: Tariff[]
  periods: ChargingPeriod[]
  totalCost: ClaimedPrice
  totalFixedCost: ClaimedPrice | null
  totalEnergyCost: ClaimedPrice | null
  totalTimeCost: ClaimedPrice | null
  totalParkingCost: ClaimedPrice | null
  totalReservationCost: ClaimedPrice | null
  totalEnergyKwh: Dec
  totalTimeHours: Dec
  totalParkingTimeHours: Dec | null
  credit: boolean
  creditReferenceId: string | null
  lastUpdatedMs: number
  /** What the conversion tolerated that pricing should report (a duplicate component, …). */
  warnings: PricingWarning[]
}

export type PowerType = 'AC_1_PHASE' | 'AC_2_PHASE' | 'AC_2_PHASE_SPLIT' | 'AC_3_PHASE' | 'DC'

export interface CdrTokenFacts {
  countryCode: string
  partyId: string
  uid: string
  type: string
  contractId: string
}

/** Where the session took place, as far as the CDR (or the stored Location) tells. */
export interface CdrLocationFacts {
  id: string
  name: string | null
  address: string | null
  city: string | null
  /** ISO 3166-1 alpha-3; null when neither the CDR nor the stored Location names a country. */
  country: string | null
  evseId: string | null
  evseUid: string | null
  connectorId: string | null
  /** null when neither the CDR nor the stored Location names the connector's power type. */
  powerType: PowerType | null
}

/** The session part the pricing core prices. */
export const sessionOf = (cdr: Pick<ChargeDetailRecord, 'startMs' | 'endMs' | 'currency' | 'periods'>): SessionInput => ({
  startMs: cdr.startMs,
  endMs: cdr.endMs,
  currency: cdr.currency,
  periods: cdr.periods,
})

const TOTALS: readonly [TotalName, keyof ChargeDetailRecord][] = [
  ['total_cost', 'totalCost'],
  ['total_energy_cost', 'totalEnergyCost'],
  ['total_time_cost', 'totalTimeCost'],
  ['total_parking_cost', 'totalParkingCost'],
  ['total_fixed_cost', 'totalFixedCost'],
  ['total_reservation_cost', 'totalReservationCost'],
]

/** The totals the CDR states (absent sub-totals are not claimed), for the audit. */
export const claimsOf = (cdr: ChargeDetailRecord): ClaimedTotals => {
  const totals: ClaimedTotals['totals'] = {}
  for (const [name, key] of TOTALS) {
    const price = cdr[key] as ClaimedPrice | null
    if (price) totals[name] = price
  }
  return { totals, credit: cdr.credit }
}

/** A pricing input for the CDR under the given tariffs in the given zone. */
export const pricingInputOf = (
  cdr: ChargeDetailRecord,
  tariffs: Tariff[],
  timeZone: string,
  warnings: PricingWarning[] = [],
): PricingInput => ({
  tariffs,
  session: sessionOf(cdr),
  timeZone,
  warnings: [...cdr.warnings, ...warnings],
})
