// Benchmark: EVSE status PATCH and Location PUT through our Locations Receiver vs a bare baseline
// (Fastify + postgres.js doing the same single upsert with no OCPI logic), with a large network stored.
// Run: npx tsx scripts/bench/receivers.ts [locations=200000] [evsesPerLocation=4] [rounds=3] [seconds=10] [connections=10]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Per round and scenario: baseline at full speed, ours at full speed, then ours at half of its own
// maximum rate (autocannon overallRate) for the p99 goal. Medians over rounds; ratio ours/baseline.
// The PUT has a second baseline, the bare tree: the rows we store (Location, EVSEs, connectors) in one
// statement without any OCPI logic, so the cost of the three-table storage shows apart from our code's;
// it is the fair baseline of issue 20 (ours / bare tree >= 0.70 over HTTP). Quick re-run of the PUTs only:
// BENCH_ONLY=put npx tsx scripts/bench/receivers.ts 50000 4 3 10 10
// Each request also reports the CPU it cost this process and PostgreSQL (cpu-meter.ts).
// Server and load generator share this process and its cores, for both candidates alike.
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import type postgres from 'postgres'
import { cpuMeter, perRequest } from './cpu-meter.js'
import { locationPutBody, median, seededLocation, seedLocations, startBaseline, withBenchApp } from './receivers-setup.js'

const [locations, evsesPer, rounds, seconds, connections] = [200_000, 4, 3, 10, 10].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
  number,
]
/** BENCH_ONLY=patch, put, changed or replacing runs the scenarios whose name contains it. */
const only = process.env.BENCH_ONLY?.toLowerCase()
const STATUSES = ['AVAILABLE', 'CHARGING', 'BLOCKED', 'RESERVED']

let tick = 0
/** Always newer than anything stored before, so every write is applied (not ignored). */
const nextStamp = () => new Date(Date.UTC(2030, 0, 1) + tick++ * 10).toISOString().replace('.000Z', 'Z')
const pick = (n: number) => 1 + Math.floor(Math.random() * n)

type Scenario = { method: 'PATCH' | 'PUT'; request: () => { path: string; body: string } }

const evsePatch = (prefix: string): Scenario => ({
  method: 'PATCH',
  request: () => {
    const i = pick(locations)
    return {
      path: `${prefix}/L${i}/E${i}-${pick(evsesPer)}`,
      body: JSON.stringify({ status: STATUSES[tick % 4], last_updated: nextStamp() }),
    }
  },
})

/** A Location PUT of one kind (see `locationPutBody`). */
const locationPut = (kind: 'changed' | 'replacing', prefix: string): Scenario => ({
  method: 'PUT',
  request: () => {
    const i = pick(locations)
    return { path: `${prefix}/L${i}`, body: JSON.stringify(locationPutBody(kind, i, evsesPer, nextStamp())) }
  },
})

/** The everyday PUT only measures what it claims if the seeded children are what our PUT would store: then it leaves them alone. */
const assertSeedIsWhatAPutStores = async (sql: postgres.Sql, url: string, authorization: string) => {
  const versions = () => sql`select (select array_agg(xmin::text order by uid) from evses where location_id = 'L1') as e,
    (select array_agg(xmin::text order by evse_uid) from connectors where location_id = 'L1') as c`
  const [before] = await versions()
  const res = await fetch(url, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(seededLocation(1, evsesPer, { last_updated: '2021-01-01T00:00:00Z' })),
  })
  if (res.status !== 200 || ((await res.json()) as { status_code: number }).status_code !== 1000)
    throw new Error(`PUT of the seeded location failed: HTTP ${res.status}`)
  const [after] = await versions()
  if (JSON.stringify(before) !== JSON.stringify(after))
    throw new Error('the seeded EVSEs or connectors differ from what a PUT of them stores; fix seedLocations')
}

const load = async (url: string, headers: Record<string, string>, s: Scenario, rate?: number) => {
  const meter = cpuMeter()
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: Math.max(1, Math.round(rate)) } : {}),
    requests: [
      {
        method: s.method,
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (req: Record<string, unknown>) => ({ ...req, ...s.request() }),
      },
    ],
  })
  const bad = result.non2xx + result.errors
  if (bad > 0) throw new Error(`${bad} failed requests against ${url}`)
  return {
    rps: result.requests.average as number,
    p99: result.latency.p99 as number,
    cpu: perRequest(meter.stop(), result.requests.total as number),
  }
}

