// Benchmark: a full pull of N locations (default 50 000, 2 EVSEs and 3 connectors each) in pages of
// 100 from a local simulated CPO over HTTP, through POST /admin/v1/partners/{id}/sync/locations.
// Goal (issue 3): 50k locations in under 60 s.
// Run: npx tsx scripts/bench/pull.ts [locations=50000] [pageSize=100] [rounds=1]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// The first round stores every location (inserts); later rounds replay the same list (updates).
import type { FastifyReply } from 'fastify'
import type { SimRequest } from '../../test/helpers/cpo-simulator.js'
import { locationExample, median, withBenchApp } from './receivers-setup.js'

const [count, pageSize, rounds] = [50_000, 100, 1].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number]

// Pages are serialised once up front so the simulated CPO costs little next to the pull itself.
const items = Array.from({ length: count }, (_, i) => ({
  ...locationExample,
  id: `P${i}`,
  evses: locationExample.evses.map((e: Record<string, unknown>, k: number) => ({ ...e, uid: `P${i}-${k}` })),
}))

await withBenchApp({ OCPI_PAGE_LIMIT: String(pageSize) }, async ({ app, cpo, partnerId, adminToken, sql }) => {
  cpo.on('GET', /^\/ocpi\/2\.2\.1\/locations$/, (req: SimRequest, reply: FastifyReply) => {
    const offset = Number(req.query.offset ?? 0)
    const limit = Math.min(Number(req.query.limit ?? pageSize), pageSize)
    const page = items.slice(offset, offset + limit)
    reply.header('x-total-count', String(count)).header('x-limit', String(pageSize))
    if (offset + page.length < count)
      reply.header('link', `<${cpo.baseUrl}${req.path}?offset=${offset + page.length}&limit=${limit}>; rel="next"`)
    return { data: page, status_code: 1000, timestamp: new Date().toISOString() }
  })
  const durations: number[] = []
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now()
    const res = await app.inject({
      method: 'POST',
      url: `/admin/v1/partners/${partnerId}/sync/locations`,
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { mode: 'full' },
    })
    const seconds = (performance.now() - started) / 1000
    durations.push(seconds)
    const body = res.json()
    if (res.statusCode !== 200 || body.objects !== count)
      throw new Error(`pull failed: ${res.statusCode} ${JSON.stringify(body).slice(0, 500)}`)
    console.log(
      `round ${round}: ${body.objects} locations in ${body.pages} pages, ${body.removed} removed, ${body.errors.length} errors: ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} locations/s)`,
    )
  }
  const [stored] =
    await sql`select (select count(*)::int from locations) as l, (select count(*)::int from evses) as e, (select count(*)::int from connectors) as c`
  console.log(
    `median ${median(durations).toFixed(1)} s for ${count} locations (goal < 60 s); stored ${stored!.l} locations, ${stored!.e} EVSEs, ${stored!.c} connectors`,
  )
})
