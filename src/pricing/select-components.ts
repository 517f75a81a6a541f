import { Dec, ONE } from './decimal.js'
import type { NormalizedSession, PeriodContext } from './normalize-periods.js'
import type { ActiveComponent, BillingDimension, SelectedLine } from './report.js'
import { restrictionsMatch, type MatchState, type Phase } from './restrictions.js'
import type { PricingWarning, Tariff, TariffDimension } from './types.js'

/**
 * Step "select components per period": for each period and each dimension separately, the
 * active component is the one of the FIRST element (in list order) that has a component of that
 * dimension and whose restrictions all hold. Different dimensions may come from different
 * elements; no matching element means the dimension is free in that period.
 * Every period volume becomes a line (free ones too, so the breakdown explains them); a FLAT line
 * is emitted wherever a FLAT is active and reduced to one per phase by the next step.
 */

const DIMENSIONS: readonly TariffDimension[] = ['ENERGY', 'FLAT', 'TIME', 'PARKING_TIME']
type ElementIndex = Record<TariffDimension, number[]>
const indexCache = new WeakMap<Tariff, ElementIndex>()

/** For each dimension, the elements that have a component of it, in list order. */
function elementsByDimension(tariff: Tariff): ElementIndex {
  let index = indexCache.get(tariff)
  if (!index) {
    index = { ENERGY: [], FLAT: [], TIME: [], PARKING_TIME: [] }
    for (const dimension of DIMENSIONS) {
      tariff.elements.forEach((element, i) => {
        if (element.components[dimension]) index![dimension].push(i)
      })
    }
    indexCache.set(tariff, index)
  }
  return index
}

/**
 * Finds active components for one period in one phase, evaluating each element at most once.
 * A class rather than closures: closures created per period are costly under tsx (keepNames).
 */
class ComponentFinder implements MatchState {
  readonly #verdicts: Int8Array // 0 = not yet evaluated, 1 = match, 2 = no match
  readonly #index: ElementIndex
  #element = 0

  constructor(
    private readonly ctx: PeriodContext,
    readonly phase: Phase,
    readonly reservationExpired: boolean,
    private readonly warnings: PricingWarning[],
  ) {
    this.#verdicts = new Int8Array(ctx.tariff.elements.length)
    this.#index = elementsByDimension(ctx.tariff)
  }

  find(dimension: TariffDimension): ActiveComponent | null {
    const tariff = this.ctx.tariff
    for (const i of this.#index[dimension]) {
      if (this.#verdicts[i] === 0) {
        this.#element = i
        this.#verdicts[i] = restrictionsMatch(tariff.elements[i]!.restrictions, this.ctx, this) ? 1 : 2
      }
      if (this.#verdicts[i] === 1) return { tariffId: tariff.id, elementIndex: i, component: tariff.elements[i]!.components[dimension]! }
    }
    return null
  }

  note(code: 'restriction_unevaluable' | 'period_straddles_restriction', what: string): void {
    const where = `element ${this.#element} of tariff "${this.ctx.tariff.id}"`
    this.warnings.push({
      code,
      message:
        code === 'restriction_unevaluable'
          ? `${where} restricts ${what}, which the period does not report; the element does not apply`
          : `the period's measured ${what} crosses a limit of ${where}; the CPO should have cut the period there`,
      periodIndex: this.ctx.index,
    })
  }
}

function line(ctx: PeriodContext, dimension: BillingDimension, active: ActiveComponent | null, volume: Dec): SelectedLine {
  return { periodIndex: ctx.index, dimension, active, volume, billedVolume: volume, seconds: null, billedSeconds: null }
}

function timeLine(ctx: PeriodContext, dimension: BillingDimension, active: ActiveComponent | null, seconds: number): SelectedLine {
  const volume = new Dec(seconds) // integers below 1e7 take decimal.js's cheap path
  return { periodIndex: ctx.index, dimension, active, volume, billedVolume: volume, seconds, billedSeconds: seconds }
}

export function selectComponents(session: NormalizedSession, warnings: PricingWarning[]): SelectedLine[] {
  const lines: SelectedLine[] = []
  for (const ctx of session.periods) {
    const p = ctx.period
    if (ctx.hasCharging) {
      const finder = new ComponentFinder(ctx, 'charging', session.reservationExpired, warnings)
      if (p.energyKwh !== null) lines.push(line(ctx, 'ENERGY', finder.find('ENERGY'), p.energyKwh))
      if (p.timeSeconds !== null) lines.push(timeLine(ctx, 'TIME', finder.find('TIME'), p.timeSeconds))
      if (p.parkingSeconds !== null) lines.push(timeLine(ctx, 'PARKING_TIME', finder.find('PARKING_TIME'), p.parkingSeconds))
      const flat = finder.find('FLAT')
      if (flat) lines.push(line(ctx, 'FLAT', flat, ONE))
    }
    if (ctx.hasReservation) {
      const finder = new ComponentFinder(ctx, 'reservation', session.reservationExpired, warnings)
      // reservation time is priced by the TIME component of the reservation elements
      lines.push(timeLine(ctx, 'RESERVATION_TIME', finder.find('TIME'), p.reservationSeconds!))
      const flat = finder.find('FLAT')
      if (flat) lines.push(line(ctx, 'RESERVATION_FLAT', flat, ONE))
    }
  }
  return lines
}

/**
 * Step "FLAT once": a FLAT is a per-session fee, billed in the first period where one is active
 * (later active FLATs are dropped, even from other elements). The reservation phase has its own
 * FLAT, so a used reservation bills both (OCPI 2.2.1 reservation examples).
 */
export function chargeFlatOnce(lines: readonly SelectedLine[]): SelectedLine[] {
  let flatSeen = false
  let reservationFlatSeen = false
  return lines.filter((l) => {
    if (l.dimension === 'FLAT') return flatSeen ? false : (flatSeen = true)
    if (l.dimension === 'RESERVATION_FLAT') return reservationFlatSeen ? false : (reservationFlatSeen = true)
    return true
  })
}
