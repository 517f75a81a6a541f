import t from 'tap'
import { priceCdr, type PricingReport } from '../../src/pricing/index.js'
import { component, element, input, tariff, type PeriodSpec } from './helpers.js'
import type { TariffElement } from '../../src/pricing/types.js'

const priced = (elements: TariffElement[], periods: PeriodSpec[]): PricingReport => {
  const r = priceCdr(input([tariff(elements)], periods))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
const billed = (r: PricingReport, dimension: string) =>
  r.periods.flatMap((p) => p.lines.filter((l) => l.dimension === dimension).map((l) => l.billedVolume.toString()))

t.test('energy: the session total is rounded up with the last priced step; the surplus goes to that line', async (t) => {
  const r = priced(
    [element([component('ENERGY', '0.20', 100)], { endTime: 12 * 60 }), element([component('ENERGY', '0.30', 500)])],
    [
      { start: '2024-06-03T08:00:00Z', kwh: '4.25' },
      { start: '2024-06-03T10:00:00Z', kwh: '1.1' },
    ],
  )
  t.same(billed(r, 'ENERGY'), ['4.25', '1.25'], '5.35 kWh -> 5.5 with the 500 Wh step of the last line')
  t.equal(r.totals.totalEnergyCost.exclVat.toString(), '1.225', '4.25 x 0.20 + 1.25 x 0.30')
})

t.test('energy: free volume does not count, and the step of the last PRICED line is used', async (t) => {
  const r = priced(
    [element([component('ENERGY', '0.20', 1000)], { endTime: 12 * 60 })],
    [
      { start: '2024-06-03T08:00:00Z', kwh: '2.2' },
      { start: '2024-06-03T10:00:00Z', kwh: '5' },
    ],
  )
  t.same(billed(r, 'ENERGY'), ['3', '5'], '2.2 priced kWh -> 3; the free 5 kWh stay free')
})

t.test('step_size 0 and 1', async (t) => {
  t.same(
    billed(priced([element([component('ENERGY', 1, 0)])], [{ start: '2024-06-03T08:00:00Z', kwh: '0.1234' }]), 'ENERGY'),
    ['0.1234'],
    '0 = no rounding',
  )
  t.same(
    billed(priced([element([component('ENERGY', 1, 1)])], [{ start: '2024-06-03T08:00:00Z', kwh: '0.1234' }]), 'ENERGY'),
    ['0.124'],
    '1 = whole Wh',
  )
  t.same(billed(priced([element([component('TIME', 1, 0)])], [{ start: '2024-06-03T08:00:00Z', timeS: 61 }]), 'TIME'), ['61'])
})

t.test('negative energy (export) is not rounded and does not take the surplus', async (t) => {
  const r = priced(
    [element([component('ENERGY', 1, 1000)])],
    [
      { start: '2024-06-03T08:00:00Z', kwh: '1.5' },
      { start: '2024-06-03T09:00:00Z', kwh: '-0.5' },
    ],
  )
  t.same(billed(r, 'ENERGY'), ['2', '-0.5'])
})

t.test('time and parking share one rounding: parking only, whenever parking is priced', async (t) => {
  const tp = [element([component('TIME', 1, 600), component('PARKING_TIME', 2, 600)])]
  const r = priced(tp, [
    { start: '2024-06-03T08:00:00Z', timeS: 1260 },
    { start: '2024-06-03T08:21:00Z', parkingS: 420 },
    { start: '2024-06-03T08:28:00Z', timeS: 60 },
  ])
  t.same([billed(r, 'TIME'), billed(r, 'PARKING_TIME')], [['1260', '60'], ['600']], 'charging exact, parking 7 -> 10 min')
  const noParking = priced(tp, [
    { start: '2024-06-03T08:00:00Z', timeS: 1260 },
    { start: '2024-06-03T08:21:00Z', parkingS: 0 },
  ])
  t.same(billed(noParking, 'TIME'), ['1800'], 'zero parking is no parking: charging is rounded')
  const freeParking = priced(
    [element([component('TIME', 1, 600)])],
    [
      { start: '2024-06-03T08:00:00Z', timeS: 1260 },
      { start: '2024-06-03T08:21:00Z', parkingS: 420 },
    ],
  )
  t.same(billed(freeParking, 'TIME'), ['1800'], 'unpriced parking does not take the rounding away from charging')
})

t.test('reservation time is rounded on its own', async (t) => {
  const r = priced(
    [element([component('TIME', 6, 900)], { reservation: 'RESERVATION' }), element([component('TIME', 1, 600)])],
    [
      { start: '2024-06-03T08:00:00Z', reservationS: 300 },
      { start: '2024-06-03T08:05:00Z', timeS: 700 },
    ],
  )
  t.same([billed(r, 'RESERVATION_TIME'), billed(r, 'TIME')], [['900'], ['1200']])
})
