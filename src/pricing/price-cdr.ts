import { applyStepSize } from './step-size.js'
import { formatLocal, localTime, WEEKDAYS, zoneClock, type ZoneClock } from './local-time.js'
import { applyMinMaxPrice } from './min-max-price.js'
import { normalizePeriods, type PeriodContext } from './normalize-periods.js'
import { pickTariffs } from './pick-tariff.js'
import { priceLines } from './cost-lines.js'
import {
  fail,
  ok,
  type CostTotals,
  type PeriodReport,
  type PriceCap,
  type PricedLine,
  type PricingReport,
  type PricingResult,
  type VolumeTotals,
} from './report.js'
import { chargeFlatOnce, selectComponents } from './select-components.js'
import { sumCosts, sumVolumes } from './totals.js'
import type { PricingInput, PricingWarning, SessionInput } from './types.js'

/**
 * Prices a CDR or a session against OCPI 2.2.1 tariffs, the way the CPO should have
 * (OCPI 2.2.1 mod_tariffs and mod_cdrs, "step_size" and "TariffRestrictions").
 * Pure: no clock, no I/O; business outcomes come back as a typed error, never as a throw.
 */
export function priceCdr(input: PricingInput): PricingResult {
  const clock = zoneClock(input.timeZone)
  if (!clock) return fail('invalid_time_zone', `unknown IANA time zone "${input.timeZone}"`, 'time_zone')
  const { session } = input
  const tariffs = pickTariffs(input.tariffs, session.startMs, session.periods, session.currency)
  if (!tariffs.ok) return tariffs
  const normalized = normalizePeriods(session, clock, tariffs.value)
  if (!normalized.ok) return normalized
  const warnings: PricingWarning[] = input.warnings?.length ? [...input.warnings, ...normalized.value.warnings] : normalized.value.warnings

  const selected = selectComponents(normalized.value, warnings)
  const lines = priceLines(applyStepSize(chargeFlatOnce(selected)))
  const costs = sumCosts(lines)
  const capped = applyMinMaxPrice(costs.totalCost, tariffs.value.session)

  costs.totalCost = capped.total
  return ok(
    new Report(
      session,
      tariffs.value.session.id,
      clock,
      costs,
      capped.cap,
      periodReports(normalized.value.periods, lines, clock),
      lines,
      warnings,
    ),
  )
}

/** The report; its volume totals explain the bill and are computed when read (an audit needs only money). */
class Report implements PricingReport {
  readonly currency: string
  readonly timeZone: string
  #volumes: VolumeTotals | undefined

  constructor(
    private readonly session: SessionInput,
    readonly tariffId: string,
    clock: ZoneClock,
    readonly totals: CostTotals,
    readonly priceCap: PriceCap,
    readonly periods: PeriodReport[],
    private readonly lines: readonly PricedLine[],
    readonly warnings: PricingWarning[],
  ) {
    this.currency = session.currency
    this.timeZone = clock.zone
  }

  get volumes(): VolumeTotals {
    return (this.#volumes ??= sumVolumes(this.lines, this.session))
  }
}

function periodReports(periods: readonly PeriodContext[], lines: readonly PricedLine[], clock: ZoneClock): PeriodReport[] {
  const reports: PeriodReport[] = periods.map((ctx) => ({
    index: ctx.index,
    startMs: ctx.period.startMs,
    endMs: ctx.endMs,
    tariffId: ctx.tariff.id,
    local: new LazyLocalStart(clock, ctx.period.startMs, ctx.local.weekday),
    lines: [],
  }))
  for (const line of lines) reports[line.periodIndex]!.lines.push(line)
  return reports
}

/** The local start is for humans only; it is formatted when someone reads it (keeps pricing fast). */
class LazyLocalStart {
  readonly weekday: string
  constructor(
    private readonly clock: ZoneClock,
    private readonly startMs: number,
    weekday: number,
  ) {
    this.weekday = WEEKDAYS[weekday]!
  }

  get dateTime(): string {
    return formatLocal(localTime(this.clock, this.startMs))
  }
}
