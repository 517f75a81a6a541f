// Benchmark: CDRs end to end (issue 16.13, 20.1: goal 1,000 CDRs/s on PostgreSQL): several simulated CPOs
// post CDRs concurrently over HTTP while the job runner rates and audits them; a round ends when the
// queue is empty. Baseline in the same round: the same number of CDRs POSTed with the runner stopped
// (the intake alone). Reports CDRs/s end to end, the POST-only rate, and the queue lag over time.
// Run: npx tsx scripts/bench/backlog.ts [cdrs=20000] [rounds=3] [cpos=3] [connectionsPerCpo=8] [pace=0]
//   BENCH_RUNNERS=1,2: after the one-runner drain, store the backlog again and drain it with this one plus a second
//   Node process running only the job runner (backlog-runner.ts) on the same database; BENCH_ONLY=drain skips the
//   end-to-end part. Each drain prints its rate per quarter (flat or not), the CPU of each process and of our
//   PostgreSQL backends, and what the backends waited on (pg_stat_activity sampled every 200 ms).
//   pace: the end-to-end part posts at this many CDRs/s in all (0: as fast as the connections go); with a pace,
//   'last CDR rated N s after the last POST' says whether rating keeps pace with that intake (issue 16.13).
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable; workers per lane
//   from JOBS_LOCAL_WORKERS / JOBS_PARTNER_WORKERS (defaults 4 / 4), batch size from JOBS_CLAIM_BATCH (default 8).
// The CDRs carry the fixture's token (unknown to us): each is stored, its cdr.received job rates it
// (unrated, `unknown_contract`, with every look-up done) and the audit follows where it applies.
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { Agent, request } from 'undici'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'
import { median, statementsSent, withBenchApp } from './receivers-setup.js'

