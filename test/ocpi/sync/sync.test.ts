import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import type { FastifyReply } from 'fastify'
import t from 'tap'
import { execRows } from '../../../src/db/client.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator, type SimRequest } from '../../helpers/cpo-simulator.js'

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8'))
const role = (country_code: string, party_id: string) => ({
  role: 'CPO',
  country_code,
  party_id,
  business_details: { name: `CPO ${party_id}` },
})
const NOW = '2026-03-01T10:00:00.000Z'

const locationNo = (i: number) => ({ ...fixture('locations/location_example.json'), id: `LOC${String(i).padStart(4, '0')}` })

/** Serves `items()` as an OCPI paginated list, at most `maxLimit` per page, with Link / X-Total-Count / X-Limit. */
const paged = (base: string, items: () => unknown[], maxLimit: number) => (req: SimRequest, reply: FastifyReply) => {
  const all = items()
  const offset = Number(req.query.offset ?? 0)
  const limit = Math.min(Number(req.query.limit ?? maxLimit), maxLimit)
  const page = all.slice(offset, offset + limit)
  reply.header('x-total-count', String(all.length)).header('x-limit', String(maxLimit))
  if (offset + page.length < all.length)
    reply.header('link', `<${base}${req.path}?offset=${offset + page.length}&limit=${limit}>; rel="next"`)
  return { data: page, status_code: 1000, timestamp: new Date().toISOString() }
}

const setup = async (tt: { teardown(fn: () => unknown): void }) => {
  const clock = fixedClock(NOW)
  const emsp = await startTestApp(tt, { clock, env: { SYNC_HORIZON_DAYS: '30' } })
  const { id, token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'CPO' })).body
  const cpo = await startCpoSimulator(tt, {
    countryCode: 'BE',
    partyId: 'BEC',
    roles: [role('BE', 'BEC'), role('NL', 'STK'), role('DE', 'ALL')],
  })
  await cpo.registerWith(versions_url, token_a)
  const sync = (module: string, mode: string) => emsp.admin('POST', `/partners/${id}/sync/${module}`, { mode })
  const pageRequests = (module: string) => cpo.requests.filter((r) => r.method === 'GET' && r.path === `/ocpi/2.2.1/${module}`)
  return { emsp, cpo, clock, partnerId: id as string, sync, pageRequests }
}

