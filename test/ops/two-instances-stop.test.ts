import { performance } from 'node:perf_hooks'
import t from 'tap'
import { customer } from '../../scripts/replay/objects.js'
import { ADMIN_TOKEN, freshServerDatabase, startServerProcess, type ServerProcess } from '../../scripts/reliability/harness.js'
import { exitOf } from './helpers.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const skip = process.env.DATABASE_URL
  ? false
  : 'needs PostgreSQL (DATABASE_URL): two server processes share one database, which the embedded PGlite cannot'
const SHUTDOWN_TIMEOUT_MS = 10_000
const METRICS_TOKEN = 'ops-test-metrics-token-0123456789'

/** One request of the mixed traffic: writes (a customer) and reads (readiness, metrics); the status, or the error. */
const request = async (url: string, n: number): Promise<number | string> => {
  try {
    const kind = n % 3
    const res =
      kind === 0
        ? await fetch(`${url}/admin/v1/customers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(customer(n, 'DE')),
            signal: AbortSignal.timeout(15_000),
          })
        : await fetch(kind === 1 ? `${url}/readyz` : `${url}/metrics`, {
            headers: { authorization: `Bearer ${METRICS_TOKEN}` },
            signal: AbortSignal.timeout(15_000),
          })
    await res.arrayBuffer()
    return res.status
  } catch (err) {
    return (err as Error).message
  }
}

t.test(
  'two instances on one fresh PostgreSQL: SIGTERM to one exits 0 within the bound while the other keeps answering',
  { skip },
  async (t) => {
    const db = await freshServerDatabase()
    const servers: ServerProcess[] = []
    t.teardown(async () => {
      for (const s of servers) await s.kill('SIGKILL')
      await db.drop()
    })
    const env = { ...db.env, METRICS_TOKEN, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), JOBS_POLL_MS: '100' }
    // started together on the empty database: both migrate it (one waits for the other's lock)
    servers.push(
      ...(await Promise.all([startServerProcess(env, { nodeArgs: TS_NODE_ARGS }), startServerProcess(env, { nodeArgs: TS_NODE_ARGS })])),
    )
    const [a, b] = servers as [ServerProcess, ServerProcess]

    let n = 0
    const traffic = async (server: ServerProcess, until: () => boolean) => {
      const statuses: Array<number | string> = []
      while (!until()) statuses.push(await request(server.url, n++))
      return statuses
    }
    // warm-up: both answer, writes through both
    const warm = await Promise.all([a, b].flatMap((s) => [0, 1, 2, 3, 4, 5].map(() => request(s.url, n++))))
    t.ok(
      warm.every((s) => s === 200 || s === 201),
      `both instances serve writes and reads: ${warm.join(' ')}`,
    )

    // traffic keeps going to b (two clients) while a is stopped, and to a until it is gone
    let stopTraffic = false
    const onB = Promise.all([traffic(b, () => stopTraffic), traffic(b, () => stopTraffic)])
    let aGone = false
    const onA = traffic(a, () => aGone)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const sent = performance.now()
    process.kill(a.pid, 'SIGTERM')
    const exit = await exitOf(a.child)
    aGone = true
    const toA = await onA
    t.ok(
      toA.every((s) => s === 200 || s === 201 || s === 503 || typeof s === 'string'),
      `the stopped instance answered, refused (503 while closing) or closed, never failed: ${[...new Set(toA)].join(', ')}`,
    )
    const tookMs = performance.now() - sent
    t.same(exit, { code: 0, signal: null }, 'the stopped instance exits 0', exit.code === 0 ? {} : { log: a.tail().slice(-3000) })
    t.ok(tookMs < SHUTDOWN_TIMEOUT_MS, `within SHUTDOWN_TIMEOUT_MS (${Math.round(tookMs)} ms)`)
    t.match(a.tail(), /shut down cleanly/)
    // and some more traffic after it is gone
    const until = performance.now() + 1500
    const after = await traffic(b, () => performance.now() > until)
    stopTraffic = true
    const during = (await onB).flat()
    const all = [...during, ...after]
    t.ok(all.length > 10, `traffic went on (${all.length} requests to the other instance)`)
    t.same(
      all.filter((s) => s !== 200 && s !== 201),
      [],
      'the other instance answered every request',
    )
    const metrics = await fetch(`${b.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    t.match(
      await metrics.text(),
      /emsp_http_request_duration_seconds_count\{[^}]*route="\/admin\/v1\/customers"/,
      'its metrics count the traffic',
    )
    t.equal((await fetch(`${b.url}/console/login`)).status, 200, 'its console answers')
  },
)
