import fc from 'fast-check'
import t, { type Test } from 'tap'
import { cdr, customer, energyTariff, location, session } from '../../scripts/replay/objects.js'
import { startTestApp, tokenHeader } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

// Bad input on every surface: never a 5xx, always the surface's error shape, nothing written on refusal.
const RUNS = 20

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Every key path of a JSON value (object keys and array indexes). */
const keyPaths = (v: Json, prefix: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...keyPaths(x, [...prefix, i])])
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...keyPaths(x, [...prefix, k])])
  return []
}
const weird = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant('x'.repeat(20_000)),
  fc.constant(-1e308),
  fc.constant('2025-13-45T99:00:00Z'),
  fc.constant('DE'),
  fc.constant({ $gt: '' }),
)
type Mutation =
  | { kind: 'drop'; pick: number }
  | { kind: 'retype'; pick: number; value: unknown }
  | { kind: 'raw'; text: string }
  | { kind: 'party'; cc: string; pid: string }
const rawText = (valid: string) =>
  fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
    fc.constantFrom('', 'null', '[]', '42', '"text"', '{"a":', '{}}', '\u0000', '{"__proto__":{"x":1}}'),
  )
const mutation = (valid: string): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: weird }),
    fc.record({ kind: fc.constant('raw' as const), text: rawText(valid) }),
    fc.record({
      kind: fc.constant('party' as const),
      cc: fc.constantFrom('DE', 'NL', 'de', ''),
      pid: fc.constantFrom('OTH', 'FZZ', 'fzz', 'TOOLONG', ''),
    }),
  )
/** The request body text after a mutation. */
const mutate = (base: Json, m: Mutation): string => {
  if (m.kind === 'raw') return m.text
  const copy = structuredClone(base) as { [k: string]: Json }
  if (m.kind === 'party') return JSON.stringify({ ...copy, country_code: m.cc, party_id: m.pid })
  const paths = keyPaths(copy)
  const path = paths[m.pick % paths.length]!
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy)
  const last = path.at(-1)!
  if (m.kind === 'drop') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last]
  else parent[last] = m.value
  return JSON.stringify(copy)
}

