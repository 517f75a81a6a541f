import t from 'tap'
import { pickTariffs, versionsValidAt } from '../../src/pricing/pick-tariff.js'
import { component, element, ms, period, tariff } from './helpers.js'

const el = [element([component('ENERGY', '0.30')])]
const start = ms('2024-07-01T10:00:00Z')

t.test('the version valid at the session start, latest start wins, then latest last_updated', async (t) => {
  const old = tariff(el, { id: 'A', validUntil: ms('2024-07-01T00:00:00Z') })
  const current = tariff(el, { id: 'A', validFrom: ms('2024-07-01T00:00:00Z') })
  const openEnded = tariff(el, { id: 'A' })
  t.equal(
    versionsValidAt([old, current, openEnded], start).get('A'),
    current,
    'start_date_time inclusive; the later start wins over an open one',
  )
  t.equal(versionsValidAt([old], ms('2024-07-01T00:00:00Z')).size, 0, 'end_date_time exclusive')
  const v1 = tariff(el, { id: 'B', lastUpdated: 1 })
  const v2 = tariff(el, { id: 'B', lastUpdated: 2 })
  t.equal(versionsValidAt([v2, v1], start).get('B'), v2)
})

t.test('session tariff and per-period tariffs', async (t) => {
  const a = tariff(el, { id: 'A' })
  const b = tariff(el, { id: 'B' })
  const named = pickTariffs(
    [a, b],
    start,
    [period({ start: '2024-07-01T10:00:00Z' }), period({ start: '2024-07-01T11:00:00Z', tariffId: 'B' })],
    'EUR',
  )
  t.equal(named.ok && named.value.session, b, 'the first tariff a period names is the session tariff')
  const unnamed = pickTariffs([a, b], start, [period({ start: '2024-07-01T10:00:00Z' })], 'EUR')
  t.equal(unnamed.ok && unnamed.value.session, a, 'else the first valid tariff in list order')
})

t.test('typed errors', async (t) => {
  const a = tariff(el, { id: 'A' })
  const code = (r: ReturnType<typeof pickTariffs>) => (r.ok ? 'ok' : `${r.error.code} ${r.error.field}`)
  t.equal(code(pickTariffs([], start, [], 'EUR')), 'no_tariff tariffs')
  t.equal(
    code(pickTariffs([a], start, [period({ start: '2024-07-01T10:00:00Z', tariffId: 'X' })], 'EUR')),
    'unknown_tariff_id charging_periods[0].tariff_id',
  )
  const expired = tariff(el, { id: 'E', validUntil: ms('2024-01-01T00:00:00Z') })
  t.equal(
    code(pickTariffs([a, expired], start, [period({ start: '2024-07-01T10:00:00Z', tariffId: 'E' })], 'EUR')),
    'no_tariff_valid_at_start charging_periods[0].tariff_id',
  )
  t.equal(code(pickTariffs([expired], start, [], 'EUR')), 'no_tariff_valid_at_start tariffs')
  t.equal(code(pickTariffs([a], start, [], 'CHF')), 'currency_mismatch currency')
  t.equal(
    code(pickTariffs([a, tariff(el, { id: 'C', currency: 'CHF' })], start, [], 'EUR')),
    'ok',
    'an unused tariff in another currency is fine',
  )
})
