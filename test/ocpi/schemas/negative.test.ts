// Targeted refusals: each test breaks one thing in an otherwise valid spec example and
// checks both that the schema refuses it and what the 2001 status_message would say.
import t, { type Test } from 'tap'
import type { z } from 'zod'
import { CdrSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'
import { CredentialsSchema } from '../../../src/ocpi/credentials/credentials.schema.js'
import { EvsePatchSchema, LocationPatchSchema, LocationSchema } from '../../../src/ocpi/locations/locations.schema.js'
import { SessionPatchSchema } from '../../../src/ocpi/sessions/sessions.schema.js'
import { TokenPatchSchema } from '../../../src/ocpi/tokens/tokens.schema.js'
import { describeZodError } from '../../../src/ocpi/v221/validation.js'
import { readExample } from './fixtures.js'

type Json = Record<string, any>

const location = (): Json => readExample('locations/location_example.json') as Json
const cdr = (): Json => readExample('cdrs/cdr_example.json') as Json
const credentials = (): Json => readExample('credentials/credentials_example.json') as Json

/** The describeZodError text of a refused value; fails the test when the value parses. */
function refusal(t: Test, schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value)
  t.notOk(result.success, 'is refused')
  return result.success ? '' : describeZodError(result.error)
}

t.test('wrong enum values', async (t) => {
  const small = location()
  small.evses[0].connectors[0].power_type = 'AC'
  t.equal(
    refusal(t, LocationSchema, small),
    'evses[0].connectors[0].power_type: must be one of AC_1_PHASE, AC_2_PHASE, AC_2_PHASE_SPLIT, AC_3_PHASE, DC',
  )

  const large = location()
  large.evses[0].connectors[0].standard = 'TYPE_2'
  t.match(refusal(t, LocationSchema, large), /^evses\[0\]\.connectors\[0\]\.standard: not an allowed value \(\d+ choices/)

  // Enum values are case-sensitive, including the spec's own mixed-case value.
  const upper = location()
  upper.evses[0].connectors[0].standard = 'IEC_60309_2_SINGLE_16'
  t.notOk(LocationSchema.safeParse(upper).success)
  upper.evses[0].connectors[0].standard = 'IEC_60309_2_single_16'
  t.ok(LocationSchema.safeParse(upper).success)

  const status = location()
  status.evses[1].status = 'reserved'
  t.match(refusal(t, LocationSchema, status), /^evses\[1\]\.status: not an allowed value/)
})

t.test('too long CiString and string', async (t) => {
  const id = location()
  id.id = 'L'.repeat(37)
  t.equal(refusal(t, LocationSchema, id), 'id: must be at most 36 characters long')
  id.id = 'L'.repeat(36)
  t.ok(LocationSchema.safeParse(id).success, '36 characters fit')

  const city = location()
  city.city = 'G'.repeat(46)
  t.equal(refusal(t, LocationSchema, city), 'city: must be at most 45 characters long')

  // Location address/state use the erratum limits (255/45), not the printed 45/20.
  const address = location()
  address.address = 'A'.repeat(255)
  address.state = 'S'.repeat(45)
  t.ok(LocationSchema.safeParse(address).success)
  address.address = 'A'.repeat(256)
  t.equal(refusal(t, LocationSchema, address), 'address: must be at most 255 characters long')
})

t.test('CiString must be printable ASCII; string must be printable', async (t) => {
  const id = location()
  id.evses[0].uid = 'Gent-Zuid-é'
  t.equal(refusal(t, LocationSchema, id), 'evses[0].uid: must be printable ASCII')

  const name = location()
  name.name = 'Gent\nZuid'
  t.equal(refusal(t, LocationSchema, name), 'name: contains non-printable characters')
  name.name = 'Gent\tZuid'
  t.equal(refusal(t, LocationSchema, name), 'name: contains non-printable characters')
  name.name = 'Malmö – Gent Zuid'
  t.ok(LocationSchema.safeParse(name).success, 'non-ASCII printable text is fine in a string')
})

t.test('missing and null required fields', async (t) => {
  const missing = location()
  delete missing.time_zone
  delete missing.evses[0].connectors[1].format
  t.equal(refusal(t, LocationSchema, missing), 'evses[0].connectors[1].format: required\ntime_zone: required')

  const nulled = location()
  nulled.coordinates = null
  nulled.evses[0].status = null
  t.equal(refusal(t, LocationSchema, nulled), 'coordinates: must not be null\nevses[0].status: must not be null')

  t.equal(refusal(t, LocationSchema, null), '(root): must not be null')
  t.equal(refusal(t, LocationSchema, []), '(root): expected object, got array')
})

t.test('numbers are JSON numbers, never coerced', async (t) => {
  const voltage = location()
  voltage.evses[0].connectors[0].max_voltage = '220'
  t.equal(refusal(t, LocationSchema, voltage), 'evses[0].connectors[0].max_voltage: expected number, got string')
  voltage.evses[0].connectors[0].max_voltage = 220.5
  t.equal(refusal(t, LocationSchema, voltage), 'evses[0].connectors[0].max_voltage: expected an integer, got number')

  const total = cdr()
  total.total_cost.excl_vat = '4.00'
  t.equal(refusal(t, CdrSchema, total), 'total_cost.excl_vat: expected number, got string')
})

t.test('DateTime with an offset is refused', async (t) => {
  for (const offset of ['+02:00', '+00:00', '-05:00', '+0200']) {
    const value = location()
    value.last_updated = `2015-06-29T20:39:09${offset}`
    t.equal(refusal(t, LocationSchema, value), 'last_updated: UTC offsets are not allowed, use Z', offset)
  }
})

t.test('CdrToken country_code/party_id are required in 2.2.1', async (t) => {
  const value = cdr()
  delete value.cdr_token.party_id
  t.equal(refusal(t, CdrSchema, value), 'cdr_token.party_id: required')
})

t.test('credentials token: printable ASCII U+0021..U+007E, at most 64', async (t) => {
  const cases: [string, string][] = [
    ['ebf3b399 779f', 'token: must be printable ASCII without spaces'],
    ['ebf3b399\t779f', 'token: must be printable ASCII without spaces'],
    ['ebf3b399\n', 'token: must be printable ASCII without spaces'],
    ['tökén', 'token: must be printable ASCII without spaces'],
    ['x'.repeat(65), 'token: must be at most 64 characters long'],
    ['', 'token: must be at least 1 characters long'],
  ]
  for (const [token, message] of cases) {
    const value = credentials()
    value.token = token
    t.equal(refusal(t, CredentialsSchema, value), message, JSON.stringify(token))
  }
  const edges = credentials()
  edges.token = '!' + 'x'.repeat(62) + '~'
  t.ok(CredentialsSchema.safeParse(edges).success, 'U+0021 and U+007E at 64 characters are accepted')
})

t.test('PATCH without last_updated is refused', async (t) => {
  const evse = readExample('locations/location_patch_example_status.json') as Json
  delete evse.last_updated
  t.equal(refusal(t, EvsePatchSchema, evse), 'last_updated: required')

  const session = readExample('sessions/session_patch_example_total_cost.json') as Json
  delete session.last_updated
  t.equal(refusal(t, SessionPatchSchema, session), 'last_updated: required')

  const token = readExample('tokens/token_patch_example.json') as Json
  delete token.last_updated
  t.equal(refusal(t, TokenPatchSchema, token), 'last_updated: required')
})

t.test('PATCH may clear optional fields but not required ones', async (t) => {
  const last_updated = '2019-06-24T12:39:09Z'
  t.ok(LocationPatchSchema.safeParse({ name: null, opening_times: null, last_updated }).success)
  t.equal(refusal(t, LocationPatchSchema, { address: null, last_updated }), 'address: must not be null')
  t.equal(
    refusal(t, EvsePatchSchema, { status: 'CHARGED', last_updated }),
    'status: not an allowed value (9 choices, e.g. AVAILABLE, BLOCKED, CHARGING)',
  )
  t.equal(refusal(t, EvsePatchSchema, { connectors: [], last_updated }), 'connectors: must not be empty')
})
