// Issue 16 items 6-7: what a non-credit CDR must stay within to be charged automatically. Pure.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { fromOcpiCdr } from '../../src/ocpi/cdrs/cdrs.convert.js'
import { CdrIntakeSchema } from '../../src/ocpi/cdrs/cdrs.schema.js'
import { DEFAULT_BOUNDS, implausibilities } from '../../src/rating/plausibility.js'

const base = JSON.parse(readFileSync(new URL('../fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8')) as Record<string, any>
const cdr = (change: Record<string, unknown> = {}) => fromOcpiCdr(CdrIntakeSchema.parse({ ...base, ...change }))
const now = new Date('2015-07-01T00:00:00Z')
const problems = (change: Record<string, unknown>, facts: Record<string, unknown> = {}) =>
  implausibilities(cdr(change), { now, ...facts }, DEFAULT_BOUNDS)

t.test('the spec example is plausible', async (t) => {
  t.same(problems({}), [])
})

t.test('negative, absurd and out-of-time values are named', async (t) => {
  t.match(problems({ total_energy: -1 }), [/total_energy is negative/])
  t.match(problems({ total_energy: 1e308 }), [/exceeds what 44 kW deliver in 1\.97 h/])
  t.match(problems({ total_cost: { excl_vat: 1e9, incl_vat: 1.1e9 } }), [/total_cost 1100000000 EUR exceeds 1000000/])
  t.match(problems({ total_cost: { excl_vat: -4, incl_vat: -4.4 } }), [/total_cost is negative/])
  t.match(
    problems({
      start_date_time: '9999-12-31T10:00:00Z',
      end_date_time: '9999-12-31T12:00:00Z',
      charging_periods: [{ start_date_time: '9999-12-31T10:00:00Z', dimensions: [{ type: 'TIME', volume: 1.973 }] }],
    }),
    [/dated in the future/],
  )
  t.match(problems({ end_date_time: '2015-06-29T20:00:00Z' }), [
    /ends .* before it starts/,
    /total_time \(1\.973 h\) is longer than the session/,
  ])
  t.match(problems({ end_date_time: '2015-07-05T00:00:00Z' }), [/lasts .* more than 72 h/])
  t.match(problems({}, { tokenUsableFrom: new Date('2015-06-30T00:00:00Z') }), [/before its token existed/])
  t.match(problems({ charging_periods: [{ start_date_time: base.start_date_time, dimensions: [{ type: 'ENERGY', volume: -2 }] }] }), [
    /charging_periods\[0\] has negative ENERGY/,
  ])
})

t.test("the bound follows the connector's power when the Location describes it, within a clock skew", async (t) => {
  // 1.97 h at 3.7 kW: at most 3.7 × 1.97 × 1.1 + 1 ≈ 9.0 kWh; the example's 15.342 is over it
  t.match(problems({}, { connectorMaxPowerW: 3700 }), [/15\.342 kWh exceeds what 3\.7 kW deliver/])
  t.same(problems({}, { connectorMaxPowerW: 11000 }), [])
  t.same(
    implausibilities(cdr({}), { now: new Date('2015-06-29T23:33:00Z') }, DEFAULT_BOUNDS),
    [],
    'an end 4.5 minutes ahead of our clock is skew',
  )
})
