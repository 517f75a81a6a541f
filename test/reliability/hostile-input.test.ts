import t, { type Test } from 'tap'
import { cdr, customer, energyTariff, location, session } from '../../scripts/replay/objects.js'
import { ADMIN_TOKEN, startTestApp, tokenHeader } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'
import { portalClient } from '../portal/client.js'

// #16 item 8: text and numbers that are valid JSON / URLs but cannot be stored (a NUL character, a
// lone UTF-16 surrogate, an offset beyond bigint, a year outside 1-9999) sent into every route of the
// OCPI, admin and app surfaces (read from the OpenAPI document) and the portal and console forms:
// never a 5xx; a refusal is 400 naming the field (OCPI: status_code 2001).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const HOSTILE_TEXT = { nul: 'a\u0000b', surrogate: 'a\ud800b', lowSurrogate: '\udc00' } as const
/** Percent-encoding that also encodes a lone surrogate (as its WTF-8 bytes, which a client can send). */
const pct = (s: string) =>
  [...s]
    .map((ch) => {
      const c = ch.charCodeAt(0)
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
      return encodeURIComponent(ch)
    })
    .join('')
const HOSTILE_QUERIES = [
  'offset=9223372036854775808&limit=10',
  'offset=0&limit=99999999999999999999999',
  'date_from=0000-01-01T00:00:00Z',
  'date_from=99999-01-01T00:00:00Z',
  'date_to=%2B099999-01-01T00:00:00Z',
  'date_from=2025-01-01T00:00:00Z%00',
  `q=${pct('\ud800')}`,
]

/** Every string leaf of a JSON value as a key path. */
const stringLeaves = (v: Json, prefix: (string | number)[] = []): (string | number)[][] => {
  if (typeof v === 'string') return [prefix]
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...prefix, i]))
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...prefix, k]))
  return []
}
/** Every number leaf of a JSON value as a key path. */
const numberLeaves = (v: Json, prefix: (string | number)[] = []): (string | number)[][] => {
  if (typeof v === 'number') return [prefix]
  if (Array.isArray(v)) return v.flatMap((x, i) => numberLeaves(x, [...prefix, i]))
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numberLeaves(x, [...prefix, k]))
  return []
}
const fieldName = (path: (string | number)[]) => `body${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`
const withLeaf = (v: Json, path: (string | number)[], value: string | number): Json => {
  const copy = structuredClone(v) as { [k: string]: Json }
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy)
  parent[path.at(-1)!] = value
  return copy
}

