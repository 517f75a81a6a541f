// Benchmark: CDR POST throughput against a bare baseline (issue 3: at least 60% of the baseline).
// Run: npx tsx scripts/bench/cdrs.ts [rounds=3] [seconds=10] [connections=10]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Creates the database emsp_bench_<random>, migrates it, and drops it at the end. Each round runs
// autocannon on loopback against (a) a bare Fastify + postgres.js handler that inserts the same CDR
// row with no OCPI logic and (b) our real app (auth, zod, party check, hash, transaction with the
// cdr.received outbox job), back to back; every request posts a new CDR id. Reports medians and the ratio.
// Server and load generator share this process and its cores, for both candidates alike.
import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
// @ts-expect-error autocannon ships no types and @types/autocannon is not installed
import autocannon from 'autocannon'
import Fastify from 'fastify'
import postgres from 'postgres'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'
import { cpuMeter, perRequest } from './cpu-meter.js'

const rounds = Number(process.argv[2] ?? 3)
const seconds = Number(process.argv[3] ?? 10)
const connections = Number(process.argv[4] ?? 10)
/** BENCH_ONLY=ours or BENCH_ONLY=baseline: that candidate alone, once (for CPU profiles). */
const profileOnly = process.env.BENCH_ONLY
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const cdr = JSON.parse(readFileSync(new URL('../../test/fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8'))

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const load = async (url: string, headers: Record<string, string>, prefix: string) => {
  let n = 0
  const meter = cpuMeter()
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ ...cdr, id: `${prefix}${n++}` }) }),
      },
    ],
  })
  const bad = result.non2xx + result.errors
  if (bad > 0) throw new Error(`${bad} failed requests against ${url}`)
  return { rps: result.requests.average, p99: result.latency.p99, cpu: perRequest(meter.stop(), result.requests.total) }
}

/** The baseline: parse JSON, insert the row's columns straight from the body, answer. */
const startBaseline = async (sql: postgres.Sql, partnerId: string) => {
  const app = Fastify({ logger: false })
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    try {
      done(null, { raw: body, json: JSON.parse(body as string) })
    } catch (err) {
      done(err as Error)
    }
  })
  app.post('/cdrs', async (req, reply) => {
    const { raw, json: c } = req.body as { raw: string; json: any }
    const id = randomUUID()
    await sql`insert into cdrs (id, partner_id, country_code, party_id, cdr_id, content_hash, raw, object, token_country_code, token_party_id,
      token_uid, token_type, contract_id, start_date_time, end_date_time, currency, total_cost_excl_vat, total_cost_incl_vat, total_energy,
      total_time, credit, last_updated, received_at)
      values (${id}, ${partnerId}, ${c.country_code}, ${c.party_id}, ${c.id}, '', ${raw}, ${sql.json(c)}, ${c.cdr_token.country_code},
      ${c.cdr_token.party_id}, ${c.cdr_token.uid}, ${c.cdr_token.type}, ${c.cdr_token.contract_id}, ${c.start_date_time}, ${c.end_date_time},
      ${c.currency}, ${String(c.total_cost.excl_vat)}, ${String(c.total_cost.incl_vat)}, ${String(c.total_energy)}, ${String(c.total_time)},
      false, ${c.last_updated}, now())`
    return reply.code(201).header('location', `/cdrs/${id}`).send({ status_code: 1000, timestamp: new Date().toISOString() })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/cdrs` }
}

const main = async () => {
  const name = `emsp_bench_${randomBytes(4).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const dbUrl = new URL(serverUrl)
  dbUrl.pathname = `/${name}`
  const cleanups: (() => unknown)[] = []
  const t = { teardown: (fn: () => unknown) => cleanups.unshift(fn) }
  try {
    const database = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 10 })
    cleanups.push(() => database.close())
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
    const base = publicUrl(app, config)
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { authorization: `Bearer ${config.adminToken}` },
      payload: { name: 'Bench CPO' },
    })
    const { token_a: tokenA, versions_url: versionsUrl, id: partnerId } = created.json()
    const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
    await cpo.registerWith(versionsUrl.replace(/^http:\/\/localhost/, 'http://127.0.0.1'), tokenA)
    const ours = {
      url: `${base.replace('localhost', '127.0.0.1')}/ocpi/2.2.1/cdrs`,
      headers: { authorization: `Token ${Buffer.from(cpo.state.tokenForEmsp!).toString('base64')}` },
    }
    const sql = postgres(dbUrl.toString(), { max: 10, onnotice: () => {} })
    cleanups.unshift(() => sql.end())
    const baseline = await startBaseline(sql, partnerId)
    cleanups.unshift(() => baseline.app.close())

    if (profileOnly) {
      // Profiling aid: one candidate only, e.g. node --cpu-prof --import tsx scripts/bench/cdrs.ts 1 8 10 with BENCH_ONLY=ours
      const target = profileOnly === 'baseline' ? { url: baseline.url, headers: {} } : ours
      await load(target.url, target.headers, 'warm-')
      const r = await load(target.url, target.headers, 'p-')
      console.log(`${profileOnly}: ${r.rps.toFixed(0)} req/s (p99 ${r.p99} ms); ${r.cpu}`)
      return
    }
    await load(baseline.url, {}, 'warm-b-') // warm-up both paths (JIT, connections, prepared statements)
    await load(ours.url, ours.headers, 'warm-o-')
    const rows: { round: number; baseline: number; ours: number; baseP99: number; oursP99: number }[] = []
    for (let round = 1; round <= rounds; round++) {
      const b = await load(baseline.url, {}, `b${round}-`)
      const o = await load(ours.url, ours.headers, `o${round}-`)
      rows.push({ round, baseline: b.rps, ours: o.rps, baseP99: b.p99, oursP99: o.p99 })
      console.log(
        `round ${round}: baseline ${b.rps.toFixed(0)} req/s (p99 ${b.p99} ms), ours ${o.rps.toFixed(0)} req/s (p99 ${o.p99} ms), ratio ${(o.rps / b.rps).toFixed(2)}`,
      )
      console.log(`  CPU: baseline ${b.cpu}; ours ${o.cpu}`)
    }
    const mb = median(rows.map((r) => r.baseline))
    const mo = median(rows.map((r) => r.ours))
    console.log(
      `median: baseline ${mb.toFixed(0)} req/s, ours ${mo.toFixed(0)} req/s, ratio ${(mo / mb).toFixed(2)} (goal >= 0.60); median of per-round ratios ${median(rows.map((r) => r.ours / r.baseline)).toFixed(2)}`,
    )
    // One statement, so both counts come from the same snapshot (requests still in flight when the
    // load stops commit CDR and job together, between two separate counts).
    const [check] = await sql`select (select count(*)::int from cdrs where raw <> '' and content_hash <> '') as stored,
      (select count(*)::int from jobs where queue = 'cdr.received') as jobs`
    console.log(
      `check: ${check!.stored} CDRs stored through the app, ${check!.jobs} cdr.received jobs${check!.stored === check!.jobs ? '' : ' MISMATCH'}`,
    )
  } finally {
    for (const fn of cleanups) await fn()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

await main()
