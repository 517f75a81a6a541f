import { HUNDRED, ONE, SECONDS_PER_HOUR, ZERO, type Dec } from './decimal.js'
import type { BillingDimension, PricedLine, SelectedLine } from './report.js'
import type { Price, PriceComponent } from './types.js'

/**
 * Steps "price the lines" and "apply VAT": cost excl. VAT = billed volume × price (kWh × per kWh,
 * seconds × per hour / 3600, once for a FLAT); VAT per component, incl = excl × (1 + vat/100).
 * A component without `vat` has no VAT applicable, so incl = excl (absent VAT is not 0 %, but both
 * leave the amount unchanged). A line's cost is computed when it is read: the session totals are
 * summed from exact numerators (totals.ts), so pricing does not pay for breakdown lines nobody reads.
 */
const FREE: Price = { exclVat: ZERO, inclVat: ZERO }
const factors = new WeakMap<Dec, Dec>()

/**
 * 1 + vat/100, null = no VAT. One instance per VAT Decimal; the input adapter shares one VAT
 * Decimal per rate, so totals can group lines by factor identity without comparing values.
 */
export function vatFactor(component: PriceComponent): Dec | null {
  const vat = component.vat
  if (vat === null) return null
  let factor = factors.get(vat)
  if (!factor) factors.set(vat, (factor = ONE.plus(vat.div(HUNDRED))))
  return factor
}

export const isTimeDimension = (d: BillingDimension): boolean => d === 'TIME' || d === 'PARKING_TIME' || d === 'RESERVATION_TIME'

/** Cost excl. VAT before the division by 3600 that turns seconds × price-per-hour into money. */
export function costNumerator(line: SelectedLine, component: PriceComponent): Dec {
  return line.dimension === 'FLAT' || line.dimension === 'RESERVATION_FLAT' ? component.price : line.billedVolume.times(component.price)
}

export function lineCost(line: SelectedLine): Price {
  if (line.active === null) return FREE
  const numerator = costNumerator(line, line.active.component)
  const exclVat = isTimeDimension(line.dimension) ? numerator.div(SECONDS_PER_HOUR) : numerator
  const factor = vatFactor(line.active.component)
  return { exclVat, inclVat: factor === null ? exclVat : exclVat.times(factor) }
}

/** A class (not an object literal with a getter) because V8 builds those much faster. */
class LazyCostLine implements PricedLine {
  readonly periodIndex: number
  readonly dimension: BillingDimension
  readonly active: SelectedLine['active']
  readonly volume: Dec
  readonly billedVolume: Dec
  readonly seconds: number | null
  readonly billedSeconds: number | null
  #cost: Price | undefined

  constructor(line: SelectedLine) {
    this.periodIndex = line.periodIndex
    this.dimension = line.dimension
    this.active = line.active
    this.volume = line.volume
    this.billedVolume = line.billedVolume
    this.seconds = line.seconds
    this.billedSeconds = line.billedSeconds
  }

  get cost(): Price {
    return (this.#cost ??= lineCost(this))
  }
}

export function priceLines(lines: readonly SelectedLine[]): PricedLine[] {
  return lines.map((line) => new LazyCostLine(line))
}
