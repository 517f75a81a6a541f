import { Dec, WH_PER_KWH } from './decimal.js'
import type { BillingDimension, SelectedLine } from './report.js'
import type { PriceComponent } from './types.js'

/**
 * Step "apply step_size", once per session and never per period (OCPI 2.2.1 CDR rules):
 * the priced total of a rounding group (lines with an active component and a positive volume)
 * is rounded UP to a multiple of the step_size of the LAST such line, and the surplus is added
 * to that line, so it is charged at that line's price and VAT. Free volume never counts.
 *
 * Rounding groups: ENERGY (step in Wh); TIME and PARKING_TIME together — if any parking time
 * is priced only the parking total is rounded and charging time is billed exactly, otherwise
 * the TIME total is rounded; RESERVATION_TIME on its own. step_size 0 means no rounding.
 */
export function applyStepSize(lines: readonly SelectedLine[]): SelectedLine[] {
  const out = lines.slice()
  roundEnergy(out)
  const parkingPriced = out.some((l) => l.dimension === 'PARKING_TIME' && l.active !== null && l.seconds! > 0)
  roundSeconds(out, parkingPriced ? 'PARKING_TIME' : 'TIME')
  roundSeconds(out, 'RESERVATION_TIME')
  return out
}

/** Index of the last priced line of a dimension, or -1. */
function lastPriced(lines: readonly SelectedLine[], dimension: BillingDimension): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!
    if (l.dimension === dimension && l.active !== null && l.volume.isPositive() && !l.volume.isZero()) return i
  }
  return -1
}

/** Durations are whole seconds (exact integers), so this group needs no decimal arithmetic. */
function roundSeconds(lines: SelectedLine[], dimension: BillingDimension): void {
  const last = lastPriced(lines, dimension)
  if (last < 0) return
  const step = lines[last]!.active!.component.stepSize
  if (step <= 1) return
  let total = 0
  for (const l of lines) if (l.dimension === dimension && l.active !== null) total += l.seconds!
  const surplus = (step - (total % step)) % step
  if (surplus === 0) return
  const billedSeconds = lines[last]!.billedSeconds! + surplus
  lines[last] = { ...lines[last]!, billedSeconds, billedVolume: new Dec(billedSeconds) }
}

const stepKwh = new WeakMap<PriceComponent, Dec>()

function roundEnergy(lines: SelectedLine[]): void {
  const last = lastPriced(lines, 'ENERGY')
  if (last < 0) return
  const component = lines[last]!.active!.component
  if (component.stepSize <= 0) return
  const priced = lines.filter((l) => l.dimension === 'ENERGY' && l.active !== null && l.volume.isPositive() && !l.volume.isZero())
  // whole-Wh volumes add up to whole Wh: nothing to round with a 1 Wh step
  if (component.stepSize === 1 && priced.every((l) => l.volume.decimalPlaces() <= 3)) return
  let step = stepKwh.get(component)
  if (!step) stepKwh.set(component, (step = new Dec(component.stepSize).div(WH_PER_KWH)))
  const total = priced.reduce((sum, l) => sum.plus(l.volume), new Dec(0))
  const remainder = total.mod(step)
  if (remainder.isZero()) return
  lines[last] = { ...lines[last]!, billedVolume: lines[last]!.billedVolume.plus(step.minus(remainder)) }
}
