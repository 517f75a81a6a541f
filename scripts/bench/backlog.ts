// Benchmark: CDRs end to end (issue 16.13, 20.1: goal 1,000 CDRs/s on PostgreSQL): several simulated CPOs
// post CDRs concurrently over HTTP while the job runner rates and audits them; a round ends when the
// queue is empty. Baseline in the same round: the same number of CDRs POSTed with the runner stopped
// (the intake alone). Reports CDRs/s end to end, the POST-only rate, and the queue lag over time.
// Run: npx tsx scripts/bench/backlog.ts [cdrs=20000] [rounds=3] [cpos=3] [connectionsPerCpo=8] [pace=0]
//   pace: the end-to-end part posts at this many CDRs/s in all (0: as fast as the connections go); with a pace,
//   'last CDR rated N s after the last POST' says whether rating keeps pace with that intake (issue 16.13).
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable; workers per lane
//   from JOBS_LOCAL_WORKERS / JOBS_PARTNER_WORKERS (defaults 4 / 4), batch size from JOBS_CLAIM_BATCH (default 8).
// The CDRs carry the fixture's token (unknown to us): each is stored, its cdr.received job rates it
// (unrated, `unknown_contract`, with every look-up done) and the audit follows where it applies.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'
import { median, statementsSent, withBenchApp } from './receivers-setup.js'

const total = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const cpos = Number(process.argv[4] ?? 3)
const connectionsPerCpo = Number(process.argv[5] ?? 8)
const pace = Number(process.argv[6] ?? 0)
const cdr = JSON.parse(readFileSync(new URL('../../test/fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8'))
const PARTIES = [
  ['BE', 'BEC'],
  ['NL', 'ABC'],
  ['FR', 'XYZ'],
  ['AT', 'QRS'],
  ['IT', 'LMN'],
  ['ES', 'OPQ'],
] as const

// The runner's settings come from the environment (JOBS_LOCAL_WORKERS, JOBS_CLAIM_BATCH, …), as in production.
const jobsEnv = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('JOBS_') && e[1] !== undefined),
)

