import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp, tokenHeader } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const example = (name: string) => readFileSync(new URL(`../../fixtures/ocpi/credentials/${name}`, import.meta.url), 'utf8')

t.test('credentials handshakes over real HTTP', async (t) => {
  const emsp = await startTestApp(t)
  const versionsPath = '/ocpi/versions'

  t.test('versions need a known token', async (t) => {
    t.equal((await emsp.ocpi('GET', versionsPath)).status, 401)
    const unknown = await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader('nobody') })
    t.equal(unknown.status, 401)
    t.equal(unknown.body.status_code, 2000, 'the 401 still carries the envelope')
    t.ok(unknown.headers['x-request-id'], 'request id echoed')
  })

  t.test('a CPO registers with token A; token A dies, token C works', async (t) => {
    const created = await emsp.admin('POST', '/partners', { name: 'IONITY' })
    t.equal(created.status, 201)
    const { id, token_a: tokenA, versions_url: versionsUrl } = created.body
    t.equal(versionsUrl, `${emsp.url}/ocpi/versions`)

    const versions = await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenA) })
    t.equal(versions.status, 200)
    t.same(versions.body.data, [{ version: '2.2.1', url: `${emsp.url}/ocpi/2.2.1` }])

    const cpo = await startCpoSimulator(t, { partyId: 'ION' })
    const res = await cpo.registerWith(versionsUrl, tokenA)
    t.equal(res.body.status_code, 1000, res.body.status_message)
    const tokenC = res.body.data.token
    t.match(res.body.data, {
      url: versionsUrl,
      roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'BMW', business_details: { name: 'BMW Charging' } }],
    })
    t.not(tokenC, tokenA)
    t.ok(
      cpo.requests.some((r) => r.path === '/ocpi/2.2.1' && r.headers.authorization === tokenHeader(cpo.state.tokenFromEmsp!)),
      'we read the CPO endpoints with its token B',
    )

    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenA) })).status, 401, 'token A is dead')
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenC) })).status, 200, 'token C works')
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: `Token ${tokenC}` })).status, 200, 'raw (pre-2.2.1) form accepted')
    const own = await emsp.ocpi('GET', '/ocpi/2.2.1/credentials', { authorization: tokenHeader(tokenC) })
    t.equal(own.body.data.token, tokenC, 'GET credentials echoes the token the caller uses')

    const again = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: tokenHeader(tokenC),
      body: JSON.parse(example('credentials_example.json')),
    })
    t.equal(again.status, 405, 'POST by a registered party')

    const partner = await emsp.admin('GET', `/partners/${id}`)
    t.match(partner.body, { state: 'REGISTERED', version: '2.2.1', roles: [{ role: 'CPO', country_code: 'DE', party_id: 'ION' }] })
    t.ok(partner.body.endpoints.some((e: { identifier: string }) => e.identifier === 'locations'))
    t.notMatch(JSON.stringify(partner.body), tokenC, 'tokens never shown by the admin API')

    t.test('the CPO rotates its token (PUT); the old one dies when the new one is committed', async (t) => {
      const rotated = await cpo.rotateWith()
      t.equal(rotated.body.status_code, 1000)
      const newC = rotated.body.data.token
      t.not(newC, tokenC)
      t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenC) })).status, 401)
      t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(newC) })).status, 200)
    })

    t.test('the CPO unregisters (DELETE); its token dies', async (t) => {
      const token = cpo.state.tokenForEmsp!
      const res = await cpo.unregisterWith()
      t.equal(res.body.status_code, 1000)
      t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(token) })).status, 401)
      t.equal((await emsp.admin('GET', `/partners/${id}`)).body.state, 'UNREGISTERED')
    })
  })

  t.test('we register with a CPO (we initiate), rotate and unregister', async (t) => {
    const cpo = await startCpoSimulator(t, { partyId: 'MER', countryCode: 'NO' })
    const { id } = (await emsp.admin('POST', '/partners', { name: 'Mer' })).body
    const reg = await emsp.admin('POST', `/partners/${id}/register`, { versions_url: cpo.versionsUrl, token: cpo.state.tokenA })
    t.equal(reg.status, 200, JSON.stringify(reg.body))
    t.match(reg.body, { state: 'REGISTERED', roles: [{ country_code: 'NO', party_id: 'MER' }] })
    t.ok(cpo.state.registered)
    const tokenB = cpo.state.tokenForEmsp!
    t.ok(
      cpo.requests.some((r) => r.path === '/ocpi/2.2.1/credentials' && r.method === 'POST'),
      'we POSTed our credentials',
    )
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenB) })).status, 200, 'the CPO calls us with our token B')

    const tokenCBefore = cpo.state.tokenFromEmsp
    const rotated = await emsp.admin('POST', `/partners/${id}/rotate`)
    t.equal(rotated.status, 200, JSON.stringify(rotated.body))
    const put = cpo.requests.filter((r) => r.path === '/ocpi/2.2.1/credentials' && r.method === 'PUT')
    t.equal(put.length, 1)
    t.equal(put[0]!.headers.authorization, tokenHeader(tokenCBefore!), 'the PUT used the token the CPO gave us')
    t.not(cpo.state.tokenForEmsp, tokenB)
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenB) })).status, 401, 'old token B dead')
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(cpo.state.tokenForEmsp!) })).status, 200, 'new token works')

    const tokenForUs = cpo.state.tokenFromEmsp!
    const gone = await emsp.admin('DELETE', `/partners/${id}/registration`)
    t.equal(gone.status, 200, JSON.stringify(gone.body))
    t.equal(gone.body.state, 'UNREGISTERED')
    t.notOk(cpo.state.registered, 'the CPO received our DELETE')
    const del = cpo.requests.find((r) => r.method === 'DELETE')
    t.equal(del?.headers.authorization, tokenHeader(tokenForUs), 'DELETE sent with the token the CPO gave us')
  })

  t.test('a rotation the CPO refuses leaves the old tokens working', async (t) => {
    const cpo = await startCpoSimulator(t, { partyId: 'EBW' })
    const { id } = (await emsp.admin('POST', '/partners', { name: 'EnBW' })).body
    t.equal((await emsp.admin('POST', `/partners/${id}/register`, { versions_url: cpo.versionsUrl, token: cpo.state.tokenA })).status, 200)
    const tokenB = cpo.state.tokenForEmsp!
    cpo.on('PUT', /\/credentials$/, (_req, reply) => reply.code(500).send({ status_code: 3000, timestamp: new Date().toISOString() }))
    const rotated = await emsp.admin('POST', `/partners/${id}/rotate`)
    t.equal(rotated.status, 502)
    t.equal(rotated.body.code, 'partner_api_unusable')
    t.equal((await emsp.ocpi('GET', versionsPath, { authorization: tokenHeader(tokenB) })).status, 200, 'old token still valid')
    t.equal((await emsp.admin('GET', `/partners/${id}`)).body.state, 'REGISTERED')
  })

  t.test('an older peer that only understands raw tokens', async (t) => {
    const cpo = await startCpoSimulator(t, { partyId: 'OLD', rawTokens: true })
    const { id } = (await emsp.admin('POST', '/partners', { name: 'Legacy CPO' })).body
    const tokenA = cpo.state.tokenA!
    const reg = await emsp.admin('POST', `/partners/${id}/register`, { versions_url: cpo.versionsUrl, token: cpo.state.tokenA })
    t.equal(reg.status, 200, JSON.stringify(reg.body))
    t.equal(reg.body.outbound_encoding, 'raw', 'the working encoding is remembered')
    const calls = cpo.requests.filter((r) => r.path === '/ocpi/versions')
    t.equal(calls[0]!.headers.authorization, tokenHeader(tokenA), 'tried Base64 first')
    t.equal(calls[1]!.headers.authorization, `Token ${tokenA}`, 'then the raw token')
    const post = cpo.requests.find((r) => r.method === 'POST')
    t.equal(post?.headers.authorization, `Token ${tokenA}`, 'and kept using raw')
  })

  t.test('handshake errors: unusable partner, no common version, missing endpoints, bad body', async (t) => {
    const tokenA = (await emsp.admin('POST', '/partners', { name: 'Broken' })).body.token_a
    const auth = tokenHeader(tokenA)
    const bad = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: auth,
      body: { token: 'x', url: 'not a url', roles: [] },
    })
    t.equal(bad.body.status_code, 2001)
    t.match(bad.body.status_message, /url/)
    const malformed = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', { authorization: auth, body: '{"token": ' })
    t.equal(malformed.status, 400)
    t.equal(malformed.body.status_code, 2001)

    // The spec's own example, unmodified: its versions URL is not reachable from here -> 3001.
    const unreachable = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: auth,
      body: example('credentials_example.json'),
    })
    t.equal(unreachable.body.status_code, 3001, unreachable.body.status_message)

    const old = await startCpoSimulator(t, { partyId: 'V21' })
    old.on('GET', /^\/ocpi\/versions$/, () => old.envelope([{ version: '2.1.1', url: `${old.baseUrl}/ocpi/2.1.1` }]))
    const noVersion = await old.registerWith(`${emsp.url}/ocpi/versions`, tokenA)
    t.equal(noVersion.body.status_code, 3002, noVersion.body.status_message)

    const thin = await startCpoSimulator(t, { partyId: 'THN' })
    thin.on('GET', /^\/ocpi\/2\.2\.1$/, () =>
      thin.envelope({ version: '2.2.1', endpoints: [{ identifier: 'locations', role: 'SENDER', url: `${thin.baseUrl}/l` }] }),
    )
    const noEndpoints = await thin.registerWith(`${emsp.url}/ocpi/versions`, tokenA)
    t.equal(noEndpoints.body.status_code, 3003, noEndpoints.body.status_message)

    t.equal(
      (await emsp.ocpi('PUT', '/ocpi/2.2.1/credentials', { authorization: auth, body: JSON.parse(example('credentials_example.json')) }))
        .status,
      405,
      'PUT before registering',
    )
    t.equal((await emsp.ocpi('DELETE', '/ocpi/2.2.1/credentials', { authorization: auth })).status, 405, 'DELETE before registering')
    t.equal(
      (await emsp.ocpi('GET', '/ocpi/2.2.1/locations/DE/ION/1', { authorization: auth })).status,
      401,
      'token A outside versions/credentials',
    )
  })

  t.test('a party already registered by another partner cannot be claimed', async (t) => {
    const first = await startCpoSimulator(t, { partyId: 'DUP' })
    const a = (await emsp.admin('POST', '/partners', { name: 'First' })).body
    t.equal((await first.registerWith(a.versions_url, a.token_a)).body.status_code, 1000)
    const second = await startCpoSimulator(t, { partyId: 'DUP' })
    const b = (await emsp.admin('POST', '/partners', { name: 'Impostor' })).body
    const res = await second.registerWith(b.versions_url, b.token_a)
    t.equal(res.body.status_code, 2001)
    t.match(res.body.status_message, /DE\/DUP/)
  })
})
