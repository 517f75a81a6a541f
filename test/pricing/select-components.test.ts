import t from 'tap'
import { priceCdr, type PricingReport } from '../../src/pricing/index.js'
import { component, element, input, tariff } from './helpers.js'

const priced = (...args: Parameters<typeof input>): PricingReport => {
  const r = priceCdr(input(...args))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
const used = (r: PricingReport) => r.periods.map((p) => p.lines.map((l) => `${l.dimension}:${l.active?.elementIndex ?? '-'}`).join(' '))

t.test('each dimension takes the first matching element that has it', async (t) => {
  const tt = tariff([
    element([component('TIME', 2)], { startTime: 18 * 60, endTime: 22 * 60 }),
    element([component('ENERGY', '0.40'), component('TIME', 1)]),
    element([component('PARKING_TIME', 3)]),
  ])
  const r = priced(
    [tt],
    [
      { start: '2024-06-03T15:00:00Z', kwh: 5, timeS: 3600 },
      { start: '2024-06-03T16:00:00Z', kwh: 5, timeS: 3600, parkingS: 600 },
    ],
  )
  t.same(
    used(r),
    ['ENERGY:1 TIME:1', 'ENERGY:1 TIME:0 PARKING_TIME:2'],
    '17:00 local: evening TIME not yet; 18:00: evening TIME, energy still from element 1',
  )
})

t.test('no matching element: the dimension is free and still explained', async (t) => {
  const r = priced([tariff([element([component('ENERGY', 1)], { startTime: 20 * 60 })])], [{ start: '2024-06-03T08:00:00Z', kwh: 7 }])
  t.same(used(r), ['ENERGY:-'])
  t.equal(r.totals.totalCost.exclVat.toString(), '0')
  t.equal(r.volumes.energyKwh.toString(), '7')
  t.equal(r.volumes.billedEnergyKwh.toString(), '0', 'free energy is consumed, not billed')
})

t.test('FLAT is billed once per session, in the first period where one is active', async (t) => {
  const tt = tariff([element([component('FLAT', 5)], { startTime: 12 * 60 }), element([component('FLAT', 1), component('ENERGY', 1)])])
  const r = priced(
    [tt],
    [
      { start: '2024-06-03T08:00:00Z', kwh: 1 },
      { start: '2024-06-03T10:00:00Z', kwh: 1 },
    ],
  )
  t.same(used(r), ['ENERGY:1 FLAT:1', 'ENERGY:1'], 'the 12:00 FLAT 5 of period 1 is dropped')
  t.equal(r.totals.totalFixedCost.exclVat.toString(), '1')
})

t.test('a used reservation bills its own FLAT and the session FLAT; charging elements never price reserved time', async (t) => {
  const tt = tariff([
    element([component('FLAT', 2), component('TIME', 6)], { reservation: 'RESERVATION' }),
    element([component('FLAT', '0.5'), component('TIME', 1)]),
  ])
  const r = priced(
    [tt],
    [
      { start: '2024-06-03T08:00:00Z', reservationS: 600 },
      { start: '2024-06-03T08:10:00Z', timeS: 1800 },
    ],
  )
  t.same(used(r), ['RESERVATION_TIME:0 RESERVATION_FLAT:0', 'TIME:1 FLAT:1'])
  t.equal(r.totals.totalReservationCost.exclVat.toString(), '3', '2 + 600 s x 6/h')
  t.equal(r.totals.totalCost.exclVat.toString(), '4', '3 + 0.5 + 1800 s x 1/h')
})