await withBenchApp({}, async ({ sql, partnerId, base, authorization, teardown }) => {
  const started = performance.now()
  await seedLocations(sql, partnerId, locations, evsesPer)
  const [counts] =
    await sql`select (select count(*)::int from locations) as l, (select count(*)::int from evses) as e, (select count(*)::int from connectors) as c`
  console.log(
    `seeded ${counts!.l} locations, ${counts!.e} EVSEs, ${counts!.c} connectors in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  )
  const baseline = await startBaseline(sql, partnerId)
  teardown(() => baseline.app.close())
  const ours = { url: `${base}`, headers: { authorization } }
  // `tree`: a second, informative baseline for the PUT: the same rows we write, bare (see startBaseline).
  await assertSeedIsWhatAPutStores(sql, `${base}/ocpi/2.2.1/locations/BE/BEC/L1`, authorization)
  // The everyday PUT goes first: it needs the EVSEs as seeded, which the PATCHes change.
  const scenarios: { name: string; baseline: Scenario; ours: Scenario; tree?: Scenario }[] = [
    {
      name: 'Location PUT, location changed (EVSEs as stored)',
      baseline: locationPut('changed', '/base'),
      ours: locationPut('changed', '/ocpi/2.2.1/locations/BE/BEC'),
      tree: locationPut('changed', '/base-tree'),
    },
    { name: 'EVSE status PATCH', baseline: evsePatch('/base'), ours: evsePatch('/ocpi/2.2.1/locations/BE/BEC') },
    {
      name: 'Location PUT replacing EVSEs (2 new, 3 connectors)',
      baseline: locationPut('replacing', '/base'),
      ours: locationPut('replacing', '/ocpi/2.2.1/locations/BE/BEC'),
      tree: locationPut('replacing', '/base-tree'),
    },
  ]
  for (const s of scenarios.filter((x) => !only || x.name.toLowerCase().includes(only))) {
    await load(baseline.url, {}, s.baseline) // warm-up (JIT, connections, plans)
    await load(ours.url, ours.headers, s.ours)
    if (s.tree) await load(baseline.url, {}, s.tree)
    const rows: { b: number; o: number; bP99: number; oP99: number; halfP99: number; tree?: number }[] = []
    for (let round = 1; round <= rounds; round++) {
      const b = await load(baseline.url, {}, s.baseline)
      const tree = s.tree ? await load(baseline.url, {}, s.tree) : undefined
      const o = await load(ours.url, ours.headers, s.ours)
      const half = await load(ours.url, ours.headers, s.ours, o.rps / 2)
      rows.push({ b: b.rps, o: o.rps, bP99: b.p99, oP99: o.p99, halfP99: half.p99, tree: tree?.rps })
      console.log(
        `${s.name} round ${round}: baseline ${b.rps.toFixed(0)} req/s (p99 ${b.p99} ms), ours ${o.rps.toFixed(0)} req/s (p99 ${o.p99} ms), ratio ${(o.rps / b.rps).toFixed(2)}; ours at ${(o.rps / 2).toFixed(0)} req/s: p99 ${half.p99} ms`,
      )
      if (tree)
        console.log(
          `  bare tree baseline ${tree.rps.toFixed(0)} req/s (p99 ${tree.p99} ms), ours / tree ${(o.rps / tree.rps).toFixed(2)}; CPU ${tree.cpu}`,
        )
      console.log(`  CPU: baseline ${b.cpu}; ours ${o.cpu}`)
    }
    const mb = median(rows.map((r) => r.b))
    const mo = median(rows.map((r) => r.o))
    console.log(
      `${s.name} median: baseline ${mb.toFixed(0)} req/s, ours ${mo.toFixed(0)} req/s, ratio ${(mo / mb).toFixed(2)} (goal >= 0.70); p99 at half rate ${median(rows.map((r) => r.halfP99))} ms (goal < 50)`,
    )
    if (s.tree) {
      const mt = median(rows.map((r) => r.tree!))
      console.log(
        `${s.name} median: bare tree baseline ${mt.toFixed(0)} req/s (${(mt / mb).toFixed(2)} of the one-row baseline), ours / bare tree ${(mo / mt).toFixed(2)} (goal >= 0.70, issue 20)`,
      )
    }
  }
})
