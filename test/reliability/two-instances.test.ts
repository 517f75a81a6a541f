import { performance } from 'node:perf_hooks'
import t from 'tap'
import { cdr, chargingPeriod, customer, location, session } from '../../scripts/replay/objects.js'
import { discoverEndpoints, getJson, registerAsCpo, tokenHeader } from '../../scripts/replay/register.js'
import { readRatings } from '../../scripts/replay/summary.js'
import { ADMIN_TOKEN, freshServerDatabase, startServerProcess, type ServerProcess } from '../../scripts/reliability/harness.js'
import { registerLoadCpo, runLane } from '../../scripts/reliability/load.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const skip = process.env.DATABASE_URL
  ? false
  : 'needs Postgres: run with DATABASE_URL=postgres://… (two server processes share one database)'

t.test('two instances on one Postgres under concurrent load', { skip }, async (t) => {
  const db = await freshServerDatabase()
  const servers: ServerProcess[] = []
  t.teardown(async () => {
    for (const s of servers) await s.kill('SIGKILL')
    await db.drop()
  })
  // one after the other: the first one migrates the fresh database
  for (let i = 0; i < 2; i++) servers.push(await startServerProcess({ ...db.env, JOBS_POLL_MS: '100' }, { nodeArgs: TS_NODE_ARGS }))
  const [a, b] = servers as [ServerProcess, ServerProcess]
  const party = { countryCode: 'DE', partyId: 'TWO' }
  const { token } = await registerAsCpo({ url: a.url, adminToken: ADMIN_TOKEN, name: 'Two CPO', parties: [party] })
  const eps = [await discoverEndpoints(`${a.url}/ocpi/versions`, token), await discoverEndpoints(`${b.url}/ocpi/versions`, token)]
  const call = (n: number, method: 'PUT' | 'PATCH' | 'POST' | 'GET', module: string, path: string, body?: unknown) =>
    getJson(`${eps[n % 2]![module]}${path}`, tokenHeader(token), method as 'POST', body)
  const created = (await getJson(`${b.url}/admin/v1/customers`, `Bearer ${ADMIN_TOKEN}`, 'POST', customer(1, 'DE'))).body
  const tok = { uid: created.tokens[0].uid, type: 'APP_USER' as const, contractId: created.contract_id }

  // Background load: mixed generated traffic from another CPO into both instances while the checks run.
  const loadCpo = await registerLoadCpo(a.url, 'Background CPO')
  const viaB = {
    ...loadCpo,
    url: b.url,
    endpoints: await discoverEndpoints(`${b.url}/ocpi/versions`, loadCpo.token),
    admin: { url: b.url, token: ADMIN_TOKEN },
  }
  const loadErrors: string[] = []
  let loadRequests = 0
  const deadline = performance.now() + 12_000
  const background = Promise.all(
    [loadCpo, viaB].map((target, lane) =>
      runLane(target, { lane, runId: 'B', deadline, onSample: () => loadRequests++, onError: (e) => loadErrors.push(e) }),
    ),
  )
  t.teardown(() => background)

  t.test('no lost update: concurrent PATCHes of 20 EVSEs of one Location through both instances', async (t) => {
    const evses = Array.from({ length: 20 }, () => ({ power: 'DC' as const, kw: 150 }))
    t.equal(
      (
        await call(
          0,
          'PUT',
          'locations',
          '/DE/TWO/LOC-2',
          location(party, {
            id: 'LOC-2',
            country: 'DEU',
            city: 'Köln',
            timeZone: 'Europe/Berlin',
            operator: 'Two',
            evses,
            at: '2025-05-01T00:00:00Z',
          }),
        )
      ).status,
      201,
    )
    const answers = await Promise.all(
      evses.map((_, i) =>
        call(i, 'PATCH', 'locations', `/DE/TWO/LOC-2/LOC-2-E${i + 1}`, { status: 'CHARGING', last_updated: '2025-05-01T01:00:00Z' }),
      ),
    )
    t.ok(
      answers.every((r) => r.body.status_code === 1000),
      'all acknowledged',
    )
    const stored = (await call(1, 'GET', 'locations', '/DE/TWO/LOC-2')).body.data
    t.same(
      stored.evses.map((e: { status: string }) => e.status),
      evses.map(() => 'CHARGING'),
      'every EVSE has its update',
    )
  })

  t.test('no lost update: 20 concurrent PATCHes appending periods to one Session', async (t) => {
    t.equal(
      (
        await call(
          1,
          'PUT',
          'sessions',
          '/DE/TWO/S-2',
          session(party, {
            id: 'S-2',
            token: tok,
            locationId: 'LOC-2',
            evse: 'LOC-2-E1',
            start: '2025-05-01T10:00:00Z',
            currency: 'EUR',
            at: '2025-05-01T10:00:00Z',
          }),
        )
      ).status,
      201,
    )
    const starts = Array.from({ length: 20 }, (_, i) => new Date(Date.parse('2025-05-01T10:00:00Z') + i * 60_000).toISOString())
    // the same last_updated: every PATCH applies (an equal timestamp is not "older")
    const answers = await Promise.all(
      starts.map((s, i) =>
        call(i, 'PATCH', 'sessions', '/DE/TWO/S-2', { charging_periods: [chargingPeriod(s, 1)], last_updated: '2025-05-01T10:30:00Z' }),
      ),
    )
    t.ok(answers.every((r) => r.body.status_code === 1000))
    const stored = (await call(0, 'GET', 'sessions', '/DE/TWO/S-2')).body.data
    t.same(
      stored.charging_periods.map((p: { start_date_time: string }) => new Date(p.start_date_time).toISOString()).sort(),
      starts,
      'all 20 periods, none twice',
    )
  })

  t.test('no duplicate, consistent rating: 40 CDRs, each posted 3 times at once across both instances', async (t) => {
    const bodies = Array.from({ length: 40 }, (_, i) =>
      cdr(party, {
        id: `TWO-${i}`,
        token: tok,
        locationId: 'LOC-X',
        evse: 'LOC-X-E1',
        country: 'DEU',
        power: 'DC',
        start: '2025-05-06T10:00:00Z',
        end: '2025-05-06T10:30:00Z',
        kwh: 40,
        currency: 'EUR',
        totalExcl: 20,
      }),
    )
    const answers = await Promise.all(
      bodies.flatMap((body, i) => [0, 1, 2].map((k) => call(i + k, 'POST', 'cdrs', '', body).then((r) => ({ i, r })))),
    )
    const ids = new Map<number, Set<string>>()
    for (const { i, r } of answers) {
      if (r.body.status_code !== 1000) t.fail(`CDR ${i}: ${JSON.stringify(r.body)}`)
      const set = ids.get(i) ?? new Set<string>()
      set.add(String(r.headers.location).split('/').pop()!)
      ids.set(i, set)
    }
    if (answers.some(({ r }) => r.body.status_code !== 1000)) t.comment(`${a.tail().slice(-3000)}\n${b.tail().slice(-3000)}`)
    t.equal(answers.filter(({ r }) => r.status === 201).length, 40, 'exactly one 201 per CDR')
    t.ok(
      [...ids.values()].every((s) => s.size === 1),
      'one Location per CDR, whichever instance answered',
    )
    const all = [...ids.values()].map((s) => [...s][0]!)
    t.equal(new Set(all).size, 40)
    // both instances run the job queue; each CDR must be charged once: 40 × (40 kWh × 0.55 + 0.59) = 40 × 22.59
    const viaA = await readRatings({ url: a.url, token: ADMIN_TOKEN }, all, { waitMs: 90_000, pollMs: 300 })
    t.equal(viaA.rated, 40)
    t.equal(viaA.doubleCharged, 0, 'no CDR charged twice')
    t.same(viaA.totals, { EUR: '903.60' })
    const readViaB = await readRatings({ url: b.url, token: ADMIN_TOKEN }, all, { waitMs: 1000 })
    t.same(
      readViaB.outcomes.map((o) => [o.cdrId, o.total]),
      viaA.outcomes.map((o) => [o.cdrId, o.total]),
      'both instances read the same charges',
    )
  })

  t.test('the background traffic through both instances had no error', async (t) => {
    await background
    t.ok(loadRequests > 50, `${loadRequests} background requests`)
    t.same(loadErrors, [])
  })
})
