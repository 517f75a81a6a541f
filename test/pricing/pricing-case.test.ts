// The pricing case of `npm run price` and the golden corpus, read by the CDRs Receiver's own
// readers (src/ocpi/pricing-case.ts): what the intake tolerates is tolerated here, what it refuses
// is refused naming the field, and the pricing core gets its own types.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { readPricingCase } from '../../src/ocpi/pricing-case.js'
import { priceCdr } from '../../src/pricing/index.js'

const EXAMPLES = join(import.meta.dirname, '..', 'fixtures', 'pricing')
const cdrExample = JSON.parse(readFileSync(join(EXAMPLES, 'spec-cdr-example', 'cdr.json'), 'utf8')) as Record<string, unknown>
const tariff = (restrictions?: object, component: object = { type: 'ENERGY', price: 0.25, step_size: 1 }) => ({
  id: 'T',
  currency: 'EUR',
  elements: [{ price_components: [component], ...(restrictions ? { restrictions } : {}) }],
})
const cdr = (periods: object[] = [{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }] }]) => ({
  start_date_time: '2024-06-03T08:00:00Z',
  end_date_time: '2024-06-03T09:00:00Z',
  currency: 'EUR',
  cdr_location: { country: 'DEU' },
  charging_periods: periods,
})
const problem = (kase: unknown) => {
  const r = readPricingCase(kase)
  return r.ok ? 'ok' : `${r.code} ${r.field ?? ''}`
}

t.test('the spec CDR with its embedded tariff and the zone of its country', async (t) => {
  const r = readPricingCase({ cdr: cdrExample })
  if (!r.ok) throw new Error(r.message)
  t.equal(r.value.input.timeZone, 'Europe/Brussels')
  t.equal(r.value.input.tariffs[0]!.id, '12')
  t.equal(r.value.input.session.periods[0]!.timeSeconds, 7103, '1.973 h is 7102.8 s, read as whole seconds')
  t.same(r.value.deviations, [])
})

t.test('hours become whole seconds: 4-decimal hours round back to the exact second', async (t) => {
  const r = readPricingCase({
    tariff: tariff(),
    cdr: cdr([
      {
        start_date_time: '2024-06-03T08:00:00Z',
        dimensions: [
          { type: 'TIME', volume: 0.0833 },
          { type: 'PARKING_TIME', volume: 0.0333 },
        ],
      },
    ]),
  })
  t.same(r.ok && [r.value.input.session.periods[0]!.timeSeconds, r.value.input.session.periods[0]!.parkingSeconds], [300, 120])
})

t.test('zone: case > location > cdr_location.time_zone > country', async (t) => {
  const zone = (extra: object, cdrExtra: object = {}) => {
    const r = readPricingCase({ tariff: tariff(), cdr: { ...cdr(), ...cdrExtra }, ...extra })
    return r.ok ? r.value.input.timeZone : r.code
  }
  t.equal(zone({ time_zone: 'Europe/Lisbon', location: { time_zone: 'Atlantic/Azores' } }), 'Europe/Lisbon')
  t.equal(zone({ location: { time_zone: 'Atlantic/Canary', country: 'ESP' } }), 'Atlantic/Canary')
  t.equal(zone({}, { cdr_location: { country: 'AUT', time_zone: 'Europe/Vienna' } }), 'Europe/Vienna')
  t.equal(zone({}, { cdr_location: { country: 'irl' } }), 'Europe/Dublin')
  t.equal(zone({}, { cdr_location: { country: 'USA' } }), 'time_zone_unknown')
  t.equal(zone({ time_zone: 'Europe/Atlantis' }), 'invalid_time_zone')
})

t.test('what cannot be read is refused naming the field', async (t) => {
  t.equal(problem({ tariff: tariff({ start_time: '24:00' }), cdr: cdr() }), 'invalid_input tariff.elements[0].restrictions.start_time')
  t.equal(
    problem({ tariff: tariff({ day_of_week: ['MONDAY', 'FUNDAY'] }), cdr: cdr() }),
    'invalid_input tariff.elements[0].restrictions.day_of_week[1]',
  )
  t.equal(problem({ tariff: tariff({ end_date: '2024-02-30' }), cdr: cdr() }), 'invalid_input tariff.elements[0].restrictions.end_date')
  t.equal(
    problem({ tariff: tariff(undefined, { type: 'ENERGY', price: 0.25 }), cdr: cdr() }),
    'invalid_input tariff.elements[0].price_components[0].step_size',
  )
  t.equal(problem({ tariffs: [tariff(), { ...tariff(), elements: [] }], cdr: cdr() }), 'invalid_input tariffs[1].elements')
  t.equal(
    problem({ tariff: tariff(), cdr: cdr([{ start_date_time: '2024-06-03T25:00:00Z', dimensions: [] }]) }),
    'invalid_input cdr.charging_periods[0].start_date_time',
  )
  t.equal(problem({ tariff: tariff(), cdr: { ...cdr(), start_date_time: undefined } }), 'invalid_input cdr.start_date_time')
  t.equal(problem({ cdr: cdr() }), 'invalid_input tariffs')
  t.equal(problem([]), 'invalid_input (root)')
})

