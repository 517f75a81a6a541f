import t from 'tap'
import { zoneClock } from '../../src/pricing/local-time.js'
import { normalizePeriods } from '../../src/pricing/normalize-periods.js'
import { pickTariffs } from '../../src/pricing/pick-tariff.js'
import type { Tariff } from '../../src/pricing/types.js'
import { component, d, element, input, tariff, type PeriodSpec } from './helpers.js'

function normalize(
  periods: PeriodSpec[],
  tariffs: Tariff[] = [tariff([element([component('ENERGY', 1)])])],
  start = '2024-06-03T08:00:00Z',
) {
  const i = input(tariffs, periods, { start })
  const choice = pickTariffs(i.tariffs, i.session.startMs, i.session.periods, 'EUR')
  if (!choice.ok) throw new Error(choice.error.message)
  return normalizePeriods(i.session, zoneClock('Europe/Berlin')!, choice.value)
}

t.test('each period ends where the next begins; elapsed time is wall clock from the session start', async (t) => {
  const r = normalize([
    { start: '2024-06-03T08:00:00Z', kwh: 5 },
    { start: '2024-06-03T09:30:00Z', parkingS: 600 },
  ])
  if (!r.ok) throw new Error()
  t.same(
    r.value.periods.map((p) => p.elapsedMs),
    [0, 5_400_000],
  )
  t.equal(r.value.periods[0]!.endMs, Date.parse('2024-06-03T09:30:00Z'))
  t.equal(r.value.periods[1]!.endMs, Date.parse('2024-06-03T20:00:00Z'), 'the last one ends at the session end')
  t.equal(r.value.periods[1]!.local.secondOfDay, 11.5 * 3600, '09:30Z is 11:30 in Berlin')
})

t.test('energy before a period is summed only when a tariff restricts on kWh', async (t) => {
  const periods = [
    { start: '2024-06-03T08:00:00Z', kwh: '1.1' },
    { start: '2024-06-03T09:00:00Z', kwh: '2.2' },
    { start: '2024-06-03T10:00:00Z' },
  ]
  const tiered = normalize(periods, [tariff([element([component('ENERGY', 1)], { minKwh: d(3) })])])
  t.same(tiered.ok && tiered.value.periods.map((p) => p.energyBefore.toString()), ['0', '1.1', '3.3'])
  const flat = normalize(periods)
  t.same(flat.ok && flat.value.periods.map((p) => p.energyBefore.toString()), ['0', '0', '0'])
})

t.test('order, reservation phase and warnings', async (t) => {
  const backwards = normalize([{ start: '2024-06-03T09:00:00Z' }, { start: '2024-06-03T08:00:00Z' }])
  t.same(!backwards.ok && backwards.error, {
    code: 'periods_not_chronological',
    message: 'period 1 starts before period 0',
    field: 'charging_periods[1].start_date_time',
  })
  const early = normalize([{ start: '2024-06-03T07:00:00Z', kwh: 1 }])
  t.same(early.ok && early.value.warnings.map((w) => w.code), ['period_before_session_start'])
  t.equal(early.ok && early.value.periods[0]!.elapsedMs, 0, 'a period before the start counts as elapsed 0')
  const expired = normalize([{ start: '2024-06-03T08:00:00Z', reservationS: 3600 }])
  t.equal(expired.ok && expired.value.reservationExpired, true, 'only reservation time: the reservation expired')
  const used = normalize([
    { start: '2024-06-03T08:00:00Z', reservationS: 600 },
    { start: '2024-06-03T08:10:00Z', kwh: 3 },
  ])
  t.equal(used.ok && used.value.reservationExpired, false)
  t.same(used.ok && used.value.periods.map((p) => [p.hasReservation, p.hasCharging]), [
    [true, false],
    [false, true],
  ])
  const none = normalize([])
  t.same(none.ok && [none.value.periods.length, none.value.warnings[0]?.code], [1, 'no_charging_periods'])
})
