// Benchmark: GET /app/v1/locations for a city-sized box with 800k EVSEs stored (issue 5: p99 < 50 ms;
// issue 20: p99 < 50 ms at 10 connections, < 100 ms at 50).
// Run: npx tsx scripts/bench/app-locations.ts [rounds=3] [seconds=15] [connections=1,10,50] [queries=map,available]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
//   queries: `map` = the plain box, `available` = the same box with ?available=true&start=true.
// Every round also measures a floor in the same run: a bare Fastify route answering `select 1` through
// postgres.js at the same connections (what this machine's load alone costs in latency).
// Creates the database emsp_bench_app_<random>, migrates it, fills it with SQL (400k locations, two
// EVSEs and one connector each = 800k EVSEs; 70% in 40 European city clusters, 30% spread over Europe;
// 30 CPO parties, each a registered partner), and drops it at the end. Each round runs autocannon on
// loopback against the real app (JWT auth, rate limit, zod, the query, reachability flags, serialization),
// cycling through a 0.2° × 0.3° box (~22 × 21 km) around each city centre, at each number of connections.
// Reports medians over rounds of p50/p99 latency and requests per second, and per round the CPU per request
// of this process (server and load generator) and of PostgreSQL (cpu-meter.ts).
// BENCH_KEEP=1 keeps (and on the next run reuses) the filled database emsp_bench_app_keep; drop it by hand.
import { customer } from '../replay/objects.js'
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import Fastify from 'fastify'
import postgres from 'postgres'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { cpuMeter, perRequest } from './cpu-meter.js'

const rounds = Number(process.argv[2] ?? 3)
const seconds = Number(process.argv[3] ?? 15)
const connectionCounts = (process.argv[4] ?? '1,10,50').split(',').map(Number)
const queries = (process.argv[5] ?? 'map,available').split(',') as ('map' | 'available')[]
const QUERY_SUFFIX = { map: '', available: '&available=true&start=true' }
const GOAL_P99 = (connections: number) => (connections >= 50 ? 100 : 50)
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const ADMIN = 'bench-admin-token-0123456789'
const SECRET = 'bench-secret-bench-secret-bench-secret-01'

