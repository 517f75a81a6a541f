import { Dec } from './decimal.js'
import { explainDifferences } from './audit-explain.js'
import { priceCdr } from './price-cdr.js'
import { ok, type CostTotals, type PricingReport, type Result } from './report.js'
import type { PricingInput } from './types.js'

/**
 * CDR audit (pure part): price the CDR with the operator's tariff (the version valid at its
 * start), compare with the totals the CDR states and flag a dispute when any stated total
 * differs by more than the tolerance. Storage, queueing and the admin API live elsewhere.
 */
export const DEFAULT_TOLERANCE = new Dec('0.01')

export interface ClaimedPrice {
  exclVat: Dec
  /** OCPI makes incl_vat optional; absent = not claimed, not compared */
  inclVat: Dec | null
}

export type TotalName =
  | 'total_cost'
  | 'total_energy_cost'
  | 'total_time_cost'
  | 'total_parking_cost'
  | 'total_fixed_cost'
  | 'total_reservation_cost'

export interface ClaimedTotals {
  /** absent sub-totals are not claimed and not compared */
  totals: Partial<Record<TotalName, ClaimedPrice>>
  /** a credit CDR states negative totals; it is compared with the negated recomputation */
  credit: boolean
}

export interface AuditInput {
  pricing: PricingInput
  claimed: ClaimedTotals
  /** absolute, in the CDR's currency; default 0.01 */
  tolerance?: Dec
}

export interface TotalDifference {
  total: TotalName
  vat: 'excl_vat' | 'incl_vat'
  claimed: Dec
  computed: Dec
  /** claimed − computed: positive means the CPO charges more than its tariff says */
  difference: Dec
  exceedsTolerance: boolean
}

export interface AuditReport {
  disputed: boolean
  tolerance: Dec
  differences: TotalDifference[]
  explanation: string[]
  report: PricingReport
}

export type AuditResult = Result<AuditReport>

export const TOTAL_KEYS: Record<TotalName, keyof CostTotals> = {
  total_cost: 'totalCost',
  total_energy_cost: 'totalEnergyCost',
  total_time_cost: 'totalTimeCost',
  total_parking_cost: 'totalParkingCost',
  total_fixed_cost: 'totalFixedCost',
  total_reservation_cost: 'totalReservationCost',
}

export function auditCdr(input: AuditInput): AuditResult {
  const priced = priceCdr(input.pricing)
  if (!priced.ok) return priced
  const report = priced.value
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE
  const bounds = { above: tolerance, below: tolerance === DEFAULT_TOLERANCE ? MINUS_DEFAULT_TOLERANCE : tolerance.neg() }
  const credit = input.claimed.credit
  const claims = input.claimed.totals
  const differences: TotalDifference[] = []
  // for…in, not Object.entries: the same keys in the same order, without the arrays (runs per audited CDR)
  for (const key in claims) {
    const name = key as TotalName
    const claim = claims[name] as ClaimedPrice
    const computed = report.totals[TOTAL_KEYS[name]]
    // a credit CDR is compared with the negated recomputation; times(1) would only copy the value
    differences.push(compare(name, 'excl_vat', claim.exclVat, credit ? computed.exclVat.times(-1) : computed.exclVat, bounds))
    if (claim.inclVat !== null)
      differences.push(compare(name, 'incl_vat', claim.inclVat, credit ? computed.inclVat.times(-1) : computed.inclVat, bounds))
  }
  const disputed = differences.some((d) => d.exceedsTolerance)
  return ok({ disputed, tolerance, differences, explanation: explainDifferences(report, differences, tolerance), report })
}

const MINUS_DEFAULT_TOLERANCE = DEFAULT_TOLERANCE.neg()

/** |difference| > tolerance, as `difference > tolerance or difference < −tolerance` (no absolute value to build). */
function compare(
  total: TotalName,
  vat: TotalDifference['vat'],
  claimed: Dec,
  computed: Dec,
  bounds: { above: Dec; below: Dec },
): TotalDifference {
  const difference = claimed.minus(computed)
  return { total, vat, claimed, computed, difference, exceedsTolerance: difference.gt(bounds.above) || difference.lt(bounds.below) }
}
