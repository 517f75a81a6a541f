import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../../src/db/client.js'
import { createCdrsService } from '../../../src/ocpi/cdrs/cdrs.service.js'
import { systemClock } from '../../../src/platform/clock.js'
import { randomIds } from '../../../src/platform/ids.js'
import { startTestApp, tokenHeader } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const text = (path: string) => readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8')
const exampleText = text('cdrs/cdr_example.json')
const example = () => JSON.parse(exampleText)

t.test('CDRs Receiver over real HTTP', async (t) => {
  const emsp = await startTestApp(t)
  const join = async (name: string, cc: string, pid: string) => {
    const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name })).body
    const cpo = await startCpoSimulator(t, { countryCode: cc, partyId: pid })
    await cpo.registerWith(versions_url, token_a)
    return cpo
  }
  const cpo = await join('Be Charging', 'BE', 'BEC')
  const other = await join('IONITY', 'DE', 'ION')
  const url = cpo.endpointOfEmsp('cdrs')
  const db = emsp.database.db
  // The service's reads and lookups only: nothing here enqueues, resolves or counts.
  const cdrs = createCdrsService({
    db,
    clock: systemClock,
    ids: randomIds,
    jobs: { kick: () => {} },
    receiver: emsp.config.party,
    facts: { token: async () => undefined, location: async () => undefined },
    conformance: { accept: async () => {} },
  })
  const jobRows = () =>
    execRows<{ payload: { cdrId: string }; state: string; dedupe_key: string }>(
      db,
      sql`select payload, state, dedupe_key from jobs where queue = 'cdr.received' order by id`,
    )
  let location = ''

  t.test('the spec example is stored exactly as received, with a Location to read it back', async (t) => {
    const res = await emsp.ocpi('POST', new URL(url).pathname, { authorization: tokenHeader(cpo.state.tokenForEmsp!), body: exampleText })
    t.equal(res.status, 201)
    t.equal(res.body.status_code, 1000, res.body.status_message)
    location = String(res.headers.location)
    t.match(location, new RegExp(`^${url}/[0-9a-f-]{36}$`))
    const back = await cpo.call('GET', location)
    t.equal(back.status, 200)
    t.same(back.body.data, example())
    const stored = await cdrs.findById(location.split('/').pop()!)
    t.equal(stored?.raw, exampleText, 'raw body byte for byte')
    t.equal(stored?.totalCost.inclVat?.toString(), '4.4')
    t.equal(stored?.totalTime.toString(), '1.973')
    t.equal(stored?.token.contractId, 'DE8ACC12E46L89')
  })

  t.test('8 identical POSTs: same Location, one row, exactly one cdr.received job, run once', async (t) => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => cpo.call('POST', url, example())))
    t.same(
      answers.map((a) => [a.status, a.body.status_code, a.headers.location]),
      Array(8).fill([200, 1000, location]),
    )
    const jobs = await jobRows()
    t.equal(jobs.length, 1)
    t.same(jobs[0], { payload: { cdrId: location.split('/').pop() }, state: 'pending', dedupe_key: 'BE/BEC/12345' })
    t.ok((await emsp.app.jobs.runDue()) >= 1, 'the hand-off to rating runs')
    t.equal((await jobRows())[0]?.state, 'done')
    t.equal(await emsp.app.jobs.runDue(), 0, 'and nothing is left to run: handled once')
  })

  t.test('a different CDR under a stored id is refused and the stored one is unchanged', async (t) => {
    const changed = { ...example(), id: '12345'.toLowerCase(), total_cost: { excl_vat: 1, incl_vat: 1.1 } }
    const res = await cpo.call('POST', url, changed)
    t.equal(res.body.status_code, 2001)
    t.match(res.body.status_message, /immutable/)
    t.notOk(res.headers.location)
    t.same((await cpo.call('GET', location)).body.data, example())
    t.equal((await cdrs.findById(location.split('/').pop()!))?.raw, exampleText)
    t.equal((await jobRows()).length, 1)
  })

  t.test('credit CDRs are accepted and linked to the CDR they correct', async (t) => {
    const original = example()
    const credit = {
      ...original,
      id: '12345-C',
      credit: true,
      credit_reference_id: '12345',
      total_cost: { excl_vat: -4.0, incl_vat: -4.4 },
      total_time_cost: { excl_vat: -4.0, incl_vat: -4.4 },
    }
    const res = await cpo.call('POST', url, credit)
    t.equal(res.status, 201, res.body.status_message)
    const stored = await cdrs.findById(String(res.headers.location).split('/').pop()!)
    t.equal(stored?.credit, true)
    t.equal(stored?.totalCost.exclVat.toString(), '-4')
    t.equal(stored?.creditedCdrRowId, location.split('/').pop(), 'linked to the original row')
    t.same(
      (await cdrs.creditsOf({ countryCode: 'be', partyId: 'bec', cdrId: '12345' })).map((c) => c.cdrId),
      ['12345-C'],
    )
    const orderKeys = await execRows<{ dedupe_key: string; order_key: string }>(
      db,
      sql`select dedupe_key, order_key from jobs where queue = 'cdr.received' and dedupe_key like 'BE/BEC/12345%' order by id`,
    )
    t.same(
      orderKeys,
      [
        { dedupe_key: 'BE/BEC/12345', order_key: 'BE/BEC/12345' },
        { dedupe_key: 'BE/BEC/12345-C', order_key: 'BE/BEC/12345' },
      ],
      "the credit's hand-off is ordered behind its original's: a retried original is rated before its credit",
    )

    const { credit_reference_id: _ref, ...unlinked } = { ...credit, id: '12345-D' }
    const refused = await cpo.call('POST', url, unlinked)
    t.equal(refused.body.status_code, 2001)
    t.match(refused.body.status_message, /credit_reference_id/)
  })

  t.test('a CDR is linked to its session, token and contract', async (t) => {
    const session = JSON.parse(text('sessions/session_example_2_short_finished.json'))
    t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('sessions')}/BE/BEC/101`, session)).status, 201)
    const cdr = { ...example(), id: 'WITH-SESSION', session_id: '101', authorization_reference: 'ref-1' }
    const res = await cpo.call('POST', url, cdr)
    t.equal(res.status, 201)
    const stored = await cdrs.findByKey({ countryCode: 'BE', partyId: 'BEC', cdrId: 'with-session' })
    const sessionRow = await execRows<{ id: string }>(db, sql`select id from sessions where session_id = '101' and party_id = 'BEC'`)
    t.equal(stored?.sessionRowId, sessionRow[0]?.id)
    t.equal(stored?.authorizationReference, 'REF-1')
    t.same(stored?.token, { countryCode: 'DE', partyId: 'TNM', uid: '012345678', type: 'RFID', contractId: 'DE8ACC12E46L89' })
    const listed = await cdrs.list({ contractId: 'de8acc12e46l89', offset: 0, limit: 10 })
    t.same(
      listed.items.map((c) => c.cdrId),
      ['12345', '12345-C', 'WITH-SESSION'],
    )
    t.equal(listed.total, 3)
  })

  t.test("party rules: the body party must be the caller's; others cannot read a CDR", async (t) => {
    const foreign = await other.call('POST', other.endpointOfEmsp('cdrs'), { ...example(), id: 'FOREIGN' })
    t.equal(foreign.status, 404)
    t.equal(foreign.body.status_code, 2001)
    t.equal(await cdrs.findByKey({ countryCode: 'BE', partyId: 'BEC', cdrId: 'FOREIGN' }), undefined, 'nothing stored')
    t.equal((await other.call('GET', location)).status, 404)
    t.equal((await cpo.call('GET', `${url}/00000000-0000-4000-8000-000000000000`)).status, 404)
  })

  t.test('the same CDR re-sent with its id and party in another case is the same CDR (CiString), not different content', async (t) => {
    const res = await cpo.call('POST', url, { ...example(), country_code: 'be', party_id: 'bec', id: '12345' })
    t.same([res.status, res.body.status_code, res.headers.location], [200, 1000, location])
    const token = await cpo.call('POST', url, { ...example(), cdr_token: { ...example().cdr_token, contract_id: 'de8acc12e46l89' } })
    t.same([token.status, token.body.status_code, token.headers.location], [200, 1000, location], 'the contract id is a CiString too')
  })

  t.test('what cannot be read is refused with 2001 naming the field and nothing is stored; what can is accepted', async (t) => {
    const before = (await jobRows()).length
    const { id: _id, ...noId } = { ...example() }
    const { cdr_token: _token, ...noToken } = { ...example(), id: 'NOTOKEN' }
    for (const [body, field] of [
      [noId, /^body\.id: /],
      [noToken, /^body\.cdr_token: /],
      [{ ...example(), id: 'NOT-AN-INSTANT', start_date_time: '2015-02-30T20:39:09Z' }, /^body\.start_date_time: /],
    ] as const) {
      const res = await cpo.call('POST', url, body)
      t.equal(res.body.status_code, 2001)
      t.match(res.body.status_message, field)
    }
    const bad = await emsp.ocpi('POST', new URL(url).pathname, { authorization: tokenHeader(cpo.state.tokenForEmsp!), body: '{"not json' })
    t.equal(bad.status, 400)
    t.equal((await jobRows()).length, before, 'no job for a refused CDR')
    t.equal(await cdrs.findByKey({ countryCode: 'BE', partyId: 'BEC', cdrId: 'NOT-AN-INSTANT' }), undefined, 'nothing stored')
    // The CdrToken of the spec's own superseded example (no country_code/party_id) and empty periods: read.
    const superseded = await cpo.call('POST', url, { ...JSON.parse(text('superseded-2.2.1-tag/cdr_example.json')), id: 'SUPERSEDED' })
    t.equal(superseded.body.status_code, 1000, superseded.body.status_message)
    const noPeriods = await cpo.call('POST', url, { ...example(), id: 'NOPERIODS', charging_periods: [] })
    t.equal(noPeriods.body.status_code, 1000, noPeriods.body.status_message)
    t.same((await jobRows()).map((j) => j.dedupe_key).slice(before), ['BE/BEC/SUPERSEDED', 'BE/BEC/NOPERIODS'])
  })
})