t.test(
  'full pull follows Link headers within the partner X-Limit, stores objects, skips invalid ones, then detects vanished ones',
  async (t) => {
    const { emsp, cpo, sync, pageRequests, clock } = await setup(t)
    let items: unknown[] = [...Array.from({ length: 250 }, (_, i) => locationNo(i)), { ...locationNo(999), address: undefined }]
    cpo.on(
      'GET',
      /^\/ocpi\/2\.2\.1\/locations$/,
      paged(cpo.baseUrl, () => items, 40),
    )
    const first = await sync('locations', 'full')
    t.equal(first.status, 200)
    t.match(first.body, { module: 'locations', mode: 'full', objects: 250, pages: 7, removed: 0 })
    t.equal(first.body.errors.length, 1)
    t.match(first.body.errors[0], /BE\/BEC\/LOC0999: invalid, skipped: address/)
    t.same(
      pageRequests('locations').map((r) => r.query.offset),
      ['0', '40', '80', '120', '160', '200', '240'],
    )
    t.equal(pageRequests('locations')[0]!.query.date_from, undefined, 'a full pull sends no date_from')
    const count = async (where: string) =>
      (await execRows<{ n: number }>(emsp.database.db, sql.raw(`select count(*)::int as n from locations where ${where}`)))[0]!.n
    t.equal(await count('removed_at is null'), 250)

    items = items.slice(50)
    clock.advance(60_000)
    const second = await sync('locations', 'full')
    t.match(second.body, { objects: 200, removed: 50 })
    t.equal(await count('removed_at is not null'), 50)
    t.equal(await count(`removed_at is not null and id between 'LOC0000' and 'LOC0049'`), 50, 'exactly the unlisted ones')
    // Retired whole: every EVSE of a vanished location is REMOVED (served so to the CPO), the others untouched.
    const statuses = async (id: string) =>
      (await execRows<{ status: string }>(emsp.database.db, sql`select status from evses where location_id = ${id} order by position`)).map(
        (r) => r.status,
      )
    t.same(await statuses('LOC0000'), ['REMOVED', 'REMOVED'])
    t.same(await statuses('LOC0050'), ['AVAILABLE', 'RESERVED'])
    const served = await cpo.call('GET', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC0000`)
    t.same(
      served.body.data.evses.map((e: { status: string }) => e.status),
      ['REMOVED', 'REMOVED'],
    )
    t.equal(served.body.data.last_updated, locationNo(0).last_updated, 'last_updated as the CPO sent it: nothing newer came')
    // Listed again (unchanged): restored as the CPO has it.
    items = [locationNo(0), ...items]
    clock.advance(60_000)
    t.match((await sync('locations', 'full')).body, { objects: 201, removed: 0 })
    t.same(await statuses('LOC0000'), ['AVAILABLE', 'RESERVED'])
    t.equal(await count(`removed_at is not null`), 49)

    clock.advance(60_000)
    const delta = await sync('locations', 'delta')
    t.equal(delta.status, 200)
    t.equal(
      pageRequests('locations')
        .filter((r) => r.query.offset === '0')
        .at(-1)!.query.date_from,
      new Date(Date.parse(NOW) + 120_000).toISOString(),
      'delta = start of the last completed pull',
    )
    t.equal(delta.body.removed, 0, 'a delta pull never removes')
  },
)

t.test('a page that keeps failing ends the pull with 502; what was stored stays, nothing is removed', async (t) => {
  const { emsp, cpo, sync, pageRequests } = await setup(t)
  const items = Array.from({ length: 30 }, (_, i) => locationNo(i))
  cpo.on(
    'GET',
    /^\/ocpi\/2\.2\.1\/locations$/,
    paged(cpo.baseUrl, () => items, 100),
  )
  t.equal((await sync('locations', 'full')).body.objects, 30)
  const serve = paged(cpo.baseUrl, () => items.slice(0, 20), 10)
  cpo.on('GET', /^\/ocpi\/2\.2\.1\/locations$/, (req, reply) =>
    req.query.offset === '10' ? reply.code(500).send('boom') : serve(req, reply),
  )
  const before = pageRequests('locations').length
  const res = await sync('locations', 'full')
  t.equal(res.status, 502)
  t.match(res.body, { module: 'locations', mode: 'full', objects: 10, pages: 1, removed: 0 })
  t.match(res.body.errors.at(-1), /page 2/)
  t.equal(pageRequests('locations').length - before, 1 + 4, 'page 1 once, page 2 four attempts, no page 3')
  const removed = await execRows<{ n: number }>(
    emsp.database.db,
    sql`select count(*)::int as n from locations where removed_at is not null`,
  )
  t.equal(removed[0]!.n, 0)
  const runs = await execRows<{ status: string }>(emsp.database.db, sql`select status from sync_runs order by started_at, status`)
  t.same(runs.map((r) => r.status).sort(), ['completed', 'failed'])
})

t.test('429 is retried after Retry-After; a Link loop is stopped', async (t) => {
  const { cpo, sync, pageRequests } = await setup(t)
  const tariffs = ['tariff_1_simple_2hour.json', 'tariff_3_alt_url.json', 'tariff_4_complex.json'].map((n) => fixture(`tariffs/${n}`))
  let throttled = false
  const serve = paged(cpo.baseUrl, () => tariffs, 2)
  cpo.on('GET', /^\/ocpi\/2\.2\.1\/tariffs$/, (req, reply) => {
    if (req.query.offset === '2' && !throttled) {
      throttled = true
      return reply.code(429).header('retry-after', '1').send({ status_code: 2000, timestamp: new Date().toISOString() })
    }
    return serve(req, reply)
  })
  const res = await sync('tariffs', 'full')
  t.equal(res.status, 200)
  t.match(res.body, { module: 'tariffs', objects: 3, pages: 2, errors: [] })
  const [, limited, retried] = pageRequests('tariffs')
  t.ok(retried!.at - limited!.at >= 950, `waited Retry-After (${retried!.at - limited!.at} ms)`)

  cpo.on('GET', /^\/ocpi\/2\.2\.1\/tariffs$/, (req, reply) => {
    reply.header('link', `<${cpo.baseUrl}${req.path}?offset=0&limit=${req.query.limit}>; rel="next"`)
    return { data: tariffs, status_code: 1000, timestamp: new Date().toISOString() }
  })
  const loop = await sync('tariffs', 'full')
  t.equal(loop.status, 502)
  t.match(loop.body.errors.at(-1), /already read/)
  t.equal(loop.body.removed, 0)
})

/** A Sessions Sender as OCPI 2.2.1 has it: `date_from` is required (HTTP 400 / 2001 without it). */
const requiresDateFrom = (serve: ReturnType<typeof paged>) => (req: SimRequest, reply: FastifyReply) =>
  req.query.date_from
    ? serve(req, reply)
    : reply.code(400).send({ status_code: 2001, status_message: 'date_from is required', timestamp: new Date().toISOString() })

t.test('sessions and CDRs pull from the horizon; the schedule enqueues one delta pull per partner, module and slot', async (t) => {
  const { emsp, cpo, sync, partnerId, pageRequests } = await setup(t)
  const session = fixture('sessions/session_example_1_simple_start.json')
  const cdr = fixture('cdrs/cdr_example.json')
  cpo.on('GET', /^\/ocpi\/2\.2\.1\/sessions$/, requiresDateFrom(paged(cpo.baseUrl, () => [session], 10)))
  cpo.on(
    'GET',
    /^\/ocpi\/2\.2\.1\/cdrs$/,
    paged(cpo.baseUrl, () => [cdr], 10),
  )
  cpo.on(
    'GET',
    /^\/ocpi\/2\.2\.1\/(locations|tariffs)$/,
    paged(cpo.baseUrl, () => [], 10),
  )
  t.match((await sync('sessions', 'full')).body, { objects: 1, errors: [] })
  t.match((await sync('cdrs', 'full')).body, { objects: 1, errors: [] })
  const horizon = new Date(Date.parse(NOW) - 30 * 86_400_000).toISOString()
  t.equal(pageRequests('sessions')[0]!.query.date_from, horizon, 'a full pull of sessions starts at SYNC_HORIZON_DAYS')
  t.equal(pageRequests('cdrs')[0]!.query.date_from, horizon, 'a full pull of CDRs too')

  const db = emsp.database.db
  const slot = Date.parse(NOW)
  await emsp.app.jobs.enqueue(db, { queue: 'sync.schedule', payload: { slot }, dedupeKey: String(slot) })
  await emsp.app.jobs.runDue({ queues: ['sync.schedule', 'sync.pull'] })
  const pulls = await execRows<{ key: string; state: string }>(
    db,
    sql`select dedupe_key as key, state from jobs where queue = 'sync.pull' order by dedupe_key`,
  )
  t.same(
    pulls.map((p) => p.key),
    ['cdrs', 'locations', 'sessions', 'tariffs'].map((m) => `${partnerId}:${m}:${slot}`),
  )
  t.ok(pulls.every((p) => p.state === 'done'))
  const next = await execRows<{ run_at: Date | string }>(
    db,
    sql`select run_at from jobs where queue = 'sync.schedule' and state = 'pending'`,
  )
  t.equal(next.length, 1)
  t.equal(new Date(next[0]!.run_at).toISOString(), new Date(slot + 900_000).toISOString(), 'the next slot is scheduled')
  const runs = await execRows<{ mode: string; n: number }>(
    db,
    sql`select mode, count(*)::int as n from sync_runs group by mode order by mode`,
  )
  t.same(runs, [
    { mode: 'delta', n: 4 },
    { mode: 'full', n: 2 },
  ])
  // The same slot again (a second instance, a restart): no new pulls.
  await emsp.app.jobs.enqueue(db, { queue: 'sync.schedule', payload: { slot }, dedupeKey: String(slot) })
  await emsp.app.jobs.runDue({ queues: ['sync.schedule', 'sync.pull'] })
  const again = await execRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where queue = 'sync.pull'`)
  t.equal(again[0]!.n, 4)
  t.equal(pageRequests('sessions').at(-1)!.query.date_from, NOW, 'a delta pull: from the start of the last completed one')
  t.equal(
    pageRequests('locations')[0]!.query.date_from,
    undefined,
    "locations' first delta: everything (no horizon), but nothing is retired",
  )
})