t.test('hostile text and numbers on every route: never a 5xx, a refusal names the field', async (t) => {
  const emsp = await startTestApp(t, {
    env: { APP_JWT_SECRET: 'hostile-app-secret-0123456789-0123456789', PORTAL_SECRET: 'portal-secret-for-tests-0123456789abcdef' },
  })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Hostile CPO' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'HOS' })
  await cpo.registerWith(versions_url, token_a)
  const ocpiAuth = tokenHeader(cpo.state.tokenForEmsp!)
  const c = (await emsp.admin('POST', '/customers', customer(1, 'DE'))).body
  const jwt = (await emsp.admin('POST', '/app-tokens', { customer_id: c.id })).body.token as string
  const tok = { uid: c.tokens[0].uid, type: 'APP_USER' as const, contractId: c.contract_id }
  const p = { countryCode: 'DE', partyId: 'HOS' }
  const authOf = (path: string) =>
    path.startsWith('/ocpi') ? ocpiAuth : path.startsWith('/app/') ? `Bearer ${jwt}` : `Bearer ${ADMIN_TOKEN}`
  const send = (method: string, path: string, body?: string) =>
    emsp.ocpi(method, path, {
      authorization: authOf(path),
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    })
  const tally = { requests: 0, refused: 0 }

  /** The surface's answer to hostile input: no 5xx, its error shape, and (if given) the field named. */
  const check = (t: Test, path: string, res: { status: number; body: any }, what: string, field?: string) => {
    tally.requests++
    t.ok(res.status < 500, `${what}: HTTP ${res.status} < 500`)
    if (res.status < 400) return
    tally.refused++
    if (path.startsWith('/ocpi')) {
      t.match(res.body, { status_code: Number, timestamp: String }, `${what}: an OCPI envelope`)
      if (res.status === 400) t.equal(res.body.status_code, 2001, `${what}: 400 is OCPI 2001`)
    } else {
      t.match(res.body, { code: String, message: String }, `${what}: { code, message }`)
    }
    if (field) {
      const message = String(res.body?.status_message ?? res.body?.message)
      t.ok(message.includes(field), `${what}: the message names ${field} (${message.slice(0, 120)})`)
    }
  }

  t.test('the write bodies: each text field in turn holds a NUL or a lone surrogate', async (t) => {
    let n = 0
    const ocpiBase = (module: string) => cpo.endpointOfEmsp(module).replace(emsp.url, '')
    const cases: [string, string, (id: string) => Json][] = [
      [
        'POST',
        ocpiBase('cdrs'),
        (id) =>
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
          }) as Json,
      ],
      [
        'PUT',
        `${ocpiBase('locations')}/DE/HOS/{id}`,
        (id) =>
          location(p, {
            id,
            country: 'DEU',
            city: 'Berlin',
            timeZone: 'Europe/Berlin',
            operator: 'H',
            evses: [{ power: 'DC', kw: 50, tariffId: 'T1' }],
            at: '2025-05-01T00:00:00Z',
          }) as Json,
      ],
      [
        'PUT',
        `${ocpiBase('tariffs')}/DE/HOS/{id}`,
        (id) => energyTariff(p, { id, currency: 'EUR', perKwh: 0.5, at: '2025-05-01T00:00:00Z' }) as Json,
      ],
      [
        'PUT',
        `${ocpiBase('sessions')}/DE/HOS/{id}`,
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
      ['POST', '/admin/v1/customers', () => customer(1000 + n, 'DE') as Json],
      ['POST', '/admin/v1/partners', () => ({ name: 'A partner' })],
    ]
    for (const [method, template, build] of cases) {
      for (const leaf of stringLeaves(build('X'))) {
        for (const [kind, text] of Object.entries(HOSTILE_TEXT)) {
          const id = `HX${n++}`
          const body = withLeaf(build(id), leaf, text)
          const path = template.replace('{id}', id)
          check(
            t,
            path,
            await send(method, path, JSON.stringify(body)),
            `${method} ${template} ${fieldName(leaf)} ${kind}`,
            fieldName(leaf),
          )
        }
      }
    }
    // Numbers beyond what an integer or numeric column holds.
    for (const [method, template, build] of cases) {
      for (const leaf of numberLeaves(build('X'))) {
        for (const value of [2 ** 31, 2 ** 63, 1e308, -1e308, 1e-320]) {
          const path = template.replace('{id}', `HN${n}`)
          check(
            t,
            path,
            await send(method, path, JSON.stringify(withLeaf(build(`HN${n++}`), leaf, value))),
            `${method} ${template} ${fieldName(leaf)} = ${value}`,
          )
        }
      }
    }
    // The same CDR with the text fixed is then stored: the refusal wrote nothing that blocks it.
    const fine = await send('POST', ocpiBase('cdrs'), JSON.stringify(cases[0]![2]('HX-FINE')))
    t.equal(fine.status, 201, 'a clean CDR is still stored')
    // Only date-times are read as dates: an id that merely looks like a date is text.
    const dateLike = await send('PUT', `${ocpiBase('tariffs')}/DE/HOS/10001-01-01`, JSON.stringify(cases[2]![2]('10001-01-01')))
    t.equal(dateLike.status, 201, 'a tariff with the id 10001-01-01 is stored')
  })

  t.test('every route of the OpenAPI document: hostile path params, query strings and bodies', async (t) => {
    const doc = emsp.app.swagger() as { paths: Record<string, Record<string, unknown>> }
    const routes = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path] as const))
      .filter(([, path]) => /^\/(ocpi|admin\/v1|app\/v1)\//.test(path))
    t.ok(routes.length > 60, `${routes.length} routes of the OCPI, admin and app surfaces`)
    for (const [method, template] of routes) {
      if (template.endsWith('/credentials') && method === 'DELETE') continue // would end our registration
      const params = template.match(/\{[^}]+\}/g) ?? []
      const fill = (value: string) => template.replace(/\{[^}]+\}/g, value)
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(method)
      const body = hasBody ? JSON.stringify({ name: HOSTILE_TEXT.surrogate, id: 'x', [`k${HOSTILE_TEXT.nul}`]: 1 }) : undefined
      for (const [kind, text] of Object.entries(HOSTILE_TEXT)) {
        if (params.length) {
          const res = await send(method, fill(pct(text)), hasBody ? '{}' : undefined)
          // A NUL decodes (the check names the parameter); a surrogate's bytes are no UTF-8 (the router names the segment).
          check(t, template, res, `${method} ${template} params ${kind}`, kind === 'nul' ? `params.${params[0]!.slice(1, -1)}` : pct(text))
        }
      }
      const concrete = fill('x1')
      for (const query of HOSTILE_QUERIES)
        check(t, template, await send(method, `${concrete}?${query}`, hasBody ? '{}' : undefined), `${method} ${template}?${query}`)
      if (hasBody) check(t, template, await send(method, concrete, body), `${method} ${template} body`)
    }
    t.comment(`${tally.requests} hostile requests, ${tally.refused} refused`)
  })

  t.test('OCPI pages: offset beyond bigint and dates outside 1-9999 are 2001 naming the parameter', async (t) => {
    const page = cpo.endpointOfEmsp('tokens').replace(emsp.url, '') // our Tokens Sender list
    for (const [query, field] of [
      ['offset=9223372036854775808', 'query.offset'],
      ['date_from=0000-01-01T00:00:00Z', 'query.date_from'],
      ['date_to=99999-12-31T00:00:00Z', 'query.date_to'],
    ] as const) {
      const res = await send('GET', `${page}?${query}`)
      t.equal(res.status, 400, `${query}: HTTP 400`)
      t.equal(res.body.status_code, 2001, `${query}: 2001`)
      t.match(res.body.status_message, field, `${query}: names ${field}`)
    }
  })

  t.test('portal and console forms answer a page with a message, not a 500', async (t) => {
    const anon = portalClient(emsp.url)
    await anon.get('/portal/register')
    for (const text of Object.values(HOSTILE_TEXT)) {
      const reg = await anon.post('/portal/register', {
        name: `A${text}`,
        email: 'hostile@example.com',
        password: 'a-long-password-123',
        password2: 'a-long-password-123',
        street: 'x 1',
        postalCode: '12345',
        city: 'y',
        country: 'DE',
      })
      if (text === HOSTILE_TEXT.nul) {
        t.equal(reg.status, 400, 'portal register with a NUL: 400')
        t.match(reg.text, /<html/i, 'portal register: a page')
      } else {
        t.ok(reg.status < 500, `portal register with a surrogate (a form encodes it as U+FFFD): ${reg.status}`)
        await anon.get('/portal/register')
      }
      await anon.get('/portal/login')
      const login = await anon.post('/portal/login', { email: `x${text}@example.com`, password: 'whatever-123' })
      t.ok(login.status < 500, `portal login: ${login.status}`)
    }
    const form = await emsp.app.inject({ method: 'GET', url: '/console/login' })
    const cookie = String(form.headers['set-cookie']).split(';')[0]!
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const res = await emsp.app.inject({
      method: 'POST',
      url: '/console/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ token: `x\u0000y`, _csrf: csrf }).toString(),
    })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `console login: ${res.statusCode}`)
    t.match(res.body, /NUL/, 'console login: the message says what is wrong')
  })
})
