import t from 'tap'
import { Dec, priceCdr, toOcpiNumber } from '../../src/pricing/index.js'
import { component, element, input, tariff } from './helpers.js'

t.test('VAT per component; absent VAT leaves the amount unchanged; 0 % too', async (t) => {
  const tt = tariff([
    element([
      component('FLAT', '0.50', 1, 20),
      component('ENERGY', '0.25', 1, 10),
      component('TIME', '1.20', 1, null),
      component('PARKING_TIME', 2, 1, 0),
    ]),
  ])
  const r = priceCdr(
    input(
      [tt],
      [
        { start: '2024-06-03T08:00:00Z', kwh: 20, timeS: 1800 },
        { start: '2024-06-03T08:30:00Z', parkingS: 900 },
      ],
    ),
  )
  if (!r.ok) throw new Error(r.error.message)
  const totals = r.value.totals
  t.same([totals.totalFixedCost.exclVat.toString(), totals.totalFixedCost.inclVat.toString()], ['0.5', '0.6'])
  t.same([totals.totalEnergyCost.exclVat.toString(), totals.totalEnergyCost.inclVat.toString()], ['5', '5.5'])
  t.same([totals.totalTimeCost.exclVat.toString(), totals.totalTimeCost.inclVat.toString()], ['0.6', '0.6'])
  t.same([totals.totalParkingCost.exclVat.toString(), totals.totalParkingCost.inclVat.toString()], ['0.5', '0.5'])
  t.same([totals.totalCost.exclVat.toString(), totals.totalCost.inclVat.toString()], ['6.6', '7.2'])
})

t.test('breakdown lines add up to the totals', async (t) => {
  const tt = tariff([
    element([component('TIME', '2.40', 1, 19)], { startTime: 17 * 60 }),
    element([component('TIME', '1.20', 1, 19), component('ENERGY', '0.39', 1, 19)]),
  ])
  const r = priceCdr(
    input(
      [tt],
      [
        { start: '2024-06-03T14:35:00Z', timeS: 1499, kwh: '3.333' },
        { start: '2024-06-03T15:00:00Z', timeS: 601, kwh: '1.111' },
      ],
    ),
  )
  if (!r.ok) throw new Error(r.error.message)
  const lines = r.value.periods.flatMap((p) => p.lines)
  const excl = lines.reduce((s, l) => s.plus(l.cost.exclVat), r.value.totals.totalCost.exclVat.minus(r.value.totals.totalCost.exclVat))
  const incl = lines.reduce((s, l) => s.plus(l.cost.inclVat), r.value.totals.totalCost.inclVat.minus(r.value.totals.totalCost.inclVat))
  t.equal(toOcpiNumber(excl), toOcpiNumber(r.value.totals.totalCost.exclVat))
  t.equal(toOcpiNumber(incl), toOcpiNumber(r.value.totals.totalCost.inclVat))
  t.ok(excl.minus(r.value.totals.totalCost.exclVat).abs().lt('1e-30'), 'equal far beyond 4 decimals')
})

t.test('rounding at the edge: 4 decimals, half away from zero', async (t) => {
  t.equal(toOcpiNumber(new Dec('0.03125')), '0.0313')
  t.equal(toOcpiNumber(new Dec('-0.00005')), '-0.0001')
  t.equal(toOcpiNumber(new Dec('1.01666666')), '1.0167')
})

t.test('an invalid zone is a typed error, not a throw', async (t) => {
  const r = priceCdr(
    input([tariff([element([component('ENERGY', 1)])])], [{ start: '2024-06-03T08:00:00Z', kwh: 1 }], { timeZone: 'Nowhere/Else' }),
  )
  t.same(!r.ok && [r.error.code, r.error.field], ['invalid_time_zone', 'time_zone'])
})
