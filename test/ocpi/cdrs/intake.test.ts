// Step 2 of the CDR intake (src/ocpi/cdrs/cdrs.intake.ts): what a CDR leaves out, completed from what
// we hold, each completion reported; nothing guessed. Pure: no database.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { fromOcpiCdr } from '../../../src/ocpi/cdrs/cdrs.convert.js'
import { readCdrBody, resolveCdr, type HeldFacts } from '../../../src/ocpi/cdrs/cdrs.intake.js'
import type { CdrIntake } from '../../../src/ocpi/cdrs/cdrs.schema.js'
import { LocationSchema } from '../../../src/ocpi/locations/locations.schema.js'

const json = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8')) as Record<string, any>
const read = (raw: unknown): CdrIntake => {
  const r = readCdrBody(raw)
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.value
}
const location = LocationSchema.parse(json('locations/location_example.json'))
const held: HeldFacts = { receiver: { countryCode: 'DE', partyId: 'BMW' }, receivedAt: new Date('2015-06-30T00:00:00Z') }
const kinds = (r: ReturnType<typeof resolveCdr>) => r.deviations.map((d) => d.kind)

t.test('a conforming CDR resolves to itself', async (t) => {
  const cdr = read(json('cdrs/cdr_example.json'))
  const r = resolveCdr(cdr, { ...held, location })
  t.same(r, { cdr, deviations: [] })
  t.same(resolveCdr(r.cdr, { ...held, location }).cdr, r.cdr, 'idempotent')
})

t.test("the token's party and contract: from our token, else the receiver's party; never invented", async (t) => {
  const cdr = read(json('superseded-2.2.1-tag/cdr_example.json'))
  t.same(resolveCdr(cdr, held).cdr.cdr_token, { ...cdr.cdr_token, country_code: 'DE', party_id: 'BMW' })
  const { contract_id: _c, ...bare } = cdr.cdr_token
  const ours = resolveCdr(
    { ...cdr, cdr_token: bare },
    { ...held, token: { countryCode: 'DE', partyId: 'BMW', contractId: 'DE-BMW-C12345678-X' } },
  )
  t.same(kinds(ours), ['token_party_resolved', 'token_contract_resolved'])
  t.equal(ours.cdr.cdr_token.contract_id, 'DE-BMW-C12345678-X')
  t.equal(
    resolveCdr({ ...cdr, cdr_token: bare }, held).cdr.cdr_token.contract_id,
    undefined,
    'not ours: the contract stays unknown (the service refuses it)',
  )
})

t.test('connector and address fields from the stored Location; the country from it, or alpha-2 as alpha-3', async (t) => {
  const cdr = read(json('cdrs/cdr_example.json'))
  // The example's EVSE has two connectors: its connector_id stays, the rest is read from the Location.
  const { evse_uid: _e, connector_standard: _s, connector_format: _f, connector_power_type: _p, address: _a, ...rest } = cdr.cdr_location
  // named by its EVSE id (the example CDR names an EVSE id the example Location does not have)
  const r = resolveCdr({ ...cdr, cdr_location: { ...rest, evse_id: 'BE*BEC*E041503001', country: '' } }, { ...held, location })
  t.same(kinds(r), ['connector_resolved', 'location_fields_resolved', 'country_resolved'])
  t.match(r.cdr.cdr_location, {
    evse_uid: '3256',
    connector_id: '1',
    connector_power_type: 'AC_3_PHASE',
    address: location.address,
    country: 'BEL',
  })
  const alone = resolveCdr({ ...cdr, cdr_location: { ...rest, country: '' } }, held)
  t.same(kinds(alone), ['connector_unresolved', 'country_unresolved'], 'without the Location: nothing guessed')
  t.equal(fromOcpiCdr(alone.cdr).location.powerType, null)
  t.equal(fromOcpiCdr(alone.cdr).location.country, null)
  const alpha2 = resolveCdr({ ...cdr, cdr_location: { ...cdr.cdr_location, country: 'be' } }, held)
  t.same([kinds(alpha2), alpha2.cdr.cdr_location.country], [['country_alpha2'], 'BEL'])
})

t.test('periods from totals, totals from periods; swapped times only when the total says so', async (t) => {
  const cdr = read(json('cdrs/cdr_example.json'))
  const noPeriods = resolveCdr({ ...cdr, charging_periods: [] }, held)
  t.same(noPeriods.cdr.charging_periods, [
    {
      start_date_time: cdr.start_date_time,
      dimensions: [
        { type: 'ENERGY', volume: 15.342 },
        { type: 'TIME', volume: 1.973 },
      ],
    },
  ])
  const { total_energy: _e, total_time: _t, ...noTotals } = cdr
  const totals = resolveCdr(noTotals as CdrIntake, held)
  t.same([totals.cdr.total_energy, totals.cdr.total_time], [0, 1.973], 'the example states only TIME')
  const swapped = resolveCdr({ ...cdr, start_date_time: cdr.end_date_time, end_date_time: cdr.start_date_time }, held)
  t.same([kinds(swapped), swapped.cdr.start_date_time], [['start_end_swapped'], cdr.start_date_time], '1.973 h is the swapped span')
  const unexplained = resolveCdr({ ...cdr, end_date_time: '2015-06-29T20:00:00Z' }, held)
  t.same([kinds(unexplained), unexplained.cdr.end_date_time], [[], '2015-06-29T20:00:00Z'], 'kept: the plausibility check holds it')
})
