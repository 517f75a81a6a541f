import t from 'tap'
import type { PeriodContext } from '../../src/pricing/normalize-periods.js'
import { restrictionsMatch, timeOfDayMatches, type MatchState } from '../../src/pricing/restrictions.js'
import type { Restrictions } from '../../src/pricing/types.js'
import { d, period, tariff } from './helpers.js'

const hm = (h: number, m = 0, s = 0) => h * 3600 + m * 60 + s
const window = (startTime?: number, endTime?: number): Restrictions => ({
  ...(startTime === undefined ? {} : { startTime }),
  ...(endTime === undefined ? {} : { endTime }),
})

t.test('time windows: start inclusive, end exclusive, wrap, 00:00 as end of day, start == end', async (t) => {
  const day = window(9 * 60, 18 * 60)
  t.ok(timeOfDayMatches(day, hm(9)))
  t.notOk(timeOfDayMatches(day, hm(8, 59, 59)))
  t.ok(timeOfDayMatches(day, hm(17, 59, 59)))
  t.notOk(timeOfDayMatches(day, hm(18)))
  const night = window(22 * 60, 6 * 60)
  t.ok(timeOfDayMatches(night, hm(23)))
  t.ok(timeOfDayMatches(night, hm(0)))
  t.ok(timeOfDayMatches(night, hm(5, 59, 59)))
  t.notOk(timeOfDayMatches(night, hm(6)))
  t.notOk(timeOfDayMatches(night, hm(21, 59, 59)))
  const evening = window(20 * 60, 1440) // "20:00" - "00:00"
  t.ok(timeOfDayMatches(evening, hm(23, 59, 59)))
  t.notOk(timeOfDayMatches(evening, hm(0)))
  t.ok(timeOfDayMatches(window(undefined, 1440), hm(0)), 'a lone end_time 00:00 is the whole day')
  t.ok(timeOfDayMatches(window(undefined, 17 * 60), hm(16, 59)))
  t.notOk(timeOfDayMatches(window(undefined, 17 * 60), hm(17)))
  t.ok(timeOfDayMatches(window(17 * 60), hm(17)))
  t.ok(timeOfDayMatches(window(8 * 60, 8 * 60), hm(3)), 'start == end is the whole day')
})

function ctx(over: Partial<PeriodContext> & { current?: [number, number]; power?: [number, number] } = {}): PeriodContext {
  const p = period({
    start: '2024-06-03T08:00:00Z',
    ...(over.current ? { current: over.current } : {}),
    ...(over.power ? { power: over.power } : {}),
  })
  return {
    index: 0,
    period: p,
    endMs: null,
    local: { day: 19877, secondOfDay: hm(10), weekday: 0, localMs: 0 },
    elapsedMs: 0,
    energyBefore: d(0),
    tariff: tariff([]),
    hasCharging: true,
    hasReservation: false,
    ...over,
  }
}

function state(phase: MatchState['phase'] = 'charging', reservationExpired = false) {
  const notes: string[] = []
  const s: MatchState = { phase, reservationExpired, note: (code, what) => notes.push(`${code}:${what}`) }
  return { s, notes }
}

t.test('kWh, duration, date and weekday bounds', async (t) => {
  const { s } = state()
  t.ok(restrictionsMatch({ minKwh: d(10) }, ctx({ energyBefore: d(10) }), s), 'min_kwh inclusive')
  t.notOk(restrictionsMatch({ maxKwh: d(10) }, ctx({ energyBefore: d(10) }), s), 'max_kwh exclusive')
  t.ok(restrictionsMatch({ minDuration: 1800 }, ctx({ elapsedMs: 1_800_000 }), s), 'min_duration inclusive')
  t.notOk(restrictionsMatch({ maxDuration: 1800 }, ctx({ elapsedMs: 1_800_000 }), s), 'max_duration exclusive')
  t.ok(restrictionsMatch({ startDate: 19877, endDate: 19878 }, ctx(), s), 'start_date inclusive')
  t.notOk(restrictionsMatch({ endDate: 19877 }, ctx(), s), 'end_date exclusive')
  t.ok(restrictionsMatch({ daysOfWeek: 0b0000001 }, ctx(), s), 'Monday is bit 0')
  t.notOk(restrictionsMatch({ daysOfWeek: 0b1000000 }, ctx(), s))
  t.notOk(restrictionsMatch({ minKwh: d(5), startTime: 9 * 60 }, ctx({ energyBefore: d(4) }), s), 'restrictions are AND-ed')
})

t.test('current and power must hold for the whole period; missing or straddling values are reported', async (t) => {
  const { s, notes } = state()
  t.ok(restrictionsMatch({ maxCurrent: d(32) }, ctx({ current: [16, 31] }), s))
  t.notOk(restrictionsMatch({ maxCurrent: d(32) }, ctx({ current: [16, 32] }), s), 'max exclusive, against the highest value')
  t.ok(restrictionsMatch({ minPower: d(22) }, ctx({ power: [22, 50] }), s), 'min inclusive, against the lowest value')
  t.same(notes, ['period_straddles_restriction:current'])
  t.notOk(restrictionsMatch({ minPower: d(22) }, ctx(), s), 'no measurement: the element does not apply')
  t.same(notes.at(-1), 'restriction_unevaluable:power')
  t.ok(restrictionsMatch({ minKwh: d(0) }, ctx(), s), 'no current/power restriction: no measurement needed')
})

t.test('reservation elements price only the reservation phase', async (t) => {
  const charging = state('charging').s
  const reserved = state('reservation').s
  const expired = state('reservation', true).s
  t.ok(restrictionsMatch(null, ctx(), charging))
  t.notOk(restrictionsMatch(null, ctx(), reserved), 'an unrestricted element never prices reserved time')
  t.notOk(restrictionsMatch({ reservation: 'RESERVATION' }, ctx(), charging))
  t.ok(restrictionsMatch({ reservation: 'RESERVATION' }, ctx(), reserved))
  t.ok(restrictionsMatch({ reservation: 'RESERVATION' }, ctx(), expired), 'RESERVATION also prices an expired reservation')
  t.notOk(restrictionsMatch({ reservation: 'RESERVATION_EXPIRES' }, ctx(), reserved), 'expiry elements only when it expired')
  t.ok(restrictionsMatch({ reservation: 'RESERVATION_EXPIRES' }, ctx(), expired))
})