const total = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const cpos = Number(process.argv[4] ?? 3)
const connectionsPerCpo = Number(process.argv[5] ?? 8)
const pace = Number(process.argv[6] ?? 0)
const runnerCounts = (process.env.BENCH_RUNNERS ?? '1').split(',').map(Number)
const drainOnly = process.env.BENCH_ONLY === 'drain'
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

  /** CPU ticks (1/100 s) of our database's backends, by pid (Linux /proc; the bench database only, not other tenants). */
  const backendTicks = async () => {
    const pids = await ctx.sql`select pid from pg_stat_activity where datname = current_database()`
    const ticks = new Map<number, number>()
    for (const { pid } of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        ticks.set(pid as number, Number(f[11]) + Number(f[12]))
      } catch {
        /* ended, or another machine */
      }
    }
    return ticks
  }
  const second =
    runnerCounts.includes(2) &&
    (await new Promise<ReturnType<typeof fork>>((resolve, reject) => {
      const child = fork(new URL('./backlog-runner.ts', import.meta.url).pathname, [ctx.url], {
        // BENCH_RUNNER_PROF=<dir>: a CPU profile of the second process (the runner alone, no HTTP) into that folder.
        execArgv: [
          '--import',
          'tsx',
          ...(process.env.BENCH_RUNNER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_RUNNER_PROF}`] : []),
        ],
        env: { ...process.env, JOBS_POLL_MS: '20' },
      })
      child.once('message', () => resolve(child))
      child.once('error', reject)
      ctx.teardown(() => child.send('exit'))
    }))
  /** Rated and audited work left: each unrated CDR still owes its rating and its audit. */
  const workLeft = async () => {
    const [r] =
      await ctx.sql`select count(*) filter (where queue = 'cdr.received')::int as unrated, count(*) filter (where queue = 'cdr.audit')::int as audits
      from jobs where queue in ('cdr.received', 'cdr.audit') and state in ('pending', 'running')`
    return 2 * (r!.unrated as number) + (r!.audits as number)
  }

  /** The stored backlog of n CDRs drained by `runners` processes: rate overall and per quarter, CPU, waits. */
  const drainWith = async (runners: number, n: number) => {
    const cpu0 = process.cpuUsage()
    const pg0 = await backendTicks()
    const load0 = loadavg()[0]!
    const d0 = performance.now()
    ctx.app.jobs.start()
    if (runners === 2 && second) second.send('start')
    const marks: number[] = []
    const waits = new Map<string, number>()
    let samples = 0
    for (;;) {
      const left = await workLeft()
      const t = (performance.now() - d0) / 1000
      while (marks.length < 4 && left <= 2 * n * (1 - (marks.length + 1) / 4)) marks.push(t)
      if (left === 0) break
      const active = await ctx.sql`select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`
      samples++
      for (const { w } of active) waits.set(w as string, (waits.get(w as string) ?? 0) + 1)
      await new Promise((r) => setTimeout(r, 200))
    }
    const seconds = (performance.now() - d0) / 1000
    const pg1 = await backendTicks()
    const load1 = loadavg()[0]!
    let pgTicks = 0
    for (const [pid, t] of pg1) pgTicks += t - (pg0.get(pid) ?? 0)
    const nodeCpu = process.cpuUsage(cpu0)
    await ctx.app.jobs.stop({ timeoutMs: 5000 })
    const secondMs =
      runners === 2 && second
        ? await new Promise<number>((resolve) => {
            second.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs))
            second.send('stop')
          })
        : undefined
    const [size] = await ctx.sql`select count(*)::int as n from jobs`
    const quarters = marks.map((t, i) => n / 4 / (t - (i === 0 ? 0 : marks[i - 1]!)))
    const nodeMs = (nodeCpu.user + nodeCpu.system) / 1000
    const result = { runners, rate: n / seconds, quarters, nodeMs, secondMs, pgMs: pgTicks * 10, seconds, jobsRows: size!.n as number }
    const perCdr = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round((ms * 1000) / n)} µs`)
    const topWaits = [...waits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([w, c]) => `${w} ${(c / Math.max(1, samples)).toFixed(2)}`)
    console.log(
      `  drain with ${runners} runner process${runners > 1 ? 'es' : ''}: ${n} CDRs in ${seconds.toFixed(1)} s = ${result.rate.toFixed(0)} CDRs/s; per quarter ${quarters.map((q) => q.toFixed(0)).join(' / ')} (last ÷ first ${(quarters[3]! / quarters[0]!).toFixed(2)}); jobs table ${result.jobsRows} rows after`,
    )
    console.log(
      `    CPU per CDR: runner 1 ${perCdr(nodeMs)}${secondMs === undefined ? '' : `, runner 2 ${perCdr(secondMs)}`}, our PostgreSQL backends ${perCdr(result.pgMs)}; CPU use over the drain: runner 1 ${(nodeMs / 10 / seconds).toFixed(0)} %${secondMs === undefined ? '' : `, runner 2 ${(secondMs / 10 / seconds).toFixed(0)} %`}, PostgreSQL ${(result.pgMs / 10 / seconds).toFixed(0)} % (of one core; 2 cores); load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
    )
    console.log(`    active backends by wait (average per 200 ms sample, 'CPU' = not waiting): ${topWaits.join(', ')}`)
    return result
  }

  const results: {
    postOnly: number
    endToEnd: number
    rated: number
    maxLag: number
    perCdr: { intake: number; work: number }
    drain: number
  }[] = []
  const drains: Awaited<ReturnType<typeof drainWith>>[] = []
  for (let round = 0; round <= rounds; round++) {
    const n = round === 0 ? Math.min(2000, total) : total // round 0 warms up
    // Baseline: the intake alone, runner stopped; then drain it so the next part starts empty.
    let t0 = performance.now()
    const s0 = statementsSent.total
    await post(`base${round}`, n)
    const postOnly = n / ((performance.now() - t0) / 1000)
    const s1 = statementsSent.total
    // The backlog after an outage: n CDRs stored, none rated; the runner drains it alone.
    if (round > 0) console.log(`round ${round}:`)
    const one = await drainWith(1, n)
    const drain = one.rate
    // Statements per CDR (machine-independent): the intake, then rating + audit (with the runner's claims and polls).
    const perCdr = { intake: (s1 - s0) / n, work: (statementsSent.total - s1) / n }
    if (round > 0) drains.push(one)
    for (const runners of runnerCounts.filter((r) => r > 1)) {
      await post(`base${round}r${runners}`, n)
      const more = await drainWith(runners, n)
      if (round > 0) drains.push(more)
    }
    if (drainOnly) {
      if (round > 0) console.log(`  statements per CDR: intake ${perCdr.intake.toFixed(1)}, rating + audit ${perCdr.work.toFixed(1)}`)
      continue
    }
    ctx.app.jobs.start()

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
      `  ${n} CDRs; POST only ${postOnly.toFixed(0)}/s; rated ${(n / rated).toFixed(0)}/s (last CDR rated ${(rated - posted).toFixed(1)} s after the last POST); end to end with the audit ${(n / elapsed).toFixed(0)}/s (posting took ${posted.toFixed(1)} s, the queue was empty ${(elapsed - posted).toFixed(1)} s after the last POST)`,
    )
    console.log(`  queue (open jobs / oldest due) every 2 s: ${samples.join(' ')}`)
    console.log(
      `  statements per CDR (baseline part): intake ${perCdr.intake.toFixed(1)}, rating + audit ${perCdr.work.toFixed(1)} (incl. the runner's claims and polls)`,
    )
  }
  for (const runners of runnerCounts) {
    const of = drains.filter((d) => d.runners === runners)
    console.log(
      `drain with ${runners} runner process${runners > 1 ? 'es' : ''} (median of ${of.length}): ${median(of.map((d) => d.rate)).toFixed(0)} CDRs/s; last quarter ÷ first ${median(of.map((d) => d.quarters[3]! / d.quarters[0]!)).toFixed(2)}`,
    )
  }
  // Every stored CDR rated (a rating state) and audited (an audit row), whatever the runner keeps of its done jobs.
  const [check] = await ctx.sql`select (select count(*) from cdrs)::int as cdrs, (select count(*) from cdr_ratings)::int as rated,
      (select count(*) from cdr_audits)::int as audited, (select count(*) from jobs where state = 'failed')::int as failed`
  console.log(
    `check: ${check!.cdrs} CDRs stored, ${check!.rated} with a rating state, ${check!.audited} audited, ${check!.failed} failed jobs`,
  )
  if (results.length === 0) return
  const mp = median(results.map((r) => r.postOnly))
  const me = median(results.map((r) => r.endToEnd))
  const mr = median(results.map((r) => r.rated))
  console.log(
    `median of ${rounds}: POST only ${mp.toFixed(0)} CDRs/s, rated ${mr.toFixed(0)} CDRs/s (ratio ${(mr / mp).toFixed(2)}), end to end with the audit ${me.toFixed(0)} CDRs/s (ratio ${(me / mp).toFixed(2)}; goal 1,000/s), worst queue lag ${Math.max(...results.map((r) => r.maxLag)).toFixed(1)} s`,
  )
  console.log(
    `statements per CDR (median): intake ${median(results.map((r) => r.perCdr.intake)).toFixed(1)}, rating + audit ${median(results.map((r) => r.perCdr.work)).toFixed(1)}`,
  )
})
