// Profiling aid (not a benchmark): the real app, or the bare baseline, on a small bench database under
// autocannon, one scenario at a time, so a CPU profile shows where a request's CPU goes.
// Run: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/bench/profile-receivers.ts [patch|put|changed|base-patch|base-put|base-changed] [seconds=10]
// `put` replaces a Location's EVSEs, `changed` re-sends a changed Location with its EVSEs as stored (see receivers.ts).
// Prints the rate and the CPU per request of this process and of PostgreSQL (see cpu-meter.ts).
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import { cpuMeter, perRequest } from './cpu-meter.js'
import { locationPutBody, seedLocations, startBaseline, withBenchApp } from './receivers-setup.js'

const scenario = process.argv[2] ?? 'patch'
const seconds = Number(process.argv[3] ?? 10)
const locations = 20_000
const baseline = scenario.startsWith('base-')
const method = scenario.endsWith('patch') ? 'PATCH' : 'PUT'
let tick = 0
const stamp = () => new Date(Date.UTC(2030, 0, 1) + tick++ * 10).toISOString().replace('.000Z', 'Z')
const pick = (n: number) => 1 + Math.floor(Math.random() * n)

const request = (prefix: string) => {
  const i = pick(locations)
  if (method === 'PATCH')
    return { path: `${prefix}/L${i}/E${i}-${pick(4)}`, body: JSON.stringify({ status: 'CHARGING', last_updated: stamp() }) }
  return {
    path: `${prefix}/L${i}`,
    body: JSON.stringify(locationPutBody(scenario.endsWith('changed') ? 'changed' : 'replacing', i, 4, stamp())),
  }
}

await withBenchApp({}, async ({ sql, partnerId, base, authorization, teardown }) => {
  await seedLocations(sql, partnerId, locations, 4)
  let target = { url: base, prefix: '/ocpi/2.2.1/locations/BE/BEC', headers: { authorization } as Record<string, string> }
  if (baseline) {
    const b = await startBaseline(sql, partnerId)
    teardown(() => b.app.close())
    target = { url: b.url, prefix: '/base', headers: {} }
  }
  const run = () =>
    autocannon({
      url: target.url,
      connections: 10,
      duration: seconds,
      requests: [
        {
          method,
          headers: { 'content-type': 'application/json', ...target.headers },
          setupRequest: (req: Record<string, unknown>) => ({ ...req, ...request(target.prefix) }),
        },
      ],
    })
  await run()
  const meter = cpuMeter()
  const r = await run()
  console.log(
    `${scenario}: ${r.requests.average} req/s, p99 ${r.latency.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}; ${perRequest(meter.stop(), r.requests.total)}`,
  )
})