await withBenchApp({ JOBS_POLL_MS: '20', ...jobsEnv }, async (ctx) => {
  const cdrsUrl = `${ctx.base}/ocpi/2.2.1/cdrs`
  const senders: { party: readonly [string, string]; authorization: string }[] = [{ party: PARTIES[0], authorization: ctx.authorization }]
  for (const party of PARTIES.slice(1, cpos)) {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { authorization: `Bearer ${ctx.adminToken}` },
      payload: { name: `CPO ${party[1]}` },
    })
    const { token_a: tokenA, versions_url: versionsUrl } = created.json()
    const cpo = await startCpoSimulator({ teardown: ctx.teardown }, { countryCode: party[0], partyId: party[1] })
    await cpo.registerWith(versionsUrl.replace(/^http:\/\/localhost/, 'http://127.0.0.1'), tokenA)
    senders.push({ party, authorization: `Token ${Buffer.from(cpo.state.tokenForEmsp!).toString('base64')}` })
  }
  const agent = new Agent({ connections: cpos * connectionsPerCpo })
  ctx.teardown(() => agent.close())

  /** `count` CDRs split over the CPOs, each CPO with `connectionsPerCpo` requests in flight. */
  const post = async (prefix: string, count: number, perSecond = 0) => {
    const start = performance.now()
    let next = 0
    const worker = async (s: (typeof senders)[number]) => {
      for (;;) {
        const n = next++
        if (n >= count) return
        const due = perSecond > 0 ? start + (n * 1000) / perSecond : 0
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()))
        const body = JSON.stringify({ ...cdr, country_code: s.party[0], party_id: s.party[1], id: `${prefix}-${n}` })
        const res = await request(cdrsUrl, {
          method: 'POST',
          dispatcher: agent,
          headers: { authorization: s.authorization, 'content-type': 'application/json' },
          body,
        })
        await res.body.text()
        if (res.statusCode >= 300) throw new Error(`POST ${res.statusCode}`)
      }
    }
    await Promise.all(senders.flatMap((s) => Array.from({ length: connectionsPerCpo }, () => worker(s))))
  }

  const queueNow = async () => {
    // Rating (cdr.received) apart from the audit: each rated CDR adds an audit job, so the sum alone stays flat while rating runs.
    const [r] = await ctx.sql`select count(*)::int as open, count(*) filter (where queue = 'cdr.received')::int as unrated,
        coalesce(extract(epoch from now() - min(run_at)), 0)::float8 as lag
      from jobs where queue in ('cdr.received', 'cdr.audit') and state in ('pending', 'running')`
    return { open: r!.open as number, unrated: r!.unrated as number, lag: r!.lag as number }
  }

  const results: {
    postOnly: number
    endToEnd: number
    rated: number
    maxLag: number
    perCdr: { intake: number; work: number }
    drain: number
  }[] = []
  for (let round = 0; round <= rounds; round++) {
    const n = round === 0 ? Math.min(2000, total) : total // round 0 warms up
    // Baseline: the intake alone, runner stopped; then drain it so the next part starts empty.
    let t0 = performance.now()
    const s0 = statementsSent.total
    await post(`base${round}`, n)
    const postOnly = n / ((performance.now() - t0) / 1000)
    const s1 = statementsSent.total
    // The backlog after an outage: n CDRs stored, none rated; the runner drains it alone.
    const d0 = performance.now()
    ctx.app.jobs.start()
    while ((await queueNow()).open > 0) await new Promise((r) => setTimeout(r, 100))
    const drain = n / ((performance.now() - d0) / 1000)
    // Statements per CDR (machine-independent): the intake, then rating + audit (with the runner's claims and polls).
    const perCdr = { intake: (s1 - s0) / n, work: (statementsSent.total - s1) / n }

    // End to end: post while the runner works; done when the last CDR is rated and audited.
    const samples: string[] = []
    t0 = performance.now()
    const sampler = setInterval(
      () =>
        void queueNow().then((q) =>
          samples.push(`${((performance.now() - t0) / 1000).toFixed(0)}s:${q.open}/${q.lag.toFixed(1)}s unrated ${q.unrated}`),
        ),
      2000,
    )
    await post(`e2e${round}`, n, pace)
    const posted = (performance.now() - t0) / 1000
    let q = await queueNow()
    let maxLag = q.lag
    let ratedAt = q.unrated === 0 ? posted : undefined
    while (q.open > 0) {
      await new Promise((r) => setTimeout(r, 50))
      q = await queueNow()
      maxLag = Math.max(maxLag, q.lag)
      if (ratedAt === undefined && q.unrated === 0) ratedAt = (performance.now() - t0) / 1000
    }
    const elapsed = (performance.now() - t0) / 1000
    clearInterval(sampler)
    await ctx.app.jobs.stop({ timeoutMs: 5000 })
    if (round === 0) continue
    const rated = ratedAt ?? elapsed
    results.push({ postOnly, endToEnd: n / elapsed, rated: n / rated, maxLag, perCdr, drain })
    console.log(
      `round ${round}: ${n} CDRs; POST only ${postOnly.toFixed(0)}/s; rated ${(n / rated).toFixed(0)}/s (last CDR rated ${(rated - posted).toFixed(1)} s after the last POST); end to end with the audit ${(n / elapsed).toFixed(0)}/s (posting took ${posted.toFixed(1)} s, the queue was empty ${(elapsed - posted).toFixed(1)} s after the last POST)`,
    )
    console.log(`  queue (open jobs / oldest due) every 2 s: ${samples.join(' ')}`)
    console.log(`  backlog drain (the stored CDRs rated and audited by the runner alone): ${drain.toFixed(0)} CDRs/s`)
    console.log(
      `  statements per CDR (baseline part): intake ${perCdr.intake.toFixed(1)}, rating + audit ${perCdr.work.toFixed(1)} (incl. the runner's claims and polls)`,
    )
  }
  const [rated] =
    await ctx.sql`select count(*)::int as n from cdrs c where exists (select 1 from jobs j where j.queue = 'cdr.received' and j.state = 'done' and (j.payload->>'cdrId') = c.id::text)`
  const [failed] = await ctx.sql`select count(*)::int as n from jobs where state = 'failed'`
  const mp = median(results.map((r) => r.postOnly))
  const me = median(results.map((r) => r.endToEnd))
  const mr = median(results.map((r) => r.rated))
  console.log(
    `median of ${rounds}: POST only ${mp.toFixed(0)} CDRs/s, rated ${mr.toFixed(0)} CDRs/s (ratio ${(mr / mp).toFixed(2)}), end to end with the audit ${me.toFixed(0)} CDRs/s (ratio ${(me / mp).toFixed(2)}; goal 1,000/s), worst queue lag ${Math.max(...results.map((r) => r.maxLag)).toFixed(1)} s`,
  )
  console.log(`backlog drain (median): ${median(results.map((r) => r.drain)).toFixed(0)} CDRs/s rated and audited, no intake running`)
  console.log(
    `statements per CDR (median): intake ${median(results.map((r) => r.perCdr.intake)).toFixed(1)}, rating + audit ${median(results.map((r) => r.perCdr.work)).toFixed(1)}`,
  )
  console.log(`check: ${rated!.n} CDRs with a done cdr.received job, ${failed!.n} failed jobs`)
})
