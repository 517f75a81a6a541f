// Profiling aid (not a benchmark): the real app on a small bench database under autocannon, one scenario
// at a time, so `node --cpu-prof --import tsx scripts/bench/profile-receivers.ts patch` shows where a request's CPU goes.
// Run: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/bench/profile-receivers.ts [patch|put] [seconds=10]
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import { locationExample, seedLocations, withBenchApp } from './receivers-setup.js'

const scenario = process.argv[2] ?? 'patch'
const seconds = Number(process.argv[3] ?? 10)
const locations = 20_000
let tick = 0
const stamp = () => new Date(Date.UTC(2030, 0, 1) + tick++ * 10).toISOString().replace('.000Z', 'Z')
const pick = (n: number) => 1 + Math.floor(Math.random() * n)

const request = (prefix: string) => {
  const i = pick(locations)
  if (scenario === 'patch') return { method: 'PATCH', path: `${prefix}/L${i}/E${i}-${pick(4)}`, body: JSON.stringify({ status: 'CHARGING', last_updated: stamp() }) }
  const at = stamp()
  const evses = locationExample.evses.map((e: Record<string, unknown>, k: number) => ({ ...e, uid: `E${i}-${k + 1}`, last_updated: at }))
  return { method: 'PUT', path: `${prefix}/L${i}`, body: JSON.stringify({ ...locationExample, id: `L${i}`, evses, last_updated: at }) }
}

await withBenchApp({}, async ({ sql, partnerId, base, authorization }) => {
  await seedLocations(sql, partnerId, locations, 4)
  const prefix = '/ocpi/2.2.1/locations/BE/BEC'
  const run = () => autocannon({
    url: base, connections: 10, duration: seconds,
    requests: [{ method: scenario === 'patch' ? 'PATCH' : 'PUT', headers: { 'content-type': 'application/json', authorization }, setupRequest: (req: Record<string, unknown>) => ({ ...req, ...request(prefix) }) }],
  })
  await run()
  const r = await run()
  console.log(`${scenario}: ${r.requests.average} req/s, p99 ${r.latency.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}`)
})
