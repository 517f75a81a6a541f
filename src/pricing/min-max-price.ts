import type { PriceCap } from './report.js'
import type { Price, PriceBound, Tariff } from './types.js'

/**
 * Step "apply min/max price" (of the tariff in force at session start) to the session total,
 * independently for excl. and incl. VAT as OCPI 2.2.1 says: min_price first, then max_price
 * (so max wins if a tariff's bounds contradict each other). When a bound has no incl_vat, the
 * incl total moves in proportion to the excl total (same effective VAT); an incl total is never
 * left below its excl total. Per-dimension totals are not clamped.
 */
export function applyMinMaxPrice(total: Price, tariff: Tariff): { total: Price; cap: PriceCap } {
  let result = total
  let applied: PriceCap['applied'] = null
  if (tariff.minPrice) {
    const next = clamp(result, tariff.minPrice, 'min')
    if (next !== result) applied = 'min_price'
    result = next
  }
  if (tariff.maxPrice) {
    const next = clamp(result, tariff.maxPrice, 'max')
    if (next !== result) applied = 'max_price'
    result = next
  }
  return { total: result, cap: { applied, before: total } }
}

function clamp(total: Price, bound: PriceBound, kind: 'min' | 'max'): Price {
  const outside = (value: Price['exclVat'], limit: Price['exclVat']) => (kind === 'min' ? value.lt(limit) : value.gt(limit))
  const exclVat = outside(total.exclVat, bound.exclVat) ? bound.exclVat : total.exclVat
  let inclVat = total.inclVat
  if (bound.inclVat !== null) {
    if (outside(inclVat, bound.inclVat)) inclVat = bound.inclVat
  } else if (exclVat !== total.exclVat) {
    // scale only the VAT part: exact without VAT or with one rate, and never noise on the excl part
    const vat = total.inclVat.minus(total.exclVat)
    inclVat = total.exclVat.isZero() || vat.isZero() ? exclVat : exclVat.plus(vat.div(total.exclVat).times(exclVat))
  }
  if (inclVat.lt(exclVat)) inclVat = exclVat
  if (exclVat === total.exclVat && inclVat === total.inclVat) return total
  return { exclVat, inclVat }
}
