// Module objects the spec has no example file for (commands, authorization, preferences),
// and the module rules and leniencies documented in src/ocpi/v221/README.md.
import t from 'tap'
import type { z } from 'zod'
import { CdrLocationSchema, CdrSchema, SignedDataSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'
import {
  CommandResponseSchema,
  CommandResultSchema,
  ReserveNowSchema,
  StartSessionSchema,
  UnlockConnectorSchema,
} from '../../../src/ocpi/commands/commands.schema.js'
import { LocationSchema, PublishTokenTypeSchema } from '../../../src/ocpi/locations/locations.schema.js'
import { ChargingPreferencesSchema, SessionSchema } from '../../../src/ocpi/sessions/sessions.schema.js'
import { AuthorizationInfoSchema, LocationReferencesSchema } from '../../../src/ocpi/tokens/tokens.schema.js'
import { describeZodError } from '../../../src/ocpi/v221/validation.js'
import { EndpointSchema, VersionListSchema } from '../../../src/ocpi/versions/versions.schema.js'
import { readExample } from './fixtures.js'

type Json = Record<string, any>
const problem = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value)
  return result.success ? 'accepted' : describeZodError(result.error)
}
const token = () => readExample('tokens/token_example_1_app_user.json') as Json
const cdr = () => readExample('cdrs/cdr_example.json') as Json
const RESPONSE_URL = 'https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/6f3b2a9e'

t.test('unknown fields are stripped, not refused', async (t) => {
  const value = { ...(readExample('locations/location_example.json') as Json), x_vendor: 1 }
  const parsed = LocationSchema.parse(value) as Json
  t.notOk('x_vendor' in parsed)
})

t.test('Location time_zone must be an IANA zone', async (t) => {
  const value = readExample('locations/location_example.json') as Json
  value.time_zone = 'Europe/Atlantis'
  t.equal(problem(LocationSchema, value), 'time_zone: not an IANA time zone')
  value.time_zone = 'UTC'
  t.equal(problem(LocationSchema, value), 'accepted')
})

t.test('PublishTokenType: identifying fields and their companions', async (t) => {
  t.equal(problem(PublishTokenTypeSchema, { group_id: 'DF000-2001-8999' }), 'accepted')
  t.equal(problem(PublishTokenTypeSchema, {}), '(root): needs at least one of uid, visual_number, group_id')
  t.equal(problem(PublishTokenTypeSchema, { issuer: 'ANWB' }), '(root): needs at least one of uid, visual_number, group_id')
  t.equal(problem(PublishTokenTypeSchema, { uid: '12345678905880' }), 'type: required when uid is set')
  t.equal(problem(PublishTokenTypeSchema, { visual_number: '12345-67' }), 'issuer: required when visual_number is set')
})

t.test('Session: #NA EVSE and connector for a reservation', async (t) => {
  const value = readExample('sessions/session_example_1_simple_start.json') as Json
  Object.assign(value, { status: 'RESERVATION', evse_uid: '#NA', connector_id: '#NA' })
  t.equal(problem(SessionSchema, value), 'accepted')
  value.status = 'RESERVED' // the prose's name, not the enum's
  t.match(problem(SessionSchema, value), /^status: must be one of ACTIVE, COMPLETED, INVALID, PENDING, RESERVATION$/)
})

t.test('CDR: credit CDRs, long ids, session-only dimensions', async (t) => {
  const credit = cdr()
  Object.assign(credit, { id: '12345-C', credit: true, total_cost: { excl_vat: -4.0, incl_vat: -4.4 } })
  t.equal(problem(CdrSchema, credit), 'credit_reference_id: required when credit is true')
  credit.credit_reference_id = '12345'
  t.equal(problem(CdrSchema, credit), 'accepted', 'negative totals with a reference')

  const long = cdr()
  long.id = 'C'.repeat(39)
  t.equal(problem(CdrSchema, long), 'accepted', '39-character id')
  long.id = 'C'.repeat(40)
  t.equal(problem(CdrSchema, long), 'id: must be at most 39 characters long')

  const soc = cdr()
  soc.charging_periods[0].dimensions.push({ type: 'STATE_OF_CHARGE', volume: 80 })
  t.equal(problem(CdrSchema, soc), 'accepted', 'a Session-only dimension does not lose the CDR')

  const empty = cdr()
  empty.charging_periods = []
  t.equal(problem(CdrSchema, empty), 'charging_periods: must not be empty')
})

t.test('CdrLocation: address and state use the Location erratum limits', async (t) => {
  const location = cdr().cdr_location as Json
  Object.assign(location, { address: 'A'.repeat(255), state: 'S'.repeat(45) })
  t.equal(problem(CdrLocationSchema, location), 'accepted')
  Object.assign(location, { address: 'A'.repeat(256), state: 'S'.repeat(46) })
  t.equal(problem(CdrLocationSchema, location), 'address: must be at most 255 characters long\nstate: must be at most 45 characters long')
})

