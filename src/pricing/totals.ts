import { Dec, ZERO } from './decimal.js'
import type { BillingDimension, CostTotals, PricedLine, VolumeTotals } from './report.js'
import type { Price, SessionInput } from './types.js'

/**
 * Step "sum totals": the CDR's cost totals from the priced lines (before min/max price).
 * FLAT of the charging phase → total_fixed_cost; reservation TIME and FLAT → total_reservation_cost
 * (the CDR field includes fixed reservation parts).
 */
const TOTAL_OF: Record<BillingDimension, Exclude<keyof CostTotals, 'totalCost'>> = {
  ENERGY: 'totalEnergyCost',
  TIME: 'totalTimeCost',
  PARKING_TIME: 'totalParkingCost',
  FLAT: 'totalFixedCost',
  RESERVATION_TIME: 'totalReservationCost',
  RESERVATION_FLAT: 'totalReservationCost',
}

export function addPrices(a: Price, b: Price): Price {
  return { exclVat: a.exclVat.plus(b.exclVat), inclVat: a.inclVat.plus(b.inclVat) }
}

export function sumCosts(lines: readonly PricedLine[]): CostTotals {
  const zero: Price = { exclVat: ZERO, inclVat: ZERO }
  const totals: CostTotals = {
    totalCost: zero, totalEnergyCost: zero, totalTimeCost: zero,
    totalParkingCost: zero, totalFixedCost: zero, totalReservationCost: zero,
  }
  for (const line of lines) {
    if (line.active === null) continue
    const key = TOTAL_OF[line.dimension]
    totals[key] = addPrices(totals[key], line.cost)
    totals.totalCost = addPrices(totals.totalCost, line.cost)
  }
  return totals
}

export function sumVolumes(lines: readonly PricedLine[], session: SessionInput): VolumeTotals {
  const sum = (dimension: BillingDimension, billed: boolean): Dec =>
    lines.reduce((acc, l) => (l.dimension === dimension ? acc.plus(billed ? l.billedVolume : l.volume) : acc), ZERO)
  return {
    energyKwh: sum('ENERGY', false),
    timeSeconds: sum('TIME', false),
    parkingSeconds: sum('PARKING_TIME', false),
    reservationSeconds: sum('RESERVATION_TIME', false),
    billedEnergyKwh: billedOnly(lines, 'ENERGY'),
    billedTimeSeconds: billedOnly(lines, 'TIME'),
    billedParkingSeconds: billedOnly(lines, 'PARKING_TIME'),
    billedReservationSeconds: billedOnly(lines, 'RESERVATION_TIME'),
    sessionSeconds: session.endMs === null ? null : new Dec(session.endMs - session.startMs).div(1000),
  }
}

/** Billed volume counts only what was priced: free volume is consumed but not billed. */
function billedOnly(lines: readonly PricedLine[], dimension: BillingDimension): Dec {
  let total = ZERO
  for (const l of lines) if (l.dimension === dimension && l.active !== null) total = total.plus(l.billedVolume)
  return total
}
