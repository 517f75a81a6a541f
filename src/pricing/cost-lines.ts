import { Dec, HUNDRED, ONE, SECONDS_PER_HOUR, ZERO } from './decimal.js'
import type { PricedLine, SelectedLine } from './report.js'
import type { Price, PriceComponent } from './types.js'

/**
 * Steps "price the lines" and "apply VAT": cost excl. VAT = billed volume × price (kWh × per kWh,
 * seconds × per hour / 3600, once for a FLAT); VAT per component, incl = excl × (1 + vat/100).
 * A component without `vat` has no VAT applicable, so incl = excl (absent VAT is not 0 %, but both
 * leave the amount unchanged; the difference matters only for how it is displayed).
 */
const FREE: Price = { exclVat: ZERO, inclVat: ZERO }
const vatFactors = new WeakMap<PriceComponent, Dec>()

function vatFactor(component: PriceComponent): Dec | null {
  if (component.vat === null) return null
  let factor = vatFactors.get(component)
  if (!factor) {
    factor = ONE.plus(component.vat.div(HUNDRED))
    vatFactors.set(component, factor)
  }
  return factor
}

export function lineCost(line: SelectedLine): Price {
  if (line.active === null) return FREE
  const component = line.active.component
  let exclVat: Dec
  switch (line.dimension) {
    case 'ENERGY':
      exclVat = line.billedVolume.times(component.price)
      break
    case 'FLAT':
    case 'RESERVATION_FLAT':
      exclVat = component.price
      break
    default:
      exclVat = line.billedVolume.times(component.price).div(SECONDS_PER_HOUR)
  }
  const factor = vatFactor(component)
  return { exclVat, inclVat: factor === null ? exclVat : exclVat.times(factor) }
}

export function priceLines(lines: readonly SelectedLine[]): PricedLine[] {
  return lines.map((line) => ({ ...line, cost: lineCost(line) }))
}
