/**
 * Load and soak: measures the maximum rate of mixed OCPI traffic, then runs at a fraction of it
 * (default half) for N minutes, reporting per minute: requests, errors, p50/p99 latency and the
 * server's RSS. At the end every acknowledged CDR must be rated once (job backlog drained).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/reliability/soak.ts --minutes 10
 *   npx tsx scripts/reliability/soak.ts --minutes 1 --measure-seconds 15     (PGlite, quick check)
 *
 * Loopback only, bounded in time. Results: JSON to --out (default scripts/reliability/results/).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { readRatings } from '../replay/summary.js'
import { freshServerDatabase, startServerProcess, ADMIN_TOKEN } from './harness.js'
import { measureMax, percentile, registerLoadCpo, runLane, type Sample } from './load.js'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    lanes: { type: 'string', default: '8' },
    'measure-seconds': { type: 'string', default: '30' },
    fraction: { type: 'string', default: '0.5' },
    out: { type: 'string' },
  },
})
const minutes = Number(values.minutes)
const lanes = Number(values.lanes)
const fraction = Number(values.fraction)

interface Window {
  minute: number
  requests: number
  errors: number
  p50: number
  p99: number
  rssMiB: number | undefined
}

const summarizeWindow = (minute: number, samples: Sample[], rss: number | undefined): Window => {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b)
  return {
    minute,
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    rssMiB: rss,
  }
}

const main = async () => {
  const db = await freshServerDatabase()
  const server = await startServerProcess({ ...db.env, JOBS_POLL_MS: '200' })
  const cleanup = async () => {
    await server.kill('SIGTERM')
    await db.drop()
  }
  try {
    const target = await registerLoadCpo(server.url)
    console.error(`server ${server.url} (${db.kind}); measuring the maximum with ${lanes} lanes for ${values['measure-seconds']} s`)
    const max = await measureMax(target, lanes, Number(values['measure-seconds']), 'M')
    const rate = max.perSec * fraction
    console.error(
      `max ${max.perSec.toFixed(0)} req/s (p50 ${max.p50.toFixed(1)} ms, p99 ${max.p99.toFixed(1)} ms, ${max.errors.length} errors); soak at ${rate.toFixed(0)} req/s for ${minutes} min`,
    )

    const windows: Window[] = []
    const errors: string[] = []
    const cdrIds: string[] = []
    let current: Sample[] = []
    const start = performance.now()
    const deadline = start + minutes * 60_000
    const timer = setInterval(() => {
      windows.push(summarizeWindow(windows.length + 1, current, server.rssMiB()))
      current = []
      const w = windows.at(-1)!
      console.error(
        `minute ${w.minute}: ${w.requests} req, ${w.errors} errors, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, rss ${w.rssMiB?.toFixed(0)} MiB`,
      )
    }, 60_000)
    await Promise.all(
      Array.from({ length: lanes }, (_, lane) =>
        runLane(target, {
          lane,
          runId: 'S',
          deadline,
          ratePerSec: rate / lanes,
          cdrIds,
          onSample: (s) => current.push(s),
          onError: (e) => errors.length < 50 && errors.push(e),
        }),
      ),
    )
    clearInterval(timer)
    if (current.length > 0 && windows.length < minutes) windows.push(summarizeWindow(windows.length + 1, current, server.rssMiB()))

    console.error(`waiting for the rating of ${cdrIds.length} CDRs`)
    const loadEnded = performance.now()
    const rating = await readRatings({ url: server.url, token: ADMIN_TOKEN }, cdrIds, { waitMs: 180_000, pollMs: 1000 })
    // Issue 16.13: an upper bound of how long after the load the last CDR was rated (it includes reading
    // every CDR's status over the admin API once, one after the other); tens of seconds meant rating fell behind.
    const allSettledAfterLoadS = Number(((performance.now() - loadEnded) / 1000).toFixed(1))
    const { outcomes: _all, ...ratingShown } = rating
    const result = {
      at: new Date().toISOString(),
      database: db.kind,
      lanes,
      fraction,
      max: { perSec: Math.round(max.perSec), p50: max.p50, p99: max.p99, errors: max.errors.length },
      soak: {
        targetPerSec: Math.round(rate),
        minutes,
        totalRequests: windows.reduce((a, w) => a + w.requests, 0),
        totalErrors: windows.reduce((a, w) => a + w.errors, 0),
        windows,
        errorSamples: errors.slice(0, 10),
      },
      rating: { ...ratingShown, allSettledAfterLoadS },
    }
    const dir = 'scripts/reliability/results'
    mkdirSync(dir, { recursive: true })
    const out = values.out ?? `${dir}/soak-${db.kind}-${result.at.slice(0, 16).replace('T', '-').replace(':', '')}.json`
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
    console.log(JSON.stringify({ ...result, soak: { ...result.soak, windows: undefined } }))
    console.log('| minute | requests | errors | p50 ms | p99 ms | RSS MiB |\n|---|---|---|---|---|---|')
    for (const w of windows)
      console.log(
        `| ${w.minute} | ${w.requests} | ${w.errors} | ${w.p50.toFixed(1)} | ${w.p99.toFixed(1)} | ${w.rssMiB?.toFixed(0) ?? '?'} |`,
      )
    console.error(`written ${out}`)
  } finally {
    await cleanup()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
