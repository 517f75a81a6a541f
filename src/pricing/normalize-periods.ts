import { ZERO, type Dec } from './decimal.js'
import { localTime, type LocalTime, type ZoneClock } from './local-time.js'
import type { TariffChoice } from './pick-tariff.js'
import { fail, ok, type Result } from './report.js'
import type { ChargingPeriod, PricingWarning, SessionInput, Tariff } from './types.js'

/**
 * Step "normalize periods": everything the restrictions look at, computed once per period at
 * its start — local wall clock, session time elapsed (wall clock, parking included, from the
 * session start), energy consumed before the period, and the tariff that prices it.
 * Periods are taken as the CPO cut them: they are not split or interpolated.
 */
export interface PeriodContext {
  index: number
  period: ChargingPeriod
  endMs: number | null
  local: LocalTime
  elapsedMs: number
  /** kWh consumed before this period (left at 0 when no tariff restricts on kWh) */
  energyBefore: Dec
  tariff: Tariff
  /** prices ENERGY/TIME/PARKING_TIME/FLAT (any period that is not purely a reservation) */
  hasCharging: boolean
  /** prices RESERVATION_TIME through the reservation elements */
  hasReservation: boolean
}

export interface NormalizedSession {
  periods: PeriodContext[]
  /** reservation time but no charging at all: the reservation expired unused */
  reservationExpired: boolean
  warnings: PricingWarning[]
}

const EMPTY_PERIOD: Omit<ChargingPeriod, 'startMs'> = {
  tariffId: null,
  energyKwh: null,
  timeSeconds: null,
  parkingSeconds: null,
  reservationSeconds: null,
  current: null,
  power: null,
}

const kwhRestricted = new WeakMap<Tariff, boolean>()

/** Cumulative energy is only needed (and only summed) when some element restricts on kWh. */
function restrictsKwh(tariff: Tariff): boolean {
  let uses = kwhRestricted.get(tariff)
  if (uses === undefined) {
    uses = tariff.elements.some((e) => e.restrictions?.minKwh !== undefined || e.restrictions?.maxKwh !== undefined)
    kwhRestricted.set(tariff, uses)
  }
  return uses
}

/** Ten years: every sum of seconds stays far inside the exact integer range of a JS number. */
const MAX_SECONDS = 315_360_000

/** A duration the pricing core cannot price: negative, or longer than ten years. */
function badDuration(p: ChargingPeriod): [string, string] | undefined {
  for (const [name, value] of [
    ['TIME', p.timeSeconds],
    ['PARKING_TIME', p.parkingSeconds],
    ['RESERVATION_TIME', p.reservationSeconds],
  ] as const) {
    if (value === null) continue
    if (value < 0) return [name, 'a duration cannot be negative']
    if (value >= MAX_SECONDS) return [name, 'duration is implausibly long']
  }
  return undefined
}

export function normalizePeriods(session: SessionInput, clock: ZoneClock, tariffs: TariffChoice): Result<NormalizedSession> {
  const warnings: PricingWarning[] = []
  let periods = session.periods
  if (periods.length === 0) {
    // a live session may have no periods yet; one empty period still lets a FLAT fee show
    warnings.push({ code: 'no_charging_periods', message: 'no charging periods; priced as one empty period at the session start' })
    periods = [{ ...EMPTY_PERIOD, startMs: session.startMs }]
  }
  const contexts: PeriodContext[] = []
  const countEnergy = [...tariffs.byId.values()].some(restrictsKwh)
  let energyBefore = ZERO
  for (let i = 0; i < periods.length; i++) {
    const period = periods[i]!
    const next = periods[i + 1]
    const bad = badDuration(period)
    if (bad) return fail('invalid_duration', `period ${i}: ${bad[1]}`, `charging_periods[${i}].dimensions(${bad[0]})`)
    if (next && next.startMs < period.startMs) {
      return fail('periods_not_chronological', `period ${i + 1} starts before period ${i}`, `charging_periods[${i + 1}].start_date_time`)
    }
    if (period.startMs < session.startMs) {
      warnings.push({ code: 'period_before_session_start', message: 'period starts before the session start', periodIndex: i })
    }
    if (session.endMs !== null && period.startMs > session.endMs) {
      warnings.push({ code: 'period_after_session_end', message: 'period starts after the session end', periodIndex: i })
    }
    const hasReservation = period.reservationSeconds !== null
    contexts.push({
      index: i,
      period,
      endMs: next ? next.startMs : session.endMs,
      local: localTime(clock, period.startMs),
      elapsedMs: Math.max(0, period.startMs - session.startMs),
      energyBefore,
      tariff: period.tariffId === null ? tariffs.session : tariffs.byId.get(period.tariffId)!,
      hasCharging: !hasReservation || period.energyKwh !== null || period.timeSeconds !== null || period.parkingSeconds !== null,
      hasReservation,
    })
    if (countEnergy && period.energyKwh !== null) energyBefore = energyBefore.plus(period.energyKwh)
  }
  const reservationExpired = contexts.some((c) => c.hasReservation) && !contexts.some((c) => c.hasCharging)
  return ok({ periods: contexts, reservationExpired, warnings })
}
