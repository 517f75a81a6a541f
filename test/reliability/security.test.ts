import { createHmac } from 'node:crypto'
import t from 'tap'
import { cdr, customer, location, session } from '../../scripts/replay/objects.js'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

const SECRET = 'reliability-app-secret-0123456789-abcdef'
const b64url = (s: string) => Buffer.from(s).toString('base64url')

t.test('security across partners, handshake tokens, customers and logs', async (t) => {
  const logs: string[] = []
  const emsp = await startTestApp(t, { env: { APP_JWT_SECRET: SECRET }, logStream: { write: (line) => void logs.push(line) } })
  const register = async (partyId: string) => {
    const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: `CPO ${partyId}` })).body
    const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId })
    await cpo.registerWith(versions_url, token_a)
    return { cpo, tokenA: token_a as string, versionsUrl: versions_url as string }
  }
  const a = await register('AAA')
  const b = await register('BBB')
  const partyB = { countryCode: 'DE', partyId: 'BBB' }
  const created = (await emsp.admin('POST', '/customers', customer(7, 'DE'))).body
  const token = { uid: created.tokens[0].uid, type: 'APP_USER' as const, contractId: created.contract_id }

  // B's own objects
  const locB = location(partyB, {
    id: 'LOC-B',
    country: 'DEU',
    city: 'Berlin',
    timeZone: 'Europe/Berlin',
    operator: 'B',
    evses: [{ power: 'DC', kw: 50 }],
    at: '2025-05-01T00:00:00Z',
  })
  const sesB = session(partyB, {
    id: 'SES-B',
    token,
    locationId: 'LOC-B',
    evse: 'LOC-B-E1',
    start: '2025-05-01T10:00:00Z',
    currency: 'EUR',
    at: '2025-05-01T10:00:00Z',
  })
  const cdrB = cdr(partyB, {
    id: 'CDR-B',
    token,
    locationId: 'LOC-B',
    evse: 'LOC-B-E1',
    country: 'DEU',
    power: 'DC',
    start: '2025-05-01T10:00:00Z',
    end: '2025-05-01T10:30:00Z',
    kwh: 10,
    currency: 'EUR',
    totalExcl: 5,
  })
  t.equal((await b.cpo.call('PUT', `${b.cpo.endpointOfEmsp('locations')}/DE/BBB/LOC-B`, locB)).status, 201)
  t.equal((await b.cpo.call('PUT', `${b.cpo.endpointOfEmsp('sessions')}/DE/BBB/SES-B`, sesB)).status, 201)
  const postedB = await b.cpo.call('POST', b.cpo.endpointOfEmsp('cdrs'), cdrB)
  t.equal(postedB.status, 201)

  t.test("partner A can neither read nor write party B's objects, and B's stay unchanged", async (t) => {
    const loc = `${a.cpo.endpointOfEmsp('locations')}/DE/BBB/LOC-B`
    const ses = `${a.cpo.endpointOfEmsp('sessions')}/DE/BBB/SES-B`
    const attempts = [
      await a.cpo.call('GET', loc),
      await a.cpo.call('PUT', loc, { ...locB, name: 'taken over' }),
      await a.cpo.call('PATCH', `${loc}/LOC-B-E1`, { status: 'OUTOFORDER', last_updated: '2025-06-01T00:00:00Z' }),
      await a.cpo.call('GET', ses),
      await a.cpo.call('PATCH', ses, { kwh: 99, last_updated: '2025-06-01T00:00:00Z' }),
      await a.cpo.call('POST', a.cpo.endpointOfEmsp('cdrs'), { ...cdrB, id: 'CDR-B2' }),
      await a.cpo.call('GET', String(postedB.headers.location)),
      // A's party in the path but B's in the body
      await a.cpo.call('PUT', `${a.cpo.endpointOfEmsp('locations')}/DE/AAA/LOC-B`, locB),
    ]
    for (const [i, r] of attempts.entries()) {
      t.ok(
        r.status < 500 && r.body.status_code >= 2000 && r.body.status_code < 3000,
        `attempt ${i}: refused with a 2xxx envelope (HTTP ${r.status}, ${r.body.status_code})`,
      )
      t.notOk(r.body.data, `attempt ${i}: no data`)
    }
    const locNow = (await b.cpo.call('GET', `${b.cpo.endpointOfEmsp('locations')}/DE/BBB/LOC-B`)).body.data
    t.equal(locNow.name, locB.name)
    t.equal(locNow.evses[0].status, 'AVAILABLE')
    t.equal((await b.cpo.call('GET', `${b.cpo.endpointOfEmsp('sessions')}/DE/BBB/SES-B`)).body.data.kwh, 0)
    t.equal(
      (await b.cpo.call('POST', b.cpo.endpointOfEmsp('cdrs'), { ...cdrB, id: 'CDR-B2' })).status,
      201,
      'nothing was stored under CDR-B2 by A',
    )
    t.equal((await a.cpo.call('GET', `${a.cpo.endpointOfEmsp('locations')}/DE/AAA/LOC-B`)).status, 404, 'nothing stored under A either')
  })

  t.test('token A dies after the handshake', async (t) => {
    for (const [name, p] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const res = await emsp.ocpi('GET', new URL(p.versionsUrl).pathname, {
        authorization: `Token ${Buffer.from(p.tokenA).toString('base64')}`,
      })
      t.equal(res.status, 401, `partner ${name}'s token A is refused`)
      t.equal(res.body.status_code, 2000)
    }
  })

  t.test('the app API shows a customer only their own data', async (t) => {
    const other = (await emsp.admin('POST', '/customers', customer(8, 'SI'))).body
    const jwt = (await emsp.admin('POST', '/app-tokens', { customer_id: created.id })).body.token as string
    const me = await emsp.ocpi('GET', '/app/v1/me', { authorization: `Bearer ${jwt}` })
    t.same(me.body, { customer_id: created.id })
    // the same token with the other customer's id in it: the signature no longer matches
    const [h, p, s] = jwt.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const forged = `${h}.${b64url(JSON.stringify({ ...claims, sub: other.id }))}.${s}`
    t.equal((await emsp.ocpi('GET', '/app/v1/me', { authorization: `Bearer ${forged}` })).status, 401)
    const none = `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify({ ...claims, sub: other.id }))}.`
    t.equal((await emsp.ocpi('GET', '/app/v1/me', { authorization: `Bearer ${none}` })).status, 401, 'alg none is refused')
    const wrongKey = `${h}.${b64url(JSON.stringify({ ...claims, sub: other.id }))}`
    const sig = createHmac('sha256', 'some-other-secret-of-enough-length-000').update(wrongKey).digest('base64url')
    t.equal((await emsp.ocpi('GET', '/app/v1/me', { authorization: `Bearer ${wrongKey}.${sig}` })).status, 401, 'another key is refused')
  })

  t.test('no credentials token appears in the logs (trace level), raw or base64', async (t) => {
    const text = logs.join('')
    t.ok(text.length > 10_000, 'the logs were written')
    for (const p of [a, b]) {
      for (const secret of [p.tokenA, p.cpo.state.tokenFromEmsp!, p.cpo.state.tokenForEmsp!]) {
        t.notOk(text.includes(secret), 'raw token absent')
        t.notOk(text.includes(Buffer.from(secret).toString('base64')), 'base64 token absent')
      }
    }
  })
})
