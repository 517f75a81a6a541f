import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { fromOcpiPricingCase } from '../../src/pricing/index.js'

const EXAMPLES = join(import.meta.dirname, '..', 'fixtures', 'pricing')
const cdrExample = JSON.parse(readFileSync(join(EXAMPLES, 'spec-cdr-example', 'cdr.json'), 'utf8')) as Record<string, unknown>
const tariff = (restrictions?: object, component: object = { type: 'ENERGY', price: 0.25, step_size: 1 }) => ({
  id: 'T', currency: 'EUR', elements: [{ price_components: [component], ...(restrictions ? { restrictions } : {}) }],
})
const cdr = (periods: object[] = [{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }] }]) => ({
  start_date_time: '2024-06-03T08:00:00Z', end_date_time: '2024-06-03T09:00:00Z', currency: 'EUR', cdr_location: { country: 'DEU' }, charging_periods: periods,
})
const problem = (kase: unknown) => {
  const r = fromOcpiPricingCase(kase)
  return r.ok ? 'ok' : `${r.error.code} ${r.error.field}`
}

t.test('the spec CDR with its embedded tariff and the zone of its country', async (t) => {
  const r = fromOcpiPricingCase({ cdr: cdrExample })
  if (!r.ok) throw new Error(r.error.message)
  t.equal(r.value.timeZone, 'Europe/Brussels')
  t.equal(r.value.tariffs[0]!.id, '12')
  t.equal(r.value.session.periods[0]!.timeSeconds, 7103, '1.973 h is 7102.8 s, read as whole seconds')
})

t.test('hours become whole seconds: 4-decimal hours round back to the exact second', async (t) => {
  const r = fromOcpiPricingCase({ tariff: tariff(), cdr: cdr([{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'TIME', volume: 0.0833 }, { type: 'PARKING_TIME', volume: 0.0333 }] }]) })
  t.same(r.ok && [r.value.session.periods[0]!.timeSeconds, r.value.session.periods[0]!.parkingSeconds], [300, 120])
})

t.test('zone: case > location > cdr_location.time_zone > country', async (t) => {
  const zone = (extra: object, cdrExtra: object = {}) => {
    const r = fromOcpiPricingCase({ tariff: tariff(), cdr: { ...cdr(), ...cdrExtra }, ...extra })
    return r.ok ? r.value.timeZone : r.error.code
  }
  t.equal(zone({ time_zone: 'Europe/Lisbon', location: { time_zone: 'Atlantic/Azores' } }), 'Europe/Lisbon')
  t.equal(zone({ location: { time_zone: 'Atlantic/Canary', country: 'ESP' } }), 'Atlantic/Canary')
  t.equal(zone({}, { cdr_location: { country: 'AUT', time_zone: 'Europe/Vienna' } }), 'Europe/Vienna')
  t.equal(zone({}, { cdr_location: { country: 'irl' } }), 'Europe/Dublin')
  t.equal(zone({}, { cdr_location: { country: 'USA' } }), 'time_zone_unknown')
  t.equal(zone({ time_zone: 'Europe/Atlantis' }), 'invalid_time_zone')
})

t.test('typed errors name the field', async (t) => {
  t.equal(problem({ tariff: tariff({ start_time: '24:00' }), cdr: cdr() }), 'invalid_input tariff.elements[0].restrictions.start_time')
  t.equal(problem({ tariff: tariff({ day_of_week: ['MONDAY', 'FUNDAY'] }), cdr: cdr() }), 'invalid_input tariff.elements[0].restrictions.day_of_week[1]')
  t.equal(problem({ tariff: tariff({ end_date: '2024-02-30' }), cdr: cdr() }), 'invalid_input tariff.elements[0].restrictions.end_date')
  t.equal(problem({ tariff: tariff(undefined, { type: 'ENERGY', price: 0.25 }), cdr: cdr() }), 'invalid_input tariff.elements[0].price_components[0].step_size')
  t.equal(problem({ tariff: tariff(undefined, { type: 'ENERGY', price: '0.25', step_size: 1 }), cdr: cdr() }), 'invalid_input tariff.elements[0].price_components[0].price')
  t.equal(problem({ tariffs: [tariff(), { ...tariff(), elements: [] }], cdr: cdr() }), 'invalid_input tariffs[1].elements')
  t.equal(problem({ tariff: tariff(), cdr: cdr([]) }), 'invalid_input cdr.charging_periods')
  t.equal(problem({ tariff: tariff(), cdr: cdr([{ start_date_time: '2024-06-03 08:00', dimensions: [] }]) }), 'invalid_input cdr.charging_periods[0].start_date_time')
  t.equal(problem({ tariff: tariff(), cdr: cdr([{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'TIME', volume: -1 }] }]) }),
    'invalid_input cdr.charging_periods[0].dimensions(TIME)')
  t.equal(problem({ tariff: tariff(), cdr: { ...cdr(), end_date_time: undefined } }), 'invalid_input cdr.end_date_time')
  t.equal(problem({ cdr: cdr() }), 'invalid_input tariffs')
  t.equal(problem([]), 'invalid_input ')
})

t.test('tolerated oddities become warnings', async (t) => {
  const r = fromOcpiPricingCase({
    tariff: { id: 'T', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1, step_size: 1 }, { type: 'ENERGY', price: 2, step_size: 1 }], restrictions: { dayOfWeek: ['MONDAY'] } },
      { price_components: [{ type: 'TIME', price: 1, step_size: 1 }, { type: 'ENERGY', price: 9, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } }] },
    cdr: cdr([{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }, { type: 'STATE_OF_CHARGE', volume: 80 }, { type: 'VOLTAGE', volume: 230 }] }]),
  })
  t.same(r.ok && r.value.warnings!.map((w) => w.code), ['unknown_field', 'duplicate_component', 'reservation_component_ignored', 'unknown_dimension'])
  t.equal(r.ok && r.value.tariffs[0]!.elements[0]!.components.ENERGY!.price.toString(), '1', 'the first component of a dimension counts')
})

t.test('a Session may be open and without periods; a single measurement serves as both bounds', async (t) => {
  const session = { start_date_time: '2024-06-03T08:00:00Z', currency: 'EUR', kwh: 0, status: 'ACTIVE',
    charging_periods: [{ start_date_time: '2024-06-03T08:00:00Z', dimensions: [{ type: 'CURRENT', volume: 16 }, { type: 'MAX_POWER', volume: 11 }] }] }
  const r = fromOcpiPricingCase({ tariff: tariff(), cdr: session, time_zone: 'Europe/Berlin' })
  if (!r.ok) throw new Error(r.error.message)
  t.equal(r.value.session.endMs, null)
  const p = r.value.session.periods[0]!
  t.same([p.current?.min.toString(), p.current?.max.toString(), p.power?.min.toString(), p.power?.max.toString()], ['16', '16', '11', '11'])
  t.equal(problem({ tariff: tariff(), cdr: { ...session, charging_periods: undefined }, time_zone: 'UTC' }), 'ok')
})