/** 40 city centres (lat, lon). */
const CITIES: [string, number, number][] = [
  ['Munich', 48.137, 11.575],
  ['Berlin', 52.52, 13.405],
  ['Hamburg', 53.551, 9.993],
  ['Cologne', 50.938, 6.96],
  ['Frankfurt', 50.11, 8.682],
  ['Stuttgart', 48.775, 9.182],
  ['Düsseldorf', 51.227, 6.773],
  ['Leipzig', 51.34, 12.375],
  ['Dresden', 51.05, 13.738],
  ['Hanover', 52.375, 9.732],
  ['Nuremberg', 49.452, 11.077],
  ['Vienna', 48.208, 16.373],
  ['Zurich', 47.377, 8.541],
  ['Amsterdam', 52.368, 4.904],
  ['Rotterdam', 51.924, 4.478],
  ['Brussels', 50.85, 4.352],
  ['Antwerp', 51.219, 4.402],
  ['Paris', 48.857, 2.352],
  ['Lyon', 45.764, 4.836],
  ['Marseille', 43.296, 5.37],
  ['Milan', 45.464, 9.19],
  ['Rome', 41.903, 12.496],
  ['Madrid', 40.417, -3.704],
  ['Barcelona', 41.385, 2.173],
  ['Lisbon', 38.722, -9.139],
  ['Copenhagen', 55.676, 12.568],
  ['Stockholm', 59.329, 18.069],
  ['Oslo', 59.914, 10.752],
  ['Helsinki', 60.17, 24.938],
  ['Tallinn', 59.437, 24.754],
  ['Warsaw', 52.23, 21.012],
  ['Prague', 50.075, 14.438],
  ['Budapest', 47.498, 19.04],
  ['Ljubljana', 46.057, 14.506],
  ['Zagreb', 45.815, 15.982],
  ['London', 51.507, -0.128],
  ['Manchester', 53.48, -2.242],
  ['Dublin', 53.35, -6.26],
  ['Luxembourg', 49.612, 6.13],
  ['Salzburg', 47.81, 13.055],
]
const PARTIES = 30
const LOCATIONS = 400_000

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const fill = async (sql: postgres.Sql) => {
  const started = performance.now()
  await sql`select setseed(0.42)`
  await sql.unsafe(`create temporary table cities (n int, name text, lat float8, lon float8)`)
  for (const [i, [name, lat, lon]] of CITIES.entries()) await sql`insert into cities values (${i}, ${name}, ${lat}, ${lon})`
  await sql.unsafe(`insert into partners (id, name, state, outbound_token, endpoints, registered_at, created_at, updated_at)
    select ('00000000-0000-4000-8000-' || lpad(p::text, 12, '0'))::uuid, 'CPO ' || p, 'REGISTERED', 'token-' || p,
      jsonb_build_array(jsonb_build_object('identifier', 'commands', 'role', 'RECEIVER', 'url', 'http://127.0.0.1:9/commands')), now(), now(), now()
    from generate_series(0, ${PARTIES - 1}) p`)
  await sql.unsafe(`insert into partner_roles (partner_id, role, country_code, party_id, business_details)
    select ('00000000-0000-4000-8000-' || lpad(p::text, 12, '0'))::uuid, 'CPO', 'DE', 'P' || lpad(p::text, 2, '0'), '{}'::jsonb from generate_series(0, ${PARTIES - 1}) p`)
  // Sum of three uniforms: a bell-shaped city around its centre (sd ≈ 0.075° of latitude).
  await sql.unsafe(`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
    select 'DE', 'P' || lpad((g % ${PARTIES})::text, 2, '0'), 'L' || g, ('00000000-0000-4000-8000-' || lpad((g % ${PARTIES})::text, 12, '0'))::uuid, true,
      round(lat::numeric, 7), round(lon::numeric, 7), now(),
      jsonb_build_object('country_code', 'DE', 'party_id', 'P' || lpad((g % ${PARTIES})::text, 2, '0'), 'id', 'L' || g, 'name', 'Station ' || g,
        'address', 'Street ' || g, 'city', city, 'operator', jsonb_build_object('name', 'Operator ' || (g % ${PARTIES})),
        'coordinates', jsonb_build_object('latitude', round(lat::numeric, 7)::text, 'longitude', round(lon::numeric, 7)::text))
    from (select g,
        case when g % 10 < 7 then c.lat + (random() + random() + random() - 1.5) * 0.15 else 36 + random() * 34 end as lat,
        case when g % 10 < 7 then c.lon + (random() + random() + random() - 1.5) * 0.22 else -10 + random() * 40 end as lon,
        case when g % 10 < 7 then c.name else 'Somewhere' end as city
      from generate_series(1, ${LOCATIONS}) g join cities c on c.n = g % ${CITIES.length}) s`)
  await sql.unsafe(`insert into evses (country_code, party_id, location_id, uid, status, capabilities, last_updated, object)
    select l.country_code, l.party_id, l.id, l.id || '-' || n,
      (array['AVAILABLE','AVAILABLE','AVAILABLE','CHARGING','CHARGING','OUTOFORDER','UNKNOWN','BLOCKED'])[1 + floor(random() * 8)::int],
      case when random() < 0.8 then array['REMOTE_START_STOP_CAPABLE','RFID_READER'] else array['RFID_READER'] end, now(),
      jsonb_build_object('uid', l.id || '-' || n, 'evse_id', 'DE*' || l.party_id || '*E' || l.id || n)
    from locations l cross join generate_series(1, 2) n`)
  await sql.unsafe(`insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, present, last_updated, object)
    select e.country_code, e.party_id, e.location_id, e.uid, '1', case when k < 2 then 'AC_3_PHASE' else 'DC' end,
      case when k < 2 then 'IEC_62196_T2' else 'IEC_62196_T2_COMBO' end, (array[11000, 22000, 50000, 150000])[k + 1], true, now(), '{"id":"1"}'::jsonb
    from (select e.*, floor(random() * 4)::int as k from evses e) e`)
  await sql.unsafe('analyze')
  const [counts] =
    await sql`select (select count(*) from locations)::int as locations, (select count(*) from evses)::int as evses, (select count(*) from connectors)::int as connectors`
  console.log(`filled ${JSON.stringify(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

const boxes = CITIES.map(
  ([, lat, lon]) => `bbox=${(lon - 0.15).toFixed(4)},${(lat - 0.1).toFixed(4)},${(lon + 0.15).toFixed(4)},${(lat + 0.1).toFixed(4)}`,
)

const load = async (url: string, token: string, connections: number, suffix = '') => {
  const meter = cpuMeter()
  const result = await autocannon({
    // The load generator runs in its own thread so it does not queue behind the server on one event loop.
    url,
    connections,
    duration: seconds,
    workers: 1,
    requests: boxes.map((b) => ({ method: 'GET', path: `/app/v1/locations?${b}${suffix}`, headers: { authorization: `Bearer ${token}` } })),
  })
  const bad = result.non2xx + result.errors
  if (bad > 0) throw new Error(`${bad} failed requests`)
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpu: perRequest(meter.stop(), result.requests.total as number),
  }
}

const main = async () => {
  const keep = process.env.BENCH_KEEP === '1'
  const name = keep ? 'emsp_bench_app_keep' : `emsp_bench_app_${randomBytes(4).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0
  if (!exists) await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 })
  const filler = postgres(url.toString(), { max: 1, onnotice: () => {} })
  try {
    if (!exists) await fill(filler)
    const [inBox] =
      await filler`select count(*)::int as n from locations where latitude between ${CITIES[0]![1] - 0.1} and ${CITIES[0]![1] + 0.1} and longitude between ${CITIES[0]![2] - 0.15} and ${CITIES[0]![2] + 0.15}`
    console.log(`the Munich box holds ${inBox!.n} locations (${inBox!.n * 2} EVSEs); the app returns the nearest 100`)
    const config = configFrom({
      ADMIN_TOKEN: ADMIN,
      APP_JWT_SECRET: SECRET,
      APP_RATE_LIMIT_PER_MINUTE: '100000000',
      // the map's bulkhead (default 8); set APP_MAP_CONCURRENCY to compare
      ...(process.env.APP_MAP_CONCURRENCY ? { APP_MAP_CONCURRENCY: process.env.APP_MAP_CONCURRENCY } : {}),
      LOG_LEVEL: 'silent',
      SYNC_INTERVAL_MS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
    })
    const app = await buildApp({ config, database, logger: false, closeDatabase: false, startJobs: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = publicUrl(app, config)
    // An app token's subject must be a customer.
    const customerId = (
      await app.inject({
        method: 'POST',
        url: '/admin/v1/customers',
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: customer(Number(randomBytes(3).readUIntBE(0, 3)), 'DE'),
      })
    ).json().id as string
    const minted = await app.inject({
      method: 'POST',
      url: '/admin/v1/app-tokens',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { customer_id: customerId, ttl_seconds: 86400 },
    })
    const token = minted.json().token as string
    const sample = await app.inject({ method: 'GET', url: `/app/v1/locations?${boxes[0]}`, headers: { authorization: `Bearer ${token}` } })
    console.log(`sample answer: ${sample.json().locations.length} locations, ${Buffer.byteLength(sample.body)} bytes`)
    const filtered = await app.inject({
      method: 'GET',
      url: `/app/v1/locations?${boxes[0]}${QUERY_SUFFIX.available}`,
      headers: { authorization: `Bearer ${token}` },
    })
    console.log(`sample with available=true&start=true: ${filtered.json().locations.length} locations`)
    // The floor: a bare route, one trivial statement, same pool size, same load generator.
    const floorSql = postgres(url.toString(), { max: 10, onnotice: () => {} })
    const floor = Fastify({ logger: false })
    floor.get('/app/v1/locations', async () => (await floorSql`select 1 as one`)[0])
    await floor.listen({ port: 0, host: '127.0.0.1' })
    const floorUrl = `http://127.0.0.1:${(floor.server.address() as { port: number }).port}`
    for (const q of queries) await load(base, token, 1, QUERY_SUFFIX[q]) // warm-up (plans, caches)
    await load(floorUrl, token, 1)
    type Run = Awaited<ReturnType<typeof load>>
    const runs = new Map<string, Run[]>()
    const add = (key: string, run: Run) => runs.set(key, [...(runs.get(key) ?? []), run])
    for (let r = 0; r < rounds; r++) {
      for (const c of connectionCounts) {
        const f = await load(floorUrl, token, c)
        add(`floor ${c}`, f)
        const line = [`round ${r + 1}, ${c} conn: floor p99 ${f.p99} ms`]
        for (const q of queries) {
          const run = await load(base, token, c, QUERY_SUFFIX[q])
          add(`${q} ${c}`, run)
          line.push(`${q} p50 ${run.p50} ms p99 ${run.p99} ms ${run.rps.toFixed(0)} req/s, CPU ${run.cpu}`)
        }
        console.log(line.join(' | '))
      }
    }
    const m = (key: string, k: 'p50' | 'p99' | 'rps') => median(runs.get(key)!.map((x) => x[k]))
    console.log(
      `\nmedians of ${rounds} rounds × ${seconds} s, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}:`,
    )
    console.log('| query | connections | p50 ms | p99 ms | req/s | p99 goal | p99 / goal | floor p99 ms |')
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
    for (const q of queries) {
      for (const c of connectionCounts) {
        console.log(
          `| ${q === 'map' ? 'map (box)' : 'available & start'} | ${c} | ${m(`${q} ${c}`, 'p50')} | ${m(`${q} ${c}`, 'p99')} | ${m(`${q} ${c}`, 'rps').toFixed(0)} | ${GOAL_P99(c)} | ${(m(`${q} ${c}`, 'p99') / GOAL_P99(c)).toFixed(2)} | ${m(`floor ${c}`, 'p99')} |`,
        )
      }
    }
    await floor.close()
    await floorSql.end()
    await app.close()
  } finally {
    await filler.end()
    await database.close()
    if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

await main()
