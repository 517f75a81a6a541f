// The tolerant reader (src/ocpi/v221/intake.ts): every repair it makes, named; what it refuses; and
// that a conforming body is the strict parse, untouched.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { CdrSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'
import { LOCATION_INTAKE } from '../../../src/ocpi/locations/locations.convert.js'
import { LocationSchema } from '../../../src/ocpi/locations/locations.schema.js'
import { normaliseDateTime, readTolerant, rescaleCoordinate } from '../../../src/ocpi/v221/intake.js'

const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8')) as Record<string, any>
const kinds = (r: ReturnType<typeof readTolerant>) =>
  r.ok ? r.deviations.map((d) => `${d.kind} ${d.path}`) : r.issues.map((i) => `refused ${i.path.join('.')}`)

t.test('a conforming body is the strict parse: no deviation, same value', async (t) => {
  const cdr = example('cdrs/cdr_example.json')
  const r = readTolerant(CdrSchema, cdr)
  t.same(r, { ok: true, value: CdrSchema.parse(cdr), deviations: [] })
})

t.test('DateTimes: offsets, lower case, a space, no seconds become UTC; impossible ones stay refused', async (t) => {
  t.same(normaliseDateTime('2015-06-29T21:39:09+01:00'), { text: '2015-06-29T20:39:09Z', offset: true })
  t.same(normaliseDateTime('2015-06-29T20:39:09.123456+00:00'), { text: '2015-06-29T20:39:09.123456Z', offset: true })
  t.same(normaliseDateTime('2015-06-29T18:09:09-0230'), { text: '2015-06-29T20:39:09Z', offset: true })
  t.same(normaliseDateTime('2015-06-30T00:30:00+01'), { text: '2015-06-29T23:30:00Z', offset: true }, 'across midnight')
  t.same(normaliseDateTime('2015-06-29 20:39'), { text: '2015-06-29T20:39:00Z', offset: false })
  t.same(normaliseDateTime('2015-06-29t20:39:09z'), { text: '2015-06-29T20:39:09Z', offset: false })
  for (const bad of ['2015-02-30T10:00:00Z', '2015-06-29T24:00:00Z', '1970-1-1T00:00:00Z', '1435609149', '29.06.2015 20:39']) {
    t.equal(normaliseDateTime(bad), undefined, `${bad} is not read`)
  }
  const r = readTolerant(CdrSchema, {
    ...example('cdrs/cdr_example.json'),
    start_date_time: '2015-06-29T23:39:09+02:00',
    end_date_time: '2015-06-29 23:37',
  })
  t.same(kinds(r), ['datetime_offset start_date_time', 'datetime_format end_date_time'])
  t.equal(r.ok && r.value.start_date_time, '2015-06-29T21:39:09Z')
})

t.test('coordinates are re-scaled on their digits, half away from zero', async (t) => {
  t.equal(rescaleCoordinate('51.0476'), '51.04760')
  t.equal(rescaleCoordinate('51'), '51.00000')
  t.equal(rescaleCoordinate('3.72994415'), '3.7299442')
  t.equal(rescaleCoordinate('-3.72994415'), '-3.7299442')
  t.equal(rescaleCoordinate('9.99999999'), '10.0000000', 'the carry reaches the whole degrees')
  t.equal(rescaleCoordinate('51.047599'), '51.047599', 'in range: unchanged')
  t.equal(rescaleCoordinate('51,0476'), undefined, 'a decimal comma is not read')
})

t.test('numbers, booleans and ids in the other JSON type; enums in another spelling; lists as one value', async (t) => {
  const loc = example('locations/location_example.json')
  loc.publish = 'true'
  loc.evses[0].connectors[0].max_voltage = '220'
  loc.evses[0].connectors[0].id = 1
  loc.evses[0].connectors[0].standard = 'iec-62196-t2'
  loc.evses[0].parking_restrictions = 'EV_ONLY'
  loc.evses[0].capabilities = ['RESERVABLE', 'ISO_15118_20_PLUG_AND_CHARGE', 'rfid_reader']
  const r = readTolerant(LocationSchema, loc, LOCATION_INTAKE)
  t.same(kinds(r).sort(), [
    'boolean_as_string publish',
    'enum_case evses[0].capabilities[2]',
    'enum_case evses[0].connectors[0].standard',
    'number_as_string evses[0].connectors[0].max_voltage',
    'scalar_as_list evses[0].parking_restrictions',
    'string_as_number evses[0].connectors[0].id',
    'unknown_enum_dropped evses[0].capabilities[1]',
  ])
  if (!r.ok) return
  t.same(r.value.evses![0]!.capabilities, ['RESERVABLE', 'RFID_READER'])
  t.same(
    [
      r.value.publish,
      r.value.evses![0]!.connectors[0]!.max_voltage,
      r.value.evses![0]!.connectors[0]!.id,
      r.value.evses![0]!.connectors[0]!.standard,
    ],
    [true, 220, '1', 'IEC_62196_T2'],
  )
  t.same(r.value.evses![0]!.parking_restrictions, ['EV_ONLY'])
})

t.test('refused: what cannot be read without guessing', async (t) => {
  const cdr = example('cdrs/cdr_example.json')
  t.same(kinds(readTolerant(CdrSchema, { ...cdr, total_energy: 'fifteen' })), ['refused total_energy'])
  t.same(
    kinds(readTolerant(CdrSchema, { ...cdr, total_cost: { excl_vat: '4,00' } })),
    ['refused total_cost.excl_vat'],
    'a decimal comma is ambiguous',
  )
  t.same(kinds(readTolerant(CdrSchema, { ...cdr, auth_method: 'BY_HAND' })), ['refused auth_method'], 'an unknown value of a required enum')
  t.same(kinds(readTolerant(CdrSchema, { ...cdr, currency: 'EURO' })), ['refused currency'])
  t.same(
    kinds(readTolerant(LocationSchema, { ...example('locations/location_example.json'), facilities: ['WIFI', 'SAUNA'] })),
    ['refused facilities.1'],
    'dropping needs the caller to allow it',
  )
})

t.test('strings over their limit: refused, unless the caller tolerates a few characters', async (t) => {
  const cdr = { ...example('cdrs/cdr_example.json'), id: 'X'.repeat(45) }
  t.same(kinds(readTolerant(CdrSchema, cdr)), ['refused id'])
  const r = readTolerant(CdrSchema, cdr, { overLongUpTo: 255 })
  t.same(kinds(r), ['too_long id'])
  t.equal(r.ok && r.value.id, 'X'.repeat(45), 'kept as sent')
  t.same(kinds(readTolerant(CdrSchema, { ...cdr, id: 'X'.repeat(256) }, { overLongUpTo: 255 })), ['refused id'])
  const unknownField = readTolerant(CdrSchema, { ...cdr, vendor_extension: { a: 1 }, total_energy: '15.342' }, { overLongUpTo: 255 })
  t.notOk(unknownField.ok && 'vendor_extension' in unknownField.value, 'unknown fields are stripped, as the strict parse does')
})