t.test('routing headers on every functional request we send, none on configuration modules; GET of one Location', async (t) => {
  const { emsp, cpo, sync, partnerId, pageRequests } = await setup(t)
  cpo.on(
    'GET',
    /^\/ocpi\/2\.2\.1\/(locations|tariffs|sessions|cdrs)$/,
    paged(cpo.baseUrl, () => [], 10),
  )
  for (const module of ['locations', 'tariffs', 'sessions', 'cdrs']) t.equal((await sync(module, 'full')).status, 200)
  const from = { 'ocpi-from-country-code': 'DE', 'ocpi-from-party-id': 'BMW' }
  for (const module of ['locations', 'tariffs', 'sessions', 'cdrs']) {
    t.match(
      pageRequests(module)[0]!.headers,
      { ...from, 'ocpi-to-country-code': 'BE', 'ocpi-to-party-id': 'BEC' },
      `${module} pull: from us to the CPO`,
    )
  }
  const configuration = cpo.requests.filter(
    (r) => r.path === '/ocpi/versions' || r.path === '/ocpi/2.2.1' || r.path.endsWith('/credentials'),
  )
  t.ok(configuration.length >= 2, 'the handshake read versions and details')
  for (const r of configuration)
    t.notOk(
      Object.keys(r.headers).some((h) => h.startsWith('ocpi-')),
      `${r.method} ${r.path}: no routing headers`,
    )

  // GET by id: the Location of one of the platform's other parties; OCPI-to names that party.
  const stk = { ...locationNo(7), country_code: 'NL', party_id: 'STK', id: 'Stk-7' }
  cpo.on('GET', /^\/ocpi\/2\.2\.1\/locations\/[^/]+$/, (req, reply) =>
    req.path.endsWith('/Stk-7')
      ? cpo.envelope(stk)
      : reply.code(404).send({ status_code: 2003, status_message: 'unknown location', timestamp: new Date().toISOString() }),
  )
  const one = await emsp.admin('POST', `/partners/${partnerId}/sync/locations/nl/stk/Stk-7`)
  t.equal(one.status, 200, JSON.stringify(one.body))
  t.same(one.body, { module: 'locations', outcome: 'created' })
  const asked = cpo.requests.find((r) => r.path === '/ocpi/2.2.1/locations/Stk-7')!
  t.match(asked.headers, { ...from, 'ocpi-to-country-code': 'NL', 'ocpi-to-party-id': 'STK' })
  t.equal((await cpo.call('GET', `${cpo.endpointOfEmsp('locations')}/NL/STK/STK-7`)).body.data.id, 'Stk-7', 'stored as if pushed')
  t.equal((await emsp.admin('POST', `/partners/${partnerId}/sync/locations/NL/STK/GONE`)).body.code, 'not_at_partner')
  t.equal((await emsp.admin('POST', `/partners/${partnerId}/sync/locations/FR/XYZ/X1`)).body.code, 'party_not_of_partner')
})
