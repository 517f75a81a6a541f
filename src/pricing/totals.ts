import { Dec, ONE, SECONDS_PER_HOUR, ZERO } from './decimal.js'
import { isTimeDimension, vatFactor } from './cost-lines.js'
import type { BillingDimension, CostTotals, PricedLine, VolumeTotals } from './report.js'
import type { Price, PriceComponent, SessionInput } from './types.js'

/**
 * Step "sum totals": the CDR's cost totals (before min/max price). FLAT of the charging phase →
 * total_fixed_cost; reservation TIME and FLAT → total_reservation_cost (the CDR field includes
 * fixed reservation parts). Each total sums exact numerators per VAT rate and divides time by
 * 3600 and applies VAT once per rate, so it equals the sum of its (exact) breakdown lines.
 */
type TotalKey = Exclude<keyof CostTotals, 'totalCost'>
const TOTAL_OF: Record<BillingDimension, TotalKey> = {
  ENERGY: 'totalEnergyCost',
  TIME: 'totalTimeCost',
  PARKING_TIME: 'totalParkingCost',
  FLAT: 'totalFixedCost',
  RESERVATION_TIME: 'totalReservationCost',
  RESERVATION_FLAT: 'totalReservationCost',
}
const TOTAL_KEYS: readonly TotalKey[] = ['totalEnergyCost', 'totalTimeCost', 'totalParkingCost', 'totalFixedCost', 'totalReservationCost']

/**
 * Lines of one total that share a VAT rate (and unit). Their quantities are summed per price
 * component first — whole seconds as exact integers — so a component used in many periods costs
 * one multiplication, and the division by 3600 and the VAT happen once per bucket.
 */
interface Bucket {
  factor: Dec | null
  perHour: boolean
  components: Map<PriceComponent, { seconds: number; volume: Dec | null }>
}

export function addPrices(a: Price, b: Price): Price {
  return { exclVat: a.exclVat.plus(b.exclVat), inclVat: a.inclVat.plus(b.inclVat) }
}

function addToBucket(buckets: Bucket[], line: PricedLine, component: PriceComponent): void {
  const factor = vatFactor(component)
  const perHour = isTimeDimension(line.dimension)
  let bucket = buckets.find((b) => b.factor === factor && b.perHour === perHour)
  if (!bucket) buckets.push((bucket = { factor, perHour, components: new Map() }))
  const sum = bucket.components.get(component)
  // a FLAT is billed once, so its "quantity" is 1 (ONE)
  const volume = perHour ? null : line.dimension === 'ENERGY' ? line.billedVolume : ONE
  if (!sum) bucket.components.set(component, { seconds: line.billedSeconds ?? 0, volume })
  else if (perHour) sum.seconds += line.billedSeconds!
  else sum.volume = sum.volume!.plus(volume!)
}

function bucketPrice(b: Bucket): Price {
  let numerator: Dec | null = null
  for (const [component, sum] of b.components) {
    const part = (sum.volume ?? new Dec(sum.seconds)).times(component.price)
    numerator = numerator === null ? part : numerator.plus(part)
  }
  const exclVat = b.perHour ? numerator!.div(SECONDS_PER_HOUR) : numerator!
  return { exclVat, inclVat: b.factor === null ? exclVat : exclVat.times(b.factor) }
}

function sumBuckets(buckets: readonly Bucket[]): Price | null {
  let total: Price | null = null
  for (const b of buckets) total = total === null ? bucketPrice(b) : addPrices(total, bucketPrice(b))
  return total
}

export function sumCosts(lines: readonly PricedLine[]): CostTotals {
  const buckets: Record<TotalKey, Bucket[]> = {
    totalEnergyCost: [],
    totalTimeCost: [],
    totalParkingCost: [],
    totalFixedCost: [],
    totalReservationCost: [],
  }
  for (const line of lines) {
    if (line.active !== null) addToBucket(buckets[TOTAL_OF[line.dimension]], line, line.active.component)
  }
  const zero: Price = { exclVat: ZERO, inclVat: ZERO }
  const totals = { totalCost: zero } as CostTotals
  let sum: Price | null = null
  for (const key of TOTAL_KEYS) {
    const total = sumBuckets(buckets[key])
    totals[key] = total ?? zero
    if (total) sum = sum === null ? total : addPrices(sum, total)
  }
  totals.totalCost = sum ?? zero
  return totals
}

export function sumVolumes(lines: readonly PricedLine[], session: SessionInput): VolumeTotals {
  const sum = (dimension: BillingDimension, billed: boolean): Dec => {
    let total = ZERO
    for (const l of lines) {
      // billed volume counts only what was priced: free volume is consumed but not billed
      if (l.dimension === dimension && (!billed || l.active !== null)) total = total.plus(billed ? l.billedVolume : l.volume)
    }
    return total
  }
  return {
    energyKwh: sum('ENERGY', false),
    timeSeconds: sum('TIME', false),
    parkingSeconds: sum('PARKING_TIME', false),
    reservationSeconds: sum('RESERVATION_TIME', false),
    billedEnergyKwh: sum('ENERGY', true),
    billedTimeSeconds: sum('TIME', true),
    billedParkingSeconds: sum('PARKING_TIME', true),
    billedReservationSeconds: sum('RESERVATION_TIME', true),
    sessionSeconds: session.endMs === null ? null : new Dec(session.endMs - session.startMs).div(1000),
  }
}
