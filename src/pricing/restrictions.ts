import type { Dec } from './decimal.js'
import type { PeriodContext } from './normalize-periods.js'
import type { MeasuredRange, Restrictions } from './types.js'

/**
 * Whether all restrictions of an element hold at the start of a period (they are AND-ed).
 * Boundaries follow OCPI 2.2.1: start values inclusive, end values exclusive.
 */
export type Phase = 'charging' | 'reservation'

const SECONDS_PER_MINUTE = 60

export interface MatchState {
  phase: Phase
  reservationExpired: boolean
  /** called when a current/power restriction cannot be decided cleanly for the whole period */
  note: (code: 'restriction_unevaluable' | 'period_straddles_restriction', what: string) => void
}

export function restrictionsMatch(r: Restrictions | null, ctx: PeriodContext, state: MatchState): boolean {
  if (!reservationMatches(r?.reservation, state)) return false
  if (r === null) return true
  return (
    timeOfDayMatches(r, ctx.local.secondOfDay) &&
    (r.startDate === undefined || ctx.local.day >= r.startDate) &&
    (r.endDate === undefined || ctx.local.day < r.endDate) &&
    (r.daysOfWeek === undefined || ((r.daysOfWeek >> ctx.local.weekday) & 1) === 1) &&
    (r.minDuration === undefined || ctx.elapsedMs >= r.minDuration * 1000) &&
    (r.maxDuration === undefined || ctx.elapsedMs < r.maxDuration * 1000) &&
    (r.minKwh === undefined || ctx.energyBefore.gte(r.minKwh)) &&
    (r.maxKwh === undefined || ctx.energyBefore.lt(r.maxKwh)) &&
    rangeMatches(r.minCurrent, r.maxCurrent, ctx.period.current, 'current', state) &&
    rangeMatches(r.minPower, r.maxPower, ctx.period.power, 'power', state)
  )
}

/**
 * Reservation elements price only reservation time; every other element only the charging
 * phase. RESERVATION_EXPIRES elements apply only to a reservation that expired unused.
 */
function reservationMatches(reservation: Restrictions['reservation'], state: MatchState): boolean {
  if (reservation === undefined) return state.phase === 'charging'
  if (state.phase !== 'reservation') return false
  return reservation === 'RESERVATION' || state.reservationExpired
}

/**
 * start ≤ t < end; `end < start` wraps past midnight; "00:00" as end means end of day (stored
 * as 24:00, so a lone `end_time: "00:00"` is the whole day); `start == end` is the whole day.
 */
export function timeOfDayMatches(r: Restrictions, secondOfDay: number): boolean {
  const start = r.startTime === undefined ? undefined : r.startTime * SECONDS_PER_MINUTE
  const end = r.endTime === undefined ? undefined : r.endTime * SECONDS_PER_MINUTE
  if (start === undefined) return end === undefined || secondOfDay < end
  if (end === undefined) return secondOfDay >= start
  if (start < end) return secondOfDay >= start && secondOfDay < end
  if (start > end) return secondOfDay >= start || secondOfDay < end
  return true
}

/**
 * The restriction must hold for the whole period: the period's lowest measured value is at
 * least `min` and its highest is below `max` (the CPO must cut a period where a threshold is
 * crossed, so a straddling period is flagged). A period without any measurement cannot satisfy
 * the restriction.
 */
function rangeMatches(min: Dec | undefined, max: Dec | undefined, range: MeasuredRange | null, what: string, state: MatchState): boolean {
  if (min === undefined && max === undefined) return true
  if (range === null) {
    state.note('restriction_unevaluable', what)
    return false
  }
  if ((min && range.min.lt(min) && range.max.gte(min)) || (max && range.min.lt(max) && range.max.gte(max))) {
    state.note('period_straddles_restriction', what)
  }
  return (min === undefined || range.min.gte(min)) && (max === undefined || range.max.lt(max))
}
