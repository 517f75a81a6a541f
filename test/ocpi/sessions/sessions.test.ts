import { readFileSync } from 'node:fs'
import t from 'tap'
import { createSessionsService } from '../../../src/ocpi/sessions/sessions.service.js'
import { systemClock } from '../../../src/platform/clock.js'
import { randomIds } from '../../../src/platform/ids.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const text = (path: string) => readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8')
const example = (name: string) => JSON.parse(text(`sessions/${name}`))
const role = (cc: string, pid: string) => ({ role: 'CPO', country_code: cc, party_id: pid, business_details: { name: `CPO ${pid}` } })

t.test('Sessions Receiver over real HTTP', async (t) => {
  const emsp = await startTestApp(t)
  const join = async (name: string, opts: Parameters<typeof startCpoSimulator>[1]) => {
    const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name })).body
    const cpo = await startCpoSimulator(t, opts)
    await cpo.registerWith(versions_url, token_a)
    return cpo
  }
  const cpo = await join('Platform', {
    countryCode: 'NL',
    partyId: 'STK',
    roles: [role('NL', 'STK'), role('BE', 'BEC'), role('NL', 'TNM')],
  })
  const other = await join('IONITY', { countryCode: 'DE', partyId: 'ION' })
  const base = cpo.endpointOfEmsp('sessions')
  const get = async (path: string) => (await cpo.call('GET', `${base}/${path}`)).body.data

  t.test('the spec examples are accepted unmodified and read back as sent', async (t) => {
    for (const [name, path] of [
      ['session_example_1_simple_start.json', 'NL/STK/101'],
      ['session_example_2_short_finished.json', 'BE/BEC/101'],
    ] as const) {
      const body = example(name)
      const created = await cpo.call('PUT', `${base}/${path}`, body)
      t.equal(created.status, 201, `${name}: new object answers 201`)
      t.equal(created.body.status_code, 1000, created.body.status_message)
      t.notOk('data' in created.body, 'no data on a PUT answer')
      t.same(await get(path), body, `${name} stored as sent`)
      const again = await cpo.call('PUT', `${base}/${path}`, body)
      t.equal(again.status, 200, 'an update answers 200')
      t.same(await get(path.toLowerCase()), body, 'identical replay is harmless; ids are case-insensitive')
    }
  })

  t.test('PATCH merges fields and appends charging periods once', async (t) => {
    const start = { ...example('session_example_1_simple_start.json'), party_id: 'TNM', last_updated: '2019-06-23T08:00:00Z' }
    t.equal((await cpo.call('PUT', `${base}/NL/TNM/101`, start)).status, 201)

    const cost = await cpo.call('PATCH', `${base}/NL/TNM/101`, example('session_patch_example_total_cost.json'))
    t.equal(cost.body.status_code, 1000, cost.body.status_message)
    let held = await get('NL/TNM/101')
    t.same(held.total_cost, { excl_vat: 0.6, incl_vat: 0.66 })
    t.equal(held.status, 'PENDING', 'fields absent from the PATCH stay')
    t.equal(held.last_updated, '2019-06-23T08:11:00Z')

    const periodPatch = example('session_patch_example_charging_period.json')
    t.equal((await cpo.call('PATCH', `${base}/NL/TNM/101`, periodPatch)).body.status_code, 1000)
    t.equal((await cpo.call('PATCH', `${base}/NL/TNM/101`, periodPatch)).body.status_code, 1000, 'replay acknowledged')
    held = await get('NL/TNM/101')
    t.same(held.charging_periods, periodPatch.charging_periods, 'the replayed PATCH appended nothing')
    t.equal(held.kwh, 15)

    const next = {
      charging_periods: [{ start_date_time: '2019-06-23T08:30:00Z', dimensions: [{ type: 'ENERGY', volume: 3 }] }],
      last_updated: '2019-06-23T08:30:00Z',
    }
    await cpo.call('PATCH', `${base}/NL/TNM/101`, next)
    held = await get('NL/TNM/101')
    t.same(
      held.charging_periods.map((p: { start_date_time: string }) => p.start_date_time),
      ['2019-06-23T08:16:02Z', '2019-06-23T08:30:00Z'],
      'appended in order',
    )

    t.test('an older PATCH is acknowledged and ignored, periods included', async (t) => {
      const stale = {
        kwh: 99,
        charging_periods: [{ start_date_time: '2019-06-23T08:20:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }] }],
        last_updated: '2019-06-23T08:20:00Z',
      }
      const res = await cpo.call('PATCH', `${base}/NL/TNM/101`, stale)
      t.equal(res.status, 200)
      t.equal(res.body.status_code, 1000)
      t.same(await get('NL/TNM/101'), held, 'nothing changed')
    })

    t.test('PUT replaces: its periods replace ours, an older PUT is ignored', async (t) => {
      const older = { ...held, kwh: 1, charging_periods: [], last_updated: '2019-06-23T08:29:59Z' }
      t.equal((await cpo.call('PUT', `${base}/NL/TNM/101`, older)).status, 200)
      t.same(await get('NL/TNM/101'), held, 'older PUT ignored')
      const newer = { ...held, status: 'COMPLETED', charging_periods: [], last_updated: '2019-06-23T09:00:00Z' }
      t.equal((await cpo.call('PUT', `${base}/NL/TNM/101`, newer)).status, 200)
      t.same((await get('NL/TNM/101')).charging_periods, [], 'an empty list removes the periods')
    })
  })

  t.test('a PATCH for an unknown session is 404 with 2001', async (t) => {
    const res = await cpo.call('PATCH', `${base}/NL/STK/nope`, example('session_patch_example_total_cost.json'))
    t.equal(res.status, 404)
    t.equal(res.body.status_code, 2001)
  })

  t.test("party rules: nothing is written under a party that is not the caller's or that differs from the body", async (t) => {
    const body = { ...example('session_example_1_simple_start.json'), id: 'P1' }
    const foreign = await other.call('PUT', `${other.endpointOfEmsp('sessions')}/NL/STK/P1`, body)
    t.equal(foreign.status, 404)
    t.equal(foreign.body.status_code, 2001)
    t.match(foreign.body.status_message, /NL\/STK/)
    t.equal((await cpo.call('GET', `${base}/NL/STK/P1`)).status, 404, 'not stored')

    const wrongId = await cpo.call('PUT', `${base}/NL/STK/P2`, body)
    t.equal(wrongId.body.status_code, 2001)
    t.match(wrongId.body.status_message, /id/)
    const wrongParty = await cpo.call('PUT', `${base}/BE/BEC/P1`, body)
    t.equal(wrongParty.body.status_code, 2001)
    t.match(wrongParty.body.status_message, /country_code|party_id/)
    t.equal((await cpo.call('GET', `${base}/NL/STK/P2`)).status, 404)
    t.equal((await cpo.call('GET', `${base}/BE/BEC/P1`)).status, 404)

    const foreignPatch = await other.call('PATCH', `${other.endpointOfEmsp('sessions')}/NL/STK/101`, {
      kwh: 5,
      last_updated: '2030-01-01T00:00:00Z',
    })
    t.equal(foreignPatch.status, 404)
    t.equal((await get('NL/STK/101')).kwh, 0, 'foreign PATCH changed nothing')
    t.equal((await other.call('GET', `${other.endpointOfEmsp('sessions')}/NL/STK/101`)).status, 404, 'other parties cannot read it')
  })

  t.test('invalid objects are refused with 2001 naming the field', async (t) => {
    const { kwh: _kwh, ...noKwh } = { ...example('session_example_1_simple_start.json'), id: 'BAD1' }
    const missing = await cpo.call('PUT', `${base}/NL/STK/BAD1`, noKwh)
    t.equal(missing.body.status_code, 2001)
    t.match(missing.body.status_message, /kwh/)
    const superseded = JSON.parse(text('superseded-2.2.1-tag/session_example_1_simple_start.json'))
    const old = await cpo.call('PUT', `${base}/${superseded.country_code}/${superseded.party_id}/${superseded.id}`, superseded)
    // Its CdrToken lacks country_code/party_id: the token of a Session sent to us is ours (tolerant intake).
    t.equal(old.body.status_code, 1000, 'the 2.2.1-tag example is read, its token given our party')
    const noStamp = await cpo.call('PATCH', `${base}/NL/STK/101`, { kwh: 3 })
    t.equal(noStamp.body.status_code, 2001)
    t.match(noStamp.body.status_message, /last_updated/)
    const nulled = await cpo.call('PATCH', `${base}/NL/STK/101`, { currency: null, last_updated: '2030-01-01T00:00:00Z' })
    t.equal(nulled.body.status_code, 2001, 'a PATCH may not null a required field')
    t.equal((await get('NL/STK/101')).currency, 'EUR')
  })

  t.test('lookups for the app and rating: by key, contract and token uid', async (t) => {
    const sessions = createSessionsService({ db: emsp.database.db, clock: systemClock, ids: randomIds })
    const one = await sessions.findByKey({ countryCode: 'be', partyId: 'bec', sessionId: '101' })
    t.equal(one?.kwh.toString(), '41.12', 'kwh as a Decimal')
    t.equal(one?.totalCost?.inclVat?.toString(), '9.35')
    const byContract = await sessions.listByContract('nl-tst-c12345678-s')
    t.same(byContract.map((s) => `${s.countryCode}/${s.partyId}/${s.sessionId}`).sort(), ['BE/BEC/101', 'NL/STK/101', 'NL/TNM/101'])
    t.equal((await sessions.listByTokenUid('123ABC')).length, 3)
    t.same(await sessions.listByContract('NL-TST-OTHER'), [])
  })
})