t.test('SignedData: plain_data up to 5000 characters', async (t) => {
  const signed = (plain: string) => ({
    encoding_method: 'OCMF',
    signed_values: [{ nature: 'Start', plain_data: plain, signed_data: 'c2lnbmF0dXJl' }],
  })
  t.equal(problem(SignedDataSchema, signed('x'.repeat(5000))), 'accepted')
  t.equal(problem(SignedDataSchema, signed('x'.repeat(5001))), 'signed_values[0].plain_data: must be at most 5000 characters long')
  t.equal(problem(SignedDataSchema, { encoding_method: 'OCMF', signed_values: [] }), 'signed_values: must not be empty')
})

t.test('real-time authorization bodies', async (t) => {
  t.equal(problem(LocationReferencesSchema, { location_id: 'LOC1' }), 'accepted')
  t.equal(problem(LocationReferencesSchema, { location_id: 'LOC1', evse_uids: ['3256', '3257'] }), 'accepted')
  t.equal(problem(LocationReferencesSchema, { evse_uids: ['3256'] }), 'location_id: required')
  const info = { allowed: 'ALLOWED', token: token(), authorization_reference: 'a1b2c3', info: { language: 'en', text: 'Welcome' } }
  t.equal(problem(AuthorizationInfoSchema, info), 'accepted')
  t.equal(
    problem(AuthorizationInfoSchema, { ...info, allowed: 'OK' }),
    'allowed: must be one of ALLOWED, BLOCKED, EXPIRED, NO_CREDIT, NOT_ALLOWED',
  )
  t.equal(problem(AuthorizationInfoSchema, { allowed: 'BLOCKED' }), 'token: required')
})

t.test('commands we send', async (t) => {
  const start = { response_url: RESPONSE_URL, token: token(), location_id: 'LOC1', evse_uid: '3256', connector_id: '1' }
  t.equal(problem(StartSessionSchema, start), 'accepted')
  t.equal(problem(StartSessionSchema, { ...start, evse_uid: undefined }), 'evse_uid: required when connector_id is set')
  t.equal(problem(StartSessionSchema, { ...start, response_url: '/commands/1' }), 'response_url: not an absolute http(s) URL')
  const reserve = {
    response_url: RESPONSE_URL,
    token: token(),
    expiry_date: '2020-03-09T10:37:09Z',
    reservation_id: 'R1',
    location_id: 'LOC1',
  }
  t.equal(problem(ReserveNowSchema, reserve), 'accepted', 'without evse_uid: any EVSE')
  t.equal(
    problem(ReserveNowSchema, { ...reserve, expiry_date: '2020-03-09T11:37:09+01:00' }),
    'expiry_date: UTC offsets are not allowed, use Z',
  )
  t.equal(problem(UnlockConnectorSchema, { response_url: RESPONSE_URL, location_id: 'LOC1', evse_uid: '3256' }), 'connector_id: required')
})

t.test('command answers from the CPO', async (t) => {
  t.equal(problem(CommandResponseSchema, { result: 'ACCEPTED', timeout: 30 }), 'accepted')
  t.equal(
    problem(CommandResponseSchema, { result: 'REJECTED', timeout: 0, message: [{ language: 'en', text: 'Unknown location' }] }),
    'accepted',
  )
  t.equal(problem(CommandResponseSchema, { result: 'ACCEPTED', timeout: 2.5 }), 'timeout: expected an integer, got number')
  t.equal(problem(CommandResponseSchema, { result: 'ACCEPTED' }), 'timeout: required')
  t.equal(problem(CommandResultSchema, { result: 'CANCELED_RESERVATION' }), 'accepted')
  t.match(problem(CommandResultSchema, { result: 'CANCELLED_RESERVATION' }), /^result: not an allowed value \(9 choices/)
})

t.test('charging preferences', async (t) => {
  t.equal(
    problem(ChargingPreferencesSchema, {
      profile_type: 'FAST',
      departure_time: '2019-06-23T18:00:00Z',
      energy_need: 32.5,
      discharge_allowed: false,
    }),
    'accepted',
  )
  t.equal(problem(ChargingPreferencesSchema, {}), 'profile_type: required')
  t.equal(problem(ChargingPreferencesSchema, { profile_type: 'FASTEST' }), 'profile_type: must be one of CHEAP, FAST, GREEN, REGULAR')
})

t.test('versions: unknown peer versions and custom modules do not spoil the list', async (t) => {
  const list = [
    { version: '2.2.1', url: 'https://cpo.example.com/ocpi/2.2.1' },
    { version: '3.0', url: 'https://cpo.example.com/ocpi/3.0' },
  ]
  t.equal(problem(VersionListSchema, list), 'accepted')
  t.equal(problem(VersionListSchema, []), '(root): must not be empty')
  t.equal(
    problem(VersionListSchema, [{ version: 'latest', url: 'https://cpo.example.com/ocpi' }]),
    '[0].version: must be a dotted version number',
  )
  const endpoint = (identifier: unknown) => ({ identifier, role: 'SENDER', url: 'https://cpo.example.com/ocpi/2.2.1/x' })
  t.equal(problem(EndpointSchema, endpoint('nltnm-tokens')), 'accepted')
  t.equal(problem(EndpointSchema, endpoint('parking')), 'identifier: not an OCPI ModuleID nor a custom <cc><pid>-<name> id')
  t.equal(problem(EndpointSchema, endpoint(undefined)), 'identifier: required')
})