t.test('what the intake tolerates is read, and reported', async (t) => {
  const r = readPricingCase({
    tariff: tariff(undefined, { type: 'energy', price: '0.25', step_size: '1' }),
    cdr: { ...cdr([{ start_date_time: '2024-06-03 10:00+02:00', dimensions: [{ type: 'ENERGY', volume: '1.5' }] }]), currency: 'eur' },
  })
  if (!r.ok) throw new Error(r.message)
  t.same(r.value.deviations.map((d) => `${d.kind} ${d.path}`).sort(), [
    'currency_case cdr.currency',
    'datetime_offset cdr.charging_periods[0].start_date_time',
    'enum_case tariff.elements[0].price_components[0].type',
    'number_as_string cdr.charging_periods[0].dimensions[0].volume',
    'number_as_string tariff.elements[0].price_components[0].price',
    'number_as_string tariff.elements[0].price_components[0].step_size',
  ])
  const priced = priceCdr(r.value.input)
  t.equal(priced.ok && priced.value.totals.totalCost.exclVat.toString(), '0.375', '1.5 kWh × 0.25')
  t.equal(r.value.input.session.periods[0]!.startMs, Date.parse('2024-06-03T08:00:00Z'), '10:00+02:00 is 08:00 UTC')
})

t.test('a partial CDR (start, end, currency, periods) and an empty period list are priced', async (t) => {
  const partial = readPricingCase({
    tariff: tariff(),
    cdr: { start_date_time: '2024-06-03T08:00:00Z', currency: 'EUR', charging_periods: cdr().charging_periods },
    time_zone: 'UTC',
  })
  t.equal(partial.ok && partial.value.input.session.endMs, null, 'no end: an open session')
  const empty = readPricingCase({ tariff: tariff(), cdr: cdr([]) })
  const priced = empty.ok ? priceCdr(empty.value.input) : undefined
  t.same(priced?.ok && priced.value.warnings.map((w) => w.code), ['no_charging_periods'])
})

t.test("a negative or absurd duration is the pricing core's typed error, naming the period", async (t) => {
  const r = readPricingCase({
    tariff: tariff(),
    cdr: cdr([{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'TIME', volume: -1 }] }]),
  })
  const priced = r.ok ? priceCdr(r.value.input) : undefined
  t.same(priced && !priced.ok && [priced.error.code, priced.error.field], ['invalid_duration', 'charging_periods[0].dimensions(TIME)'])
  const long = readPricingCase({
    tariff: tariff(),
    cdr: cdr([{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'TIME', volume: 1e9 }] }]),
  })
  const tooLong = long.ok ? priceCdr(long.value.input) : undefined
  t.same(tooLong && !tooLong.ok && tooLong.error.code, 'invalid_duration')
})

t.test('tolerated oddities become warnings', async (t) => {
  const r = readPricingCase({
    tariff: {
      id: 'T',
      currency: 'EUR',
      elements: [
        {
          price_components: [
            { type: 'ENERGY', price: 1, step_size: 1 },
            { type: 'ENERGY', price: 2, step_size: 1 },
          ],
          restrictions: { dayOfWeek: ['MONDAY'] },
        },
        {
          price_components: [
            { type: 'TIME', price: 1, step_size: 1 },
            { type: 'ENERGY', price: 9, step_size: 1 },
          ],
          restrictions: { reservation: 'RESERVATION' },
        },
      ],
    },
    cdr: cdr([
      {
        start_date_time: '2024-06-03T08:00:00Z',
        dimensions: [
          { type: 'ENERGY', volume: 1 },
          { type: 'STATE_OF_CHARGE', volume: 80 },
          { type: 'VOLTAGE', volume: 230 },
        ],
      },
    ]),
  })
  if (!r.ok) throw new Error(r.message)
  t.same(r.value.input.warnings!.map((w) => w.code).sort(), [
    'duplicate_component',
    'reservation_component_ignored',
    'unknown_enum_dropped',
    'unknown_restriction',
  ])
  t.equal(r.value.input.tariffs[0]!.elements[0]!.components.ENERGY!.price.toString(), '1', 'the first component of a dimension counts')
  t.match(r.value.deviations, [
    { kind: 'unknown_enum_dropped', path: 'cdr.charging_periods[0].dimensions[2]', received: 'VOLTAGE' },
    { kind: 'unknown_restriction', path: 'tariff.elements[0].restrictions.dayOfWeek' },
  ])
})

t.test('a Session may be open and without periods; a single measurement serves as both bounds', async (t) => {
  const session = {
    start_date_time: '2024-06-03T08:00:00Z',
    currency: 'EUR',
    kwh: 0,
    status: 'ACTIVE',
    charging_periods: [
      {
        start_date_time: '2024-06-03T08:00:00Z',
        dimensions: [
          { type: 'CURRENT', volume: 16 },
          { type: 'MAX_POWER', volume: 11 },
        ],
      },
    ],
  }
  const r = readPricingCase({ tariff: tariff(), cdr: session, time_zone: 'Europe/Berlin' })
  if (!r.ok) throw new Error(r.message)
  t.equal(r.value.input.session.endMs, null)
  const p = r.value.input.session.periods[0]!
  t.same([p.current?.min.toString(), p.current?.max.toString(), p.power?.min.toString(), p.power?.max.toString()], ['16', '16', '11', '11'])
  t.equal(problem({ tariff: tariff(), cdr: { ...session, charging_periods: undefined }, time_zone: 'UTC' }), 'ok')
})
