import { Dec, ONE, WH_PER_KWH, ZERO } from './decimal.js'
import type { BillingDimension, SelectedLine } from './report.js'

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
  roundGroup(out, 'ENERGY', WH_PER_KWH)
  const parkingPriced = out.some((l) => l.dimension === 'PARKING_TIME' && isPriced(l))
  roundGroup(out, parkingPriced ? 'PARKING_TIME' : 'TIME', ONE)
  roundGroup(out, 'RESERVATION_TIME', ONE)
  return out
}

function isPriced(l: SelectedLine): boolean {
  return l.active !== null && l.volume.gt(ZERO)
}

/** @param stepsPerUnit how many step units make one volume unit (1000 Wh per kWh, 1 s per s) */
function roundGroup(lines: SelectedLine[], dimension: BillingDimension, stepsPerUnit: Dec): void {
  let total = ZERO
  let last = -1
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (l.dimension === dimension && isPriced(l)) {
      total = total.plus(l.volume)
      last = i
    }
  }
  if (last < 0) return
  const lastLine = lines[last]!
  const step = lastLine.active!.component.stepSize
  if (step <= 0) return
  const stepVolume = new Dec(step).div(stepsPerUnit)
  const surplus = total.div(stepVolume).ceil().times(stepVolume).minus(total)
  if (surplus.isZero()) return
  lines[last] = { ...lastLine, billedVolume: lastLine.billedVolume.plus(surplus) }
}
