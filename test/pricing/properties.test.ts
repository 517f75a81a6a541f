// Properties of pricing under a tariff WITHOUT restrictions (so element choice cannot change):
// a longer session or more energy never costs less, and cutting a period in two changes nothing.
import fc from 'fast-check'
import t from 'tap'
import { Dec, priceCdr, type Price, type PricingInput } from '../../src/pricing/index.js'
import type { ChargingPeriod, PriceComponent, Tariff, TariffDimension } from '../../src/pricing/index.js'

const money = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((c) => new Dec(c).div(100))
const vat = fc.constantFrom<Dec | null>(null, new Dec(0), new Dec(7), new Dec(19), new Dec('20.5'))
const componentOf = (type: TariffDimension, steps: number[], maxPrice: number) =>
  fc.record({ price: money(maxPrice), vat, stepSize: fc.constantFrom(...steps) }).map((c): PriceComponent => ({ type, ...c }))

const unrestrictedTariff: fc.Arbitrary<Tariff> = fc
  .record({
    energy: fc.option(componentOf('ENERGY', [0, 1, 100, 500, 1000], 1)),
    time: fc.option(componentOf('TIME', [0, 1, 60, 300, 900], 10)),
    parking: fc.option(componentOf('PARKING_TIME', [0, 1, 60, 300, 900], 10)),
    flat: fc.option(componentOf('FLAT', [0, 1], 5)),
    min: fc.option(money(20)),
    max: fc.option(money(60)),
  })
  .map(({ energy, time, parking, flat, min, max }) => ({
    id: 'T',
    currency: 'EUR',
    type: null,
    validFrom: null,
    validUntil: null,
    lastUpdated: null,
    // bounds carry both values here; an excl-only bound with mixed VAT is pinned in min-max-price.test.ts
    minPrice: min === null ? null : { exclVat: min, inclVat: min.times('1.1') },
    maxPrice: max === null ? null : { exclVat: max, inclVat: max.times('1.2') },
    elements: [
      {
        components: {
          ...(energy && { ENERGY: energy }),
          ...(time && { TIME: time }),
          ...(parking && { PARKING_TIME: parking }),
          ...(flat && { FLAT: flat }),
        },
        restrictions: null,
      },
    ],
  }))

interface PeriodSpec {
  kwh: Dec | null
  timeS: number | null
  parkingS: number | null
}
// parking, when present, is at least 1 s: whether any parking is priced decides how time is rounded
const periodSpec: fc.Arbitrary<PeriodSpec> = fc.record({
  kwh: fc.option(fc.integer({ min: 0, max: 50_000 }).map((wh) => new Dec(wh).div(1000))),
  timeS: fc.option(fc.integer({ min: 0, max: 7200 })),
  parkingS: fc.option(fc.integer({ min: 1, max: 7200 })),
})

const START = Date.parse('2024-06-03T08:00:00Z')
function pricingInput(tariff: Tariff, specs: PeriodSpec[]): PricingInput {
  const periods: ChargingPeriod[] = specs.map((p, i) => ({
    startMs: START + i * 1_800_000,
    tariffId: null,
    energyKwh: p.kwh,
    timeSeconds: p.timeS,
    parkingSeconds: p.parkingS,
    reservationSeconds: null,
    current: null,
    power: null,
  }))
  return {
    tariffs: [tariff],
    session: { startMs: START, endMs: START + specs.length * 1_800_000, currency: 'EUR', periods },
    timeZone: 'Europe/Berlin',
  }
}

function total(tariff: Tariff, specs: PeriodSpec[]): Price {
  const r = priceCdr(pricingInput(tariff, specs))
  if (!r.ok) throw new Error(r.error.message)
  return r.value.totals.totalCost
}

t.test('a longer session or more energy never costs less', async (t) => {
  const growth = fc.record({
    index: fc.nat(),
    extraWh: fc.integer({ min: 0, max: 20_000 }),
    extraS: fc.integer({ min: 0, max: 3600 }),
    which: fc.constantFrom('kwh', 'timeS', 'parkingS'),
  })
  fc.assert(
    fc.property(unrestrictedTariff, fc.array(periodSpec, { minLength: 1, maxLength: 6 }), growth, (tariff, specs, g) => {
      const i = g.index % specs.length
      const grown = specs.map((p, j) => {
        if (j !== i) return p
        if (g.which === 'kwh') return { ...p, kwh: (p.kwh ?? new Dec(0)).plus(new Dec(g.extraWh).div(1000)) }
        if (g.which === 'timeS') return { ...p, timeS: (p.timeS ?? 0) + g.extraS }
        return { ...p, parkingS: (p.parkingS ?? 1) + g.extraS }
      })
      // a period gaining its first parking second would change the rounding rule; those are skipped
      if (g.which === 'parkingS' && specs.every((p) => p.parkingS === null)) return true
      const before = total(tariff, specs)
      const after = total(tariff, grown)
      return after.exclVat.gte(before.exclVat) && after.inclVat.gte(before.inclVat)
    }),
    { numRuns: 300 },
  )
  t.pass('300 random tariffs and sessions')
})

t.test('cutting a period in two does not change the price', async (t) => {
  const cut = fc.record({ index: fc.nat(), share: fc.integer({ min: 0, max: 1000 }) })
  fc.assert(
    fc.property(unrestrictedTariff, fc.array(periodSpec, { minLength: 1, maxLength: 6 }), cut, (tariff, specs, c) => {
      const i = c.index % specs.length
      const p = specs[i]!
      const firstWh = p.kwh === null ? null : p.kwh.times(1000).times(c.share).div(1000).floor()
      const part = (n: number | null) => (n === null ? null : Math.floor((n * c.share) / 1000))
      const first: PeriodSpec = { kwh: firstWh === null ? null : firstWh.div(1000), timeS: part(p.timeS), parkingS: part(p.parkingS) }
      const second: PeriodSpec = {
        kwh: p.kwh === null ? null : p.kwh.minus(first.kwh!),
        timeS: p.timeS === null ? null : p.timeS - first.timeS!,
        parkingS: p.parkingS === null ? null : p.parkingS - first.parkingS!,
      }
      const split = [...specs.slice(0, i), first, second, ...specs.slice(i + 1)]
      const whole = total(tariff, specs)
      const halves = total(tariff, split)
      return whole.exclVat.eq(halves.exclVat) && whole.inclVat.eq(halves.inclVat)
    }),
    { numRuns: 300 },
  )
  t.pass('300 random tariffs, sessions and cuts')
})

t.test('known exception, pinned: the first priced parking second moves the time rounding to parking', async (t) => {
  const tariff: Tariff = {
    id: 'T',
    currency: 'EUR',
    type: null,
    validFrom: null,
    validUntil: null,
    lastUpdated: null,
    minPrice: null,
    maxPrice: null,
    elements: [
      {
        components: {
          TIME: { type: 'TIME', price: new Dec(10), vat: null, stepSize: 600 },
          PARKING_TIME: { type: 'PARKING_TIME', price: new Dec(0), vat: null, stepSize: 600 },
        },
        restrictions: null,
      },
    ],
  }
  const charging = total(tariff, [{ kwh: null, timeS: 1260, parkingS: null }])
  const withParking = total(tariff, [
    { kwh: null, timeS: 1260, parkingS: null },
    { kwh: null, timeS: null, parkingS: 60 },
  ])
  t.equal(charging.exclVat.toString(), '5', '21 min rounded to 30 min at 10/h')
  t.equal(withParking.exclVat.toString(), '3.5', '21 min exact, 1 min free parking rounded to 10 min at 0/h: cheaper although longer')
})
