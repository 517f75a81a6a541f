// Benchmark: real-time authorization (POST /ocpi/2.2.1/tokens/{uid}/authorize) at a fixed
// 500 req/s with 1M tokens stored, against a bare baseline (Fastify + postgres.js, one prepared
// select of the same row, no OCPI logic) at the same rate. Goal: p99 < 25 ms.
// Run: npx tsx scripts/bench/authorize.ts [tokens=1000000] [rounds=3] [seconds=20] [rate=500]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Uses the dedicated database `emsp_bench_tokens` (created, then dropped).
// Server and load generator share this process and its cores, for both candidates alike.
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import Fastify from 'fastify'
import postgres from 'postgres'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'

const [tokens, rounds, seconds, rate] = [1_000_000, 3, 20, 500].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
]
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const NAME = 'emsp_bench_tokens'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
/** Seeded RFID uid of token i (1-based): 14 uppercase hex digits. */
const uidOf = (i: number) => i.toString(16).toUpperCase().padStart(14, '0')
const randomUid = () => uidOf(1 + Math.floor(Math.random() * tokens))

/** Half a million contracts with two tokens each would halve the RFID share; instead 1 RFID token per contract. */
const seed = async (sql: postgres.Sql) => {
  await sql`insert into customers (id, name, email, created_at, updated_at) values ('00000000-0000-4000-8000-000000000001', 'Bench', 'bench@example.com', now(), now())`
  await sql`insert into contracts (contract_id, customer_id, home_market, tariff, state, start_date, no_credit, vehicle_vin, vehicle_model, vehicle_delivery_date, vehicle_is_new, packages, created_at, updated_at)
    select 'DE-BMW-C' || lpad(i::text, 8, '0') || '-0', '00000000-0000-4000-8000-000000000001', 'DE', case when i % 2 = 0 then 'ACTIVE' else 'FLEX' end,
      case when i % 50 = 0 then 'terminated' else 'active' end, '2025-01-01', false, 'WBA11AA010CH12345', 'iX', '2024-12-01', true, '[]'::jsonb, now(), now()
    from generate_series(1, ${tokens}) i`
  await sql`insert into tokens (uid, type, contract_id, visual_number, group_id, valid, whitelist, language, last_updated, created_at)
    select lpad(upper(to_hex(i)), 14, '0'), 'RFID', 'DE-BMW-C' || lpad(i::text, 8, '0') || '-0', 'DE-BMW-C' || lpad(i::text, 8, '0') || '-0-01',
      'DEBMWC' || lpad(i::text, 8, '0') || '0', i % 97 <> 0, 'ALLOWED', 'de', now(), now()
    from generate_series(1, ${tokens}) i`
  await sql`analyze`
  // Flush the bulk load now rather than in the middle of a measured round.
  await sql`checkpoint`
}

const load = async (url: string, headers: Record<string, string>, path: (uid: string) => string) => {
  const result = await autocannon({
    url,
    connections: 10,
    overallRate: rate,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          path: path(randomUid()),
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ location_id: 'LOC1', evse_uids: ['E1'] }),
        }),
      },
    ],
  })
  return {
    p50: result.latency.p50 as number,
    p99: result.latency.p99 as number,
    rps: result.requests.average as number,
    non2xx: result.non2xx as number,
    errors: result.errors as number,
  }
}

const main = async () => {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${NAME} with (force)`)
  await admin.unsafe(`create database ${NAME}`)
  const dbUrl = new URL(serverUrl)
  dbUrl.pathname = `/${NAME}`
  const cleanups: (() => unknown)[] = []
  const t = { teardown: (fn: () => unknown) => cleanups.unshift(fn) }
  try {
    const database = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 10 })
    cleanups.push(() => database.close())
    const sql = postgres(dbUrl.toString(), { max: 10, onnotice: () => {} })
    cleanups.unshift(() => sql.end())
    const started = performance.now()
    await seed(sql)
    console.log(`seeded ${tokens} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`)

    const config = configFrom({
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl.toString(),
    })
    const app = await buildApp({ config, database, logger: false, closeDatabase: false, startJobs: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    t.teardown(() => app.close())
    const base = publicUrl(app, config).replace('localhost', '127.0.0.1')
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { authorization: `Bearer ${config.adminToken}` },
      payload: { name: 'Bench CPO' },
    })
    const { token_a, versions_url } = created.json()
    const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'ION' })
    await cpo.registerWith(versions_url.replace(/^http:\/\/localhost/, 'http://127.0.0.1'), token_a)
    const authorization = `Token ${Buffer.from(cpo.state.tokenForEmsp!).toString('base64')}`

    const bare = Fastify({ logger: false })
    bare.post('/authorize/:uid', async (req) => {
      const [row] =
        await sql`select t.*, c.state from tokens t join contracts c using (contract_id) where t.uid = ${(req.params as { uid: string }).uid} and t.type = 'RFID'`
      return { status_code: 1000, data: row }
    })
    await bare.listen({ port: 0, host: '127.0.0.1' })
    t.teardown(() => bare.close())
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`

    const ours: Awaited<ReturnType<typeof load>>[] = []
    const baseline: Awaited<ReturnType<typeof load>>[] = []
    // Warm-up (discarded): connection pools, prepared statements, index pages in cache.
    await load(base, { authorization }, (uid) => `/ocpi/2.2.1/tokens/${uid}/authorize?type=RFID`)
    for (let r = 0; r < rounds; r++) {
      baseline.push(await load(bareUrl, {}, (uid) => `/authorize/${uid}`))
      ours.push(await load(base, { authorization }, (uid) => `/ocpi/2.2.1/tokens/${uid}/authorize?type=RFID`))
      console.log(
        `round ${r + 1}: baseline p50 ${baseline[r]!.p50} p99 ${baseline[r]!.p99}; ours p50 ${ours[r]!.p50} p99 ${ours[r]!.p99} rps ${ours[r]!.rps} non2xx ${ours[r]!.non2xx} errors ${ours[r]!.errors}`,
      )
    }
    const m = (xs: typeof ours, k: 'p50' | 'p99' | 'rps') => median(xs.map((x) => x[k]))
    const [count] = await sql`select count(*)::int as n from token_authorizations`
    console.log(`\n${tokens} tokens, ${rate} req/s, ${seconds} s x ${rounds} rounds (medians):`)
    console.log(`| candidate | req/s | p50 ms | p99 ms | p99 ratio to baseline |`)
    console.log(`| bare baseline | ${m(baseline, 'rps')} | ${m(baseline, 'p50')} | ${m(baseline, 'p99')} | 1.00 |`)
    console.log(
      `| ours (authorize) | ${m(ours, 'rps')} | ${m(ours, 'p50')} | ${m(ours, 'p99')} | ${(m(ours, 'p99') / m(baseline, 'p99')).toFixed(2)} |`,
    )
    console.log(`authorizations recorded: ${count!.n}; goal p99 < 25 ms: ${m(ours, 'p99') < 25 ? 'met' : 'NOT met'}`)
  } finally {
    for (const fn of cleanups) await fn()
    await admin.unsafe(`drop database if exists ${NAME} with (force)`)
    await admin.end()
  }
}

await main()
