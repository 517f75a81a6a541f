import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi/locations/${name}`, import.meta.url), 'utf8'))
const role = (country_code: string, party_id: string) => ({
  role: 'CPO',
  country_code,
  party_id,
  business_details: { name: `CPO ${party_id}` },
})
const PARTIES = [role('BE', 'BEC'), role('SE', 'EVC'), role('NL', 'ALF'), role('NL', 'ALL'), role('DE', 'ALL')]

const setup = async (tt: { teardown(fn: () => unknown): void }) => {
  const emsp = await startTestApp(tt)
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Platform' })).body
  const cpo = await startCpoSimulator(tt, { countryCode: 'BE', partyId: 'BEC', roles: PARTIES })
  await cpo.registerWith(versions_url, token_a)
  const url = cpo.endpointOfEmsp('locations')
  return { emsp, cpo, url, loc1: `${url}/BE/BEC/LOC1` }
}

t.test('spec example Locations are accepted unmodified and read back as sent', async (t) => {
  const { cpo, url } = await setup(t)
  for (const name of [
    'location_example.json',
    'location_example_parking_garage_opening_hours.json',
    'location_example_uc2_destination_charger.json',
    'location_example_uc3_destination_charger_not_published.json',
    'location_example_uc4_limited_visibility.json',
    'location_example_uc5_home_charge_point.json',
  ]) {
    const l = fixture(name)
    const put = await cpo.call('PUT', `${url}/${l.country_code}/${l.party_id}/${l.id}`, l)
    t.equal(put.body.status_code, 1000, `${name} accepted`)
    // uc3 shares uc2's id and last_updated: it replaces it (an update), everything else is new.
    t.equal(put.status, name.includes('uc3') ? 200 : 201, `${name} status`)
    const got = await cpo.call('GET', `${url}/${l.country_code}/${l.party_id}/${l.id}`)
    t.same(got.body.data, l, `${name} reads back`)
  }
})

t.test('the invalid spec example EVSE PUT is refused with 2001 naming the fields, nothing written', async (t) => {
  const { cpo, loc1 } = await setup(t)
  await cpo.call('PUT', loc1, fixture('location_example.json'))
  const bad = fixture('location_put_example_add_evse.json')
  const res = await cpo.call('PUT', `${loc1}/${bad.uid}`, bad)
  t.equal(res.body.status_code, 2001)
  t.match(res.body.status_message, /power_type/)
  // Its numeric physical_reference is read as text by the tolerant intake: not among the problems.
  t.notMatch(res.body.status_message, /physical_reference/)
  // The example addresses EVSE 3256, which location_example already holds: it stays as it was.
  t.same((await cpo.call('GET', `${loc1}/${bad.uid}`)).body.data, fixture('location_example.json').evses[0])
})

t.test("PATCH examples at EVSE and connector level; children move their parents' last_updated", async (t) => {
  const { cpo, loc1 } = await setup(t)
  await cpo.call('PUT', loc1, fixture('location_example.json'))
  const status = await cpo.call('PATCH', `${loc1}/3256`, fixture('location_patch_example_status.json'))
  t.equal(status.status, 200)
  t.equal(status.body.status_code, 1000)
  let evse = (await cpo.call('GET', `${loc1}/3256`)).body.data
  t.equal(evse.status, 'CHARGING')
  t.equal(evse.last_updated, '2019-06-24T12:39:09Z')
  t.equal(evse.connectors.length, 2, 'connectors kept')
  t.equal((await cpo.call('GET', loc1)).body.data.last_updated, '2019-06-24T12:39:09Z', 'location bumped by the EVSE PATCH')

  const tariffPatch = { ...fixture('location_patch_example_tariff.json'), last_updated: '2019-06-25T10:00:00Z' }
  t.equal((await cpo.call('PATCH', `${loc1}/3256/2`, tariffPatch)).body.status_code, 1000)
  const connector = (await cpo.call('GET', `${loc1}/3256/2`)).body.data
  t.same(connector.tariff_ids, ['15'])
  t.equal(connector.standard, 'IEC_62196_T2', 'other connector fields kept')
  evse = (await cpo.call('GET', `${loc1}/3256`)).body.data
  t.equal(evse.last_updated, '2019-06-25T10:00:00Z', 'EVSE bumped by the connector PATCH')
  t.equal((await cpo.call('GET', loc1)).body.data.last_updated, '2019-06-25T10:00:00Z', 'location bumped by the connector PATCH')

  const removed = { ...fixture('location_patch_example_remove_evse.json'), last_updated: '2019-06-26T00:00:00Z' }
  await cpo.call('PATCH', `${loc1}/3257`, removed)
  t.equal((await cpo.call('GET', `${loc1}/3257`)).body.data.status, 'REMOVED')
})

t.test('ordering: older writes are acknowledged and ignored, replays are harmless, newest wins', async (t) => {
  const { cpo, loc1 } = await setup(t)
  const l = fixture('location_example.json')
  const newer = { ...l, name: 'Newer', last_updated: '2020-01-01T00:00:00Z' }
  t.equal((await cpo.call('PUT', loc1, newer)).status, 201)
  const older = await cpo.call('PUT', loc1, { ...l, name: 'Older' })
  t.equal(older.status, 200)
  t.equal(older.body.status_code, 1000)
  t.match(older.body.status_message, /newer/)
  t.equal((await cpo.call('GET', loc1)).body.data.name, 'Newer')

  t.equal((await cpo.call('PATCH', `${loc1}/3256`, { status: 'CHARGING', last_updated: '2020-02-01T00:00:00Z' })).status, 200)
  const stale = await cpo.call('PATCH', `${loc1}/3256`, { status: 'AVAILABLE', last_updated: '2020-01-15T00:00:00Z' })
  t.match(stale.body.status_message, /newer/)
  t.equal((await cpo.call('GET', `${loc1}/3256`)).body.data.status, 'CHARGING', 'an older status PATCH does not win')
  const replay = await cpo.call('PATCH', `${loc1}/3256`, { status: 'CHARGING', last_updated: '2020-02-01T00:00:00Z' })
  t.equal(replay.body.status_code, 1000)
  t.equal((await cpo.call('GET', `${loc1}/3256`)).body.data.status, 'CHARGING')
  t.equal((await cpo.call('GET', loc1)).body.data.last_updated, '2020-02-01T00:00:00Z')

  const staleLoc = await cpo.call('PATCH', loc1, { name: 'Stale', last_updated: '2019-01-01T00:00:00Z' })
  t.match(staleLoc.body.status_message, /newer/)
  t.equal((await cpo.call('GET', loc1)).body.data.name, 'Newer')

  // Newer than the Location's own last_updated (2020-01-01) but older than its EVSE's (2020-02-01):
  // what we hold for the Location is the newest of the two, so this PUT is older and ignored.
  const betweenPut = await cpo.call('PUT', loc1, { ...l, name: 'Between', last_updated: '2020-01-15T00:00:00Z' })
  t.match(betweenPut.body.status_message, /newer/)
  const betweenPatch = await cpo.call('PATCH', loc1, { name: 'Between', last_updated: '2020-01-15T00:00:00Z' })
  t.match(betweenPatch.body.status_message, /newer/)
  const held = (await cpo.call('GET', loc1)).body.data
  t.equal(held.name, 'Newer')
  t.equal(held.evses.find((e: { uid: string }) => e.uid === '3256').status, 'CHARGING', 'the older PUT did not reset the EVSE')
  t.equal(held.last_updated, '2020-02-01T00:00:00Z')

  // A newer PUT replaces the tree, and the Location serves its own last_updated again.
  t.equal((await cpo.call('PUT', loc1, { ...l, name: 'Newest', last_updated: '2020-03-01T00:00:00Z' })).status, 200)
  const newest = (await cpo.call('GET', loc1)).body.data
  t.equal(newest.name, 'Newest')
  t.equal(newest.last_updated, '2020-03-01T00:00:00Z')
  t.equal(newest.evses.find((e: { uid: string }) => e.uid === '3256').status, l.evses[0].status, 'the EVSE as the newer PUT has it')
})

t.test('party rules: foreign party or a URL/body mismatch is refused and nothing is written', async (t) => {
  const { cpo, url, loc1 } = await setup(t)
  const l = fixture('location_example.json')
  const foreign = await cpo.call('PUT', `${url}/FR/XYZ/LOC1`, { ...l, country_code: 'FR', party_id: 'XYZ' })
  t.equal(foreign.status, 404)
  t.equal(foreign.body.status_code, 2001)
  t.match(foreign.body.status_message, /FR\/XYZ/)
  const mismatch = await cpo.call('PUT', `${url}/BE/BEC/OTHER`, l)
  t.equal(mismatch.body.status_code, 2001)
  t.match(mismatch.body.status_message, /id in the body \(LOC1\) differs/)
  const partyMismatch = await cpo.call('PUT', `${url}/NL/ALL/LOC1`, l)
  t.equal(partyMismatch.body.status_code, 2001)
  t.equal((await cpo.call('GET', `${url}/BE/BEC/OTHER`)).status, 404)
  t.equal((await cpo.call('GET', `${url}/NL/ALL/LOC1`)).status, 404)
  t.equal((await cpo.call('GET', `${url}/FR/XYZ/LOC1`)).status, 404)

  await cpo.call('PUT', loc1, l)
  const evseMismatch = await cpo.call('PATCH', `${loc1}/3256`, { uid: '3257', status: 'CHARGING', last_updated: '2030-01-01T00:00:00Z' })
  t.equal(evseMismatch.body.status_code, 2001)
  t.equal((await cpo.call('GET', `${loc1}/3256`)).body.data.status, 'AVAILABLE')
  t.equal((await cpo.call('GET', `${loc1}/3257`)).body.data.status, 'RESERVED')
})

t.test('unknown parents: 404 + 2003; a PUT that drops an EVSE or connector retires it', async (t) => {
  const { cpo, loc1 } = await setup(t)
  const l = fixture('location_example.json')
  const orphan = await cpo.call('PUT', `${loc1}/3256`, l.evses[0])
  t.equal(orphan.status, 404)
  t.equal(orphan.body.status_code, 2003)
  t.equal((await cpo.call('PATCH', `${loc1}/9999`, { status: 'CHARGING', last_updated: '2030-01-01T00:00:00Z' })).body.status_code, 2003)
  await cpo.call('PUT', loc1, l)
  const [first, second] = l.evses
  const shrunk = { ...l, last_updated: '2021-01-01T00:00:00Z', evses: [{ ...first, connectors: [first.connectors[0]] }] }
  const put = await cpo.call('PUT', loc1, shrunk)
  t.equal(put.body.status_code, 1000, put.body.status_message)
  const got = (await cpo.call('GET', loc1)).body.data
  t.same(
    got.evses.map((e: { uid: string; status: string }) => [e.uid, e.status]),
    [
      ['3256', first.status],
      ['3257', 'REMOVED'],
    ],
  )
  t.equal(got.evses[0].connectors.length, 1, 'the dropped connector is no longer served')
  t.equal((await cpo.call('GET', `${loc1}/3256/2`)).status, 404)
  t.ok(second)
})

t.test('search by area, status, power type, power and capabilities', async (t) => {
  const { emsp, cpo, url } = await setup(t)
  for (const name of [
    'location_example.json',
    'location_example_uc4_limited_visibility.json',
    'location_example_uc5_home_charge_point.json',
  ]) {
    const l = fixture(name)
    await cpo.call('PUT', `${url}/${l.country_code}/${l.party_id}/${l.id}`, l)
  }
  const { createLocationsService } = await import('../../../src/ocpi/locations/locations.service.js')
  const svc = createLocationsService({ db: emsp.database.db, clock: { now: () => new Date() }, log: emsp.app.log })
  const ids = async (q: Parameters<typeof svc.search>[0]) => (await svc.search(q)).map((r) => r.id)
  // ordered by country, party, id
  t.same(await ids({}), ['LOC1', 'A5295927-09B9-4A71-B4B9-A5FFFDFA0B77', 'F76C2E0C-A6EF-4F67-BF23-6A187E5CA0E0'])
  // LOC1: AC_3_PHASE 220 V x 16 A x 3 phases = 10 560 W; uc4: 230 V x 16 A x 3 = 11 040 W; uc5: 230 V x 8 A = 1 840 W
  t.same(await ids({ minPowerW: 10_560 }), ['LOC1', 'F76C2E0C-A6EF-4F67-BF23-6A187E5CA0E0'])
  t.same(await ids({ minPowerW: 11_040 }), ['F76C2E0C-A6EF-4F67-BF23-6A187E5CA0E0'])
  t.same(await ids({ minPowerW: 11_041 }), [])
  t.same(await ids({ status: 'RESERVED' }), ['LOC1'])
  t.same(await ids({ capabilities: ['RESERVABLE'] }), ['LOC1'])
  t.same(await ids({ area: { minLat: '51.0', maxLat: '51.1', minLon: '3.7', maxLon: '3.8' } }), ['LOC1'])
  t.same(await ids({ powerType: 'AC_1_PHASE' }), ['A5295927-09B9-4A71-B4B9-A5FFFDFA0B77'])
})
