// Benchmark: the latency our start path adds (issue 5), without the CPO's own time.
// Run: npx tsx scripts/bench/start-latency.ts [requests=300] [rounds=3] [networkLocations=0]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Creates the database emsp_bench_start_<random> (dropped at the end), the real app on loopback, and the
// CPO simulator registered with it, with LOC1 of the spec's location_example.json (EVSE 3256 patched to
// REMOTE_START_STOP_CAPABLE) and a commands receiver that answers ACCEPTED at once. Each round sends
// `requests` sequential POST /app/v1/charging/start (JWT, contract and token checks, EVSE lookup,
// reachability, authorization record, command row + timeout job, the POST to the CPO, the response
// transaction), then as many direct POSTs of the same START_SESSION body to the simulator (the CPO's
// own time: loopback HTTP and its handler). Added latency = start − direct, per percentile, medians of rounds.
// For scale on a shared machine, each round also times GET /readyz (HTTP plus one `select 1`) and
// reports the start path's added p50 as a multiple of it. `networkLocations` other locations (4 EVSEs
// each) are stored first, as in a real roaming network: the app names a location by its id alone.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { request } from 'undici'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'
import { seedLocations } from './receivers-setup.js'

const requests = Number(process.argv[2] ?? 300)
const rounds = Number(process.argv[3] ?? 3)
const networkLocations = Number(process.argv[4] ?? 0)
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const ADMIN = 'bench-admin-token-0123456789'
const location = JSON.parse(readFileSync(new URL('../../test/fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const median = (xs: number[]) => pct(xs, 50)

const timed = async (n: number, one: () => Promise<number>) => {
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    const status = await one()
    ms.push(performance.now() - t0)
    if (status >= 300) throw new Error(`HTTP ${status}`)
  }
  return ms
}

const main = async () => {
  const name = `emsp_bench_start_${randomBytes(4).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 })
  const teardowns: (() => unknown)[] = []
  try {
    const config = configFrom({
      ADMIN_TOKEN: ADMIN,
      APP_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      APP_RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'silent',
      SYNC_INTERVAL_MS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
    })
    const app = await buildApp({ config, database, logger: false, closeDatabase: false, startJobs: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    teardowns.push(() => app.close())
    const base = publicUrl(app, config)
    const adminCall = async (method: string, path: string, body?: unknown) =>
      (
        await app.inject({
          method: method as 'POST',
          url: `/admin/v1${path}`,
          headers: { authorization: `Bearer ${ADMIN}` },
          payload: body as object,
        })
      ).json()

    const cpo = await startCpoSimulator({ teardown: (fn) => teardowns.push(fn) }, { countryCode: 'BE', partyId: 'BEC' })
    const partner = await adminCall('POST', '/partners', { name: 'BeCharged' })
    await cpo.registerWith(partner.versions_url, partner.token_a)
    if (networkLocations > 0) {
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} })
      await seedLocations(sql, partner.id, networkLocations, 4)
      await sql.end()
      console.log(`stored ${networkLocations} other locations`)
    }
    await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, location)
    await cpo.call('PATCH', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1/3256`, {
      capabilities: ['REMOTE_START_STOP_CAPABLE'],
      last_updated: new Date().toISOString(),
    })
    const received = cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 30, result: null })
    const customer = await adminCall('POST', '/customers', {
      name: 'Bench',
      email: 'bench@example.com',
      home_market: 'DE',
      tariff: 'ACTIVE',
      start_date: '2026-01-01',
      vehicle: { vin: 'WBA11AA010CH12345', model: 'iX', delivery_date: '2025-10-01' },
    })
    const jwt = (await adminCall('POST', '/app-tokens', { customer_id: customer.id, ttl_seconds: 86400 })).token

    const start = async () => {
      const res = await request(`${base}/app/v1/charging/start`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
        body: JSON.stringify({ location_id: 'LOC1', evse_uid: '3256', connector_id: '1' }),
      })
      await res.body.text()
      return res.statusCode
    }
    await timed(30, start) // warm-up
    const sample = received.at(-1)!
    const direct = async () => {
      const res = await request(`${cpo.baseUrl}/ocpi/2.2.1/commands/START_SESSION`, {
        method: 'POST',
        headers: { authorization: `Token ${Buffer.from(cpo.state.tokenFromEmsp!).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(sample.body),
      })
      await res.body.text()
      return res.statusCode
    }
    await timed(30, direct)
    const ready = async () => {
      const res = await request(`${base}/readyz`)
      await res.body.text()
      return res.statusCode
    }

    const rows: { p50: number; p99: number; d50: number; d99: number; r50: number }[] = []
    for (let r = 0; r < rounds; r++) {
      const s = await timed(requests, start)
      const d = await timed(requests, direct)
      const y = await timed(requests, ready)
      rows.push({ p50: median(s), p99: pct(s, 99), d50: median(d), d99: pct(d, 99), r50: median(y) })
      const x = rows[r]!
      console.log(
        `round ${r + 1}: start p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms | CPO alone p50 ${x.d50.toFixed(2)} ms p99 ${x.d99.toFixed(2)} ms | added p50 ${(x.p50 - x.d50).toFixed(2)} ms | /readyz p50 ${x.r50.toFixed(2)} ms`,
      )
    }
    const m = (k: keyof (typeof rows)[number]) => median(rows.map((x) => x[k]))
    console.log(
      `median of ${rounds} rounds × ${requests} sequential starts: start p50 ${m('p50').toFixed(2)} ms, p99 ${m('p99').toFixed(2)} ms; ` +
        `CPO alone p50 ${m('d50').toFixed(2)} ms, p99 ${m('d99').toFixed(2)} ms; added by our start path p50 ${(m('p50') - m('d50')).toFixed(2)} ms, p99 ${(m('p99') - m('d99')).toFixed(2)} ms; ` +
        `/readyz p50 ${m('r50').toFixed(2)} ms: added p50 = ${((m('p50') - m('d50')) / m('r50')).toFixed(1)} × one-query request`,
    )
  } finally {
    for (const fn of teardowns.reverse()) await fn()
    await database.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

await main()
