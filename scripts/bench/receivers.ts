// Benchmark: EVSE status PATCH and Location PUT through our Locations Receiver vs a bare baseline
// (Fastify + postgres.js doing the same single upsert with no OCPI logic), with a large network stored.
// Run: npx tsx scripts/bench/receivers.ts [locations=200000] [evsesPerLocation=4] [rounds=3] [seconds=10] [connections=10]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Per round and scenario: baseline at full speed, ours at full speed, then ours at half of its own
// maximum rate (autocannon overallRate) for the p99 goal. Medians over rounds; ratio ours/baseline.
// Server and load generator share this process and its cores, for both candidates alike.
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import Fastify from 'fastify'
import type postgres from 'postgres'
import { locationExample, median, seedLocations, withBenchApp } from './receivers-setup.js'

const [locations, evsesPer, rounds, seconds, connections] = [200_000, 4, 3, 10, 10].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number, number, number]
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
    return { path: `${prefix}/L${i}/E${i}-${pick(evsesPer)}`, body: JSON.stringify({ status: STATUSES[tick % 4], last_updated: nextStamp() }) }
  },
})

const locationPut = (prefix: string): Scenario => ({
  method: 'PUT',
  request: () => {
    const i = pick(locations)
    const stamp = nextStamp()
    const evses = locationExample.evses.map((e: Record<string, unknown>, k: number) => ({ ...e, uid: `E${i}-${k + 1}`, last_updated: stamp }))
    return { path: `${prefix}/L${i}`, body: JSON.stringify({ ...locationExample, id: `L${i}`, evses, last_updated: stamp }) }
  },
})

const load = async (url: string, headers: Record<string, string>, s: Scenario, rate?: number) => {
  const result = await autocannon({
    url, connections, duration: seconds, ...(rate ? { overallRate: Math.max(1, Math.round(rate)) } : {}),
    requests: [{ method: s.method, headers: { 'content-type': 'application/json', ...headers }, setupRequest: (req: Record<string, unknown>) => ({ ...req, ...s.request() }) }],
  })
  const bad = result.non2xx + result.errors
  if (bad > 0) throw new Error(`${bad} failed requests against ${url}`)
  return { rps: result.requests.average as number, p99: result.latency.p99 as number }
}

/** The baseline: JSON body, one statement, answer. Same tables, same rows, no auth, validation or rules. */
const startBaseline = async (sql: postgres.Sql, partnerId: string) => {
  const app = Fastify({ logger: false })
  app.patch('/base/:loc/:uid', async (req) => {
    const { loc, uid } = req.params as { loc: string; uid: string }
    const b = req.body as { status: string; last_updated: string }
    await sql`update evses set status = ${b.status}, last_updated = ${b.last_updated}, object = object || ${sql.json(b)}
      where country_code = 'BE' and party_id = 'BEC' and location_id = ${loc} and uid = ${uid}`
    return { status_code: 1000, timestamp: new Date().toISOString() }
  })
  app.put('/base/:loc', async (req) => {
    const { loc } = req.params as { loc: string }
    const b = req.body as Record<string, any>
    await sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
      values ('BE', 'BEC', ${loc}, ${partnerId}, ${b.publish}, ${b.coordinates.latitude}, ${b.coordinates.longitude}, ${b.last_updated}, ${sql.json(b)})
      on conflict (country_code, party_id, id) do update set object = excluded.object, last_updated = excluded.last_updated`
    return { status_code: 1000, timestamp: new Date().toISOString() }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` }
}

await withBenchApp({}, async ({ sql, partnerId, base, authorization, teardown }) => {
  const started = performance.now()
  await seedLocations(sql, partnerId, locations, evsesPer)
  const [counts] = await sql`select (select count(*)::int from locations) as l, (select count(*)::int from evses) as e, (select count(*)::int from connectors) as c`
  console.log(`seeded ${counts!.l} locations, ${counts!.e} EVSEs, ${counts!.c} connectors in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  const baseline = await startBaseline(sql, partnerId)
  teardown(() => baseline.app.close())
  const ours = { url: `${base}`, headers: { authorization } }
  const scenarios = [
    { name: 'EVSE status PATCH', baseline: evsePatch('/base'), ours: evsePatch('/ocpi/2.2.1/locations/BE/BEC') },
    { name: 'Location PUT (2 EVSEs, 3 connectors)', baseline: locationPut('/base'), ours: locationPut('/ocpi/2.2.1/locations/BE/BEC') },
  ]
  for (const s of scenarios) {
    await load(baseline.url, {}, s.baseline) // warm-up (JIT, connections, plans)
    await load(ours.url, ours.headers, s.ours)
    const rows: { b: number; o: number; bP99: number; oP99: number; halfP99: number }[] = []
    for (let round = 1; round <= rounds; round++) {
      const b = await load(baseline.url, {}, s.baseline)
      const o = await load(ours.url, ours.headers, s.ours)
      const half = await load(ours.url, ours.headers, s.ours, o.rps / 2)
      rows.push({ b: b.rps, o: o.rps, bP99: b.p99, oP99: o.p99, halfP99: half.p99 })
      console.log(`${s.name} round ${round}: baseline ${b.rps.toFixed(0)} req/s (p99 ${b.p99} ms), ours ${o.rps.toFixed(0)} req/s (p99 ${o.p99} ms), ratio ${(o.rps / b.rps).toFixed(2)}; ours at ${(o.rps / 2).toFixed(0)} req/s: p99 ${half.p99} ms`)
    }
    const mb = median(rows.map((r) => r.b))
    const mo = median(rows.map((r) => r.o))
    console.log(`${s.name} median: baseline ${mb.toFixed(0)} req/s, ours ${mo.toFixed(0)} req/s, ratio ${(mo / mb).toFixed(2)} (goal >= 0.70); p99 at half rate ${median(rows.map((r) => r.halfP99))} ms (goal < 50)`)
  }
})