t.test('fuzzing every OCPI, admin and app endpoint with bad input', async (t) => {
  const emsp = await startTestApp(t, { env: { APP_JWT_SECRET: 'fuzz-app-secret-0123456789-0123456789' } })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Fuzz CPO' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'FZZ' })
  await cpo.registerWith(versions_url, token_a)
  const auth = tokenHeader(cpo.state.tokenForEmsp!)
  const p = { countryCode: 'DE', partyId: 'FZZ' }
  const c = (await emsp.admin('POST', '/customers', customer(1, 'DE'))).body
  const tok = { uid: c.tokens[0].uid, type: 'APP_USER' as const, contractId: c.contract_id }
  const base = (m: string) => cpo.endpointOfEmsp(m).replace(emsp.url, '')
  let n = 0
  const tally = { refused: 0, accepted: 0 }
  t.teardown(() => console.error(`fuzz: ${tally.refused} OCPI requests refused, ${tally.accepted} accepted`))

  const ocpiAnswer = (t: Test, res: { status: number; body: any }, what: string) => {
    t.ok(res.status < 500, `${what}: HTTP ${res.status} < 500`)
    const envelope =
      res.body && typeof res.body === 'object' && typeof res.body.status_code === 'number' && typeof res.body.timestamp === 'string'
    t.ok(envelope, `${what}: an OCPI envelope`)
    const refused = res.body?.status_code !== 1000
    tally[refused ? 'refused' : 'accepted']++
    if (refused) {
      t.ok(res.body.status_code >= 2000 && res.body.status_code < 3000, `${what}: refusal is a 2xxx client error (${res.body.status_code})`)
      t.notOk('data' in res.body && res.body.data !== null && res.body.data !== undefined, `${what}: no data in a refusal`)
    }
    return refused
  }
  const send = (method: string, path: string, text: string) =>
    emsp.ocpi(method, path, { authorization: auth, body: text, headers: { 'content-type': 'application/json' } })
  const get = (path: string) => emsp.ocpi('GET', path, { authorization: auth })

  // PUT of a new object: a refusal leaves no object under the path's key.
  const putCases: [string, (id: string) => Json][] = [
    [
      'locations',
      (id) =>
        location(p, {
          id,
          country: 'DEU',
          city: 'Berlin',
          timeZone: 'Europe/Berlin',
          operator: 'F',
          evses: [{ power: 'DC', kw: 50, tariffId: 'T1' }],
          at: '2025-05-01T00:00:00Z',
        }) as Json,
    ],
    ['tariffs', (id) => energyTariff(p, { id, currency: 'EUR', perKwh: 0.5, at: '2025-05-01T00:00:00Z' }) as Json],
    [
      'sessions',
      (id) =>
        session(p, {
          id,
          token: tok,
          locationId: 'L',
          evse: 'L-E1',
          start: '2025-05-01T10:00:00Z',
          currency: 'EUR',
          at: '2025-05-01T10:00:00Z',
        }) as Json,
    ],
  ]
  for (const [module, build] of putCases) {
    t.test(`PUT ${module}`, async (t) => {
      const valid = JSON.stringify(build('X'))
      await fc.assert(
        fc.asyncProperty(mutation(valid), async (m) => {
          const id = `FZ${n++}`
          const path = `${base(module)}/DE/FZZ/${id}`
          const res = await send('PUT', path, mutate(build(id), m))
          if (ocpiAnswer(t, res, `PUT ${module} ${m.kind}`)) {
            t.not((await get(path)).body.status_code, 1000, `PUT ${module} ${m.kind}: nothing stored`)
          }
        }),
        { numRuns: RUNS },
      )
    })
  }

  t.test('PATCH locations and sessions: a refusal changes nothing', async (t) => {
    const loc = putCases[0]![1]('FZ-PATCH-L')
    const ses = putCases[2]![1]('FZ-PATCH-S')
    t.equal((await send('PUT', `${base('locations')}/DE/FZZ/FZ-PATCH-L`, JSON.stringify(loc))).status, 201)
    t.equal((await send('PUT', `${base('sessions')}/DE/FZZ/FZ-PATCH-S`, JSON.stringify(ses))).status, 201)
    const targets: [string, Json][] = [
      [`${base('locations')}/DE/FZZ/FZ-PATCH-L/FZ-PATCH-L-E1`, { status: 'CHARGING', last_updated: '2025-05-02T00:00:00Z' }],
      [`${base('sessions')}/DE/FZZ/FZ-PATCH-S`, { kwh: 5, status: 'COMPLETED', last_updated: '2025-05-02T00:00:00Z' }],
    ]
    for (const [path, patch] of targets) {
      const readPath = path.endsWith('-E1') ? path.replace(/\/FZ-PATCH-L-E1$/, '') : path
      await fc.assert(
        fc.asyncProperty(mutation(JSON.stringify(patch)), async (m) => {
          const before = (await get(readPath)).body.data
          const text = mutate(patch, m)
          if (text === JSON.stringify(patch)) return
          const res = await send('PATCH', path, text)
          if (ocpiAnswer(t, res, `PATCH ${m.kind}`)) t.same((await get(readPath)).body.data, before, `PATCH ${m.kind}: unchanged`)
        }),
        { numRuns: RUNS },
      )
    }
  })

  t.test('POST cdrs: a refused CDR leaves its key free', async (t) => {
    const build = (id: string) =>
      cdr(p, {
        id,
        token: tok,
        locationId: 'L',
        evse: 'L-E1',
        country: 'DEU',
        power: 'DC',
        start: '2025-05-06T10:00:00Z',
        end: '2025-05-06T10:30:00Z',
        kwh: 40,
        currency: 'EUR',
        totalExcl: 20,
      }) as Json
    await fc.assert(
      fc.asyncProperty(mutation(JSON.stringify(build('X'))), async (m) => {
        const id = `FZC${n++}`
        const res = await send('POST', base('cdrs'), mutate(build(id), m))
        if (ocpiAnswer(t, res, `POST cdrs ${m.kind}`))
          t.equal((await send('POST', base('cdrs'), JSON.stringify(build(id)))).status, 201, `POST cdrs ${m.kind}: key still free`)
      }),
      { numRuns: RUNS },
    )
  })

  t.test('hubclientinfo, credentials, token authorize and GET pages with bad input', async (t) => {
    const info = { party_id: 'FZZ', country_code: 'DE', role: 'CPO', status: 'CONNECTED', last_updated: '2025-05-01T00:00:00Z' } as Json
    await fc.assert(
      fc.asyncProperty(mutation(JSON.stringify(info)), async (m) => {
        ocpiAnswer(t, await send('PUT', `${base('hubclientinfo')}/DE/FZZ`, mutate(info, m)), `PUT hubclientinfo ${m.kind}`)
        ocpiAnswer(
          t,
          await send('PUT', base('credentials'), mutate({ token: 'x', url: 'http://127.0.0.1:1/v', roles: [] } as Json, m)),
          `PUT credentials ${m.kind}`,
        )
        ocpiAnswer(
          t,
          await send(
            'POST',
            `${base('tokens')}/${encodeURIComponent(tok.uid)}/authorize?type=APP_USER`,
            mutate({ location_id: 'L', evse_uids: ['L-E1'] } as Json, m),
          ),
          `authorize ${m.kind}`,
        )
      }),
      { numRuns: RUNS },
    )
    const q = fc.oneof(
      fc.integer({ min: -1e12, max: 1e12 }).map(String),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1e309', 'NaN', '-0', '99999999999999999999'),
    )
    await fc.assert(
      fc.asyncProperty(q, q, fc.constantFrom('tokens', 'cdrs', 'sessions', 'locations', 'tariffs'), async (offset, limit, module) => {
        const res = await get(
          `${base(module)}?offset=${encodeURIComponent(offset)}&limit=${encodeURIComponent(limit)}&date_from=${encodeURIComponent(offset)}`,
        )
        ocpiAnswer(t, res, `GET ${module} page`)
      }),
      { numRuns: RUNS },
    )
  })

  t.test('admin and app API: bad bodies and ids are 4xx with { code, message }', async (t) => {
    const valid = customer(2, 'DE') as Json
    await fc.assert(
      fc.asyncProperty(mutation(JSON.stringify(valid)), fc.string({ maxLength: 40 }), async (m, junk) => {
        const text = mutate(valid, m)
        const answers = [
          await emsp.ocpi('POST', '/admin/v1/customers', {
            authorization: 'Bearer test-admin-token-0123456789',
            body: text,
            headers: { 'content-type': 'application/json' },
          }),
          await emsp.ocpi('POST', '/admin/v1/partners', {
            authorization: 'Bearer test-admin-token-0123456789',
            body: mutate({ name: 'x' }, m),
            headers: { 'content-type': 'application/json' },
          }),
          await emsp.admin('GET', `/cdrs/${encodeURIComponent(junk) || 'x'}/rating`),
          await emsp.admin('GET', `/disputes?limit=${encodeURIComponent(junk)}`),
          await emsp.ocpi('GET', '/app/v1/me', { authorization: `Bearer ${junk}` }),
          await emsp.ocpi('GET', '/admin/v1/partners', { authorization: `Bearer ${junk}` }),
        ]
        for (const res of answers) {
          t.ok(res.status < 500, `admin/app ${m.kind}: HTTP ${res.status}`)
          if (res.status >= 400) t.match(res.body, { code: String, message: String }, `admin/app ${m.kind}: error shape`)
        }
      }),
      { numRuns: RUNS },
    )
  })
})
