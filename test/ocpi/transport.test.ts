import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { ADMIN_TOKEN, startTestApp, tokenHeader } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'
import { decodeBase64Token, tokenCandidates } from '../../src/ocpi/v221/auth.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

t.test('Authorization header forms', async (t) => {
  t.same(tokenCandidates(`Token ${Buffer.from('abc-123').toString('base64')}`), ['abc-123', 'YWJjLTEyMw=='])
  t.same(tokenCandidates('Token abc-123'), ['abc-123'], 'raw token: not valid Base64, used as is')
  t.same(tokenCandidates('token abc'), ['abc'], 'scheme is case-insensitive')
  t.same(tokenCandidates('Bearer abc'), [])
  t.same(tokenCandidates(undefined), [])
  t.equal(decodeBase64Token('YWJj'), 'abc')
  t.equal(decodeBase64Token('YWJ'), undefined, 'wrong length')
  t.equal(decodeBase64Token('YW=j'), undefined, 'padding in the middle')
  t.equal(decodeBase64Token('YWI='), 'ab')
  t.equal(decodeBase64Token('YWJ='), undefined, 'non-canonical padding bits are not Base64 we accept')
  t.equal(decodeBase64Token(Buffer.from('a\nb').toString('base64')), undefined, 'decodes to a non-token (newline)')
})

t.test('transport over real HTTP', async (t) => {
  const lines: string[] = []
  const emsp = await startTestApp(t, { logStream: { write: (l: string) => void lines.push(l) } })

  t.test('request and correlation ids are echoed or generated', async (t) => {
    const given = await emsp.ocpi('GET', '/ocpi/versions', { headers: { 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1' } })
    t.equal(given.headers['x-request-id'], 'req-1')
    t.equal(given.headers['x-correlation-id'], 'corr-1')
    const generated = await emsp.ocpi('GET', '/ocpi/versions')
    t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
    t.match(generated.headers['x-correlation-id'], /^[0-9a-f-]{36}$/)
  })

  t.test('unknown OCPI paths and oversized bodies answer in the envelope', async (t) => {
    const { token_a } = (await emsp.admin('POST', '/partners', { name: 'Probe' })).body
    const big = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: tokenHeader(token_a),
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    })
    t.equal(big.status, 413)
    t.equal(big.body.status_code, 2001)
    const notJson = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: tokenHeader(token_a),
      body: 'token=1',
      headers: { 'content-type': 'text/plain' },
    })
    t.equal(notJson.body.status_code, 2001, 'a body that is not a JSON object is refused as invalid')
    const xml = await emsp.ocpi('POST', '/ocpi/2.2.1/credentials', {
      authorization: tokenHeader(token_a),
      body: '<a/>',
      headers: { 'content-type': 'application/xml' },
    })
    t.equal(xml.status, 415)
    t.equal(xml.body.status_code, 2001)
  })

  t.test('admin API: closed without the right bearer token', async (t) => {
    const res = await emsp.ocpi('GET', '/admin/v1/partners', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })
    t.equal(res.status, 401)
    t.match(res.body, { code: 'unauthorized', request_id: String })
    const invalid = await emsp.admin('POST', '/partners', { name: '' })
    t.equal(invalid.status, 400)
    t.match(invalid.body, { code: 'invalid_request', message: /name/ })
    t.equal((await emsp.admin('GET', '/partners/00000000-0000-4000-8000-000000000000')).status, 404)
  })

  t.test('health and readiness', async (t) => {
    t.same((await emsp.ocpi('GET', '/healthz')).body, { status: 'ok' })
    t.match((await emsp.ocpi('GET', '/readyz')).body, { status: 'ready' })
  })

  t.test('credentials tokens never reach the log', async (t) => {
    const created = (await emsp.admin('POST', '/partners', { name: 'Logged' })).body
    const cpo = await startCpoSimulator(t, { partyId: 'LOG' })
    const tokens: string[] = [created.token_a]
    const res = await cpo.registerWith(created.versions_url, created.token_a)
    tokens.push(res.body.data.token, cpo.state.tokenFromEmsp!)
    const rotated = await cpo.rotateWith()
    tokens.push(rotated.body.data.token, cpo.state.tokenFromEmsp!)
    const secrets = tokens.flatMap((tok) => [tok, Buffer.from(tok).toString('base64')])
    t.ok(lines.length > 10, 'trace logging produced lines')
    const all = lines.join('\n')
    for (const s of secrets) t.notOk(all.includes(s), 'no token in the log')
  })

  t.test('a broken database becomes a 3000 envelope with a request id, never a bare 500', async (t) => {
    const broken = await startTestApp(t)
    await broken.database.close()
    const res = await broken.ocpi('GET', '/ocpi/versions', { authorization: tokenHeader('anything') })
    t.equal(res.status, 500)
    t.equal(res.body.status_code, 3000)
    t.match(res.body.status_message, /request id/)
    t.equal((await broken.ocpi('GET', '/readyz')).status, 503)
  })

  t.test('the admin CLI drives the same API', async (t) => {
    // Run asynchronously: the app answering the CLI lives in this very process.
    const env = { ...process.env, ADMIN_TOKEN, PUBLIC_URL: emsp.url }
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [...TS_NODE_ARGS, 'scripts/admin.ts', ...args], { env, encoding: 'utf8' }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const out = await cli('partners:create', 'CLI', 'CPO')
    t.equal(out.code, 0, out.stderr)
    t.match(JSON.parse(out.stdout), { id: String, token_a: String, versions_url: `${emsp.url}/ocpi/versions` })
    const list = await cli('partners:list')
    t.ok(JSON.parse(list.stdout).some((p: { name: string }) => p.name === 'CLI CPO'))
    const bad = await cli('partners:register')
    t.equal(bad.code, 2)
    t.match(bad.stderr, /usage/)
    const hub = await cli('partners:create', 'CLI hub', '--roles=HUB:DE:CLI,cpo:NL:CLI')
    t.equal(hub.code, 0, hub.stderr)
    const approved = (await emsp.admin('GET', `/partners/${JSON.parse(hub.stdout).id}`)).body.approved_roles
    t.same(approved, [
      { role: 'HUB', country_code: 'DE', party_id: 'CLI' },
      { role: 'CPO', country_code: 'NL', party_id: 'CLI' },
    ])
    t.match(await cli('partners:create', 'X', '--roles=CPO:DE'), { code: 2, stderr: /ROLE:CC:PID/ })
    const requests = await cli('roles:requests', '--state=all')
    t.equal(requests.code, 0, requests.stderr)
    t.ok(Array.isArray(JSON.parse(requests.stdout)))
    t.match(await cli('roles:approve', '00000000-0000-4000-8000-000000000000', 'ok'), { code: 1, stderr: /role_request_not_found/ })
  })
})
