import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { pino } from 'pino'
import postgres from 'postgres'
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { createLoopHealth } from '../../src/jobs/loop-health.js'
import { createJobRunner } from '../../src/jobs/runner.js'
import { systemClock } from '../../src/platform/clock.js'
import { freshDatabase } from '../helpers/db.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

// #17 item 6: a database that is down gives one clear line per state change, at start and in the
// job loop, with backoff; no stack traces, no 3.6 KB lines, no credentials.

/** A loopback port nothing listens on (bound, then closed). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

/** A pino logger writing JSON lines into `lines` (the runner's real logger type). */
const capture = () => {
  const lines: { level: number; msg: string }[] = []
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) })
  return { log, lines }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

t.test('start-up with the database unreachable: a few short lines, no credentials, exit 1', async (t) => {
  const port = await closedPort()
  const child = spawn(process.execPath, [...TS_NODE_ARGS, 'src/server.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: `postgres://emsp:s3cret-pw@127.0.0.1:${port}/emsp`,
      DATABASE_START_TIMEOUT_S: '3',
      ADMIN_TOKEN: 'start-test-admin-token-0123',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  const lines = out.trim().split('\n')
  t.equal(code, 1, 'exit code 1')
  t.ok(lines.length >= 1 && lines.length <= 3, `${lines.length} line(s):\n${out}`)
  t.match(lines[0], new RegExp(`^database unreachable at postgres://127\\.0\\.0\\.1:${port}/emsp: ECONNREFUSED`), 'says what and where')
  t.match(lines.at(-1), /gave up after \d+ s \(DATABASE_START_TIMEOUT_S=3\)/, 'the last line says it gave up and which setting decides')
  t.notMatch(out, /s3cret-pw|emsp:s3cret/, 'no credentials')
  t.notMatch(out, /^\s+at /m, 'no stack trace')
  t.ok(
    lines.every((l) => l.length < 200),
    'short lines',
  )
})

t.test('the job loop backs off exponentially with jitter, capped', async (t) => {
  const { log, lines } = capture()
  let now = 0
  const health = createLoopHealth({ log, baseMs: 500, capMs: 30_000, random: () => 1 - 1e-12, now: () => now })
  const delays = Array.from({ length: 10 }, () =>
    health.failed(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' })),
  )
  t.same(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000], 'at most: doubling from 0.5 s, capped at 30 s')
  const low = createLoopHealth({ log: pino({ level: 'silent' }), random: () => 0 })
  t.same(
    [1, 2, 3].map(() => low.failed(new Error('x'))),
    [250, 500, 1000],
    'at least half of it (jitter)',
  )
  now = 12_300
  health.succeeded()
  health.succeeded()
  t.same(
    lines.map((l) => l.msg),
    [
      'job loop: database unavailable (connect ECONNREFUSED 127.0.0.1:5); backing off',
      'job loop: database available again after 12.3 s (10 failed attempts)',
    ],
    'one line down, one line up',
  )
})

t.test('the job loop with its database closed: one line, not one per poll', async (t) => {
  const database = await freshDatabase(t)
  const { log, lines } = capture()
  const runner = createJobRunner({ db: database.db, clock: systemClock, log, pollMs: 10, workers: { local: 2, partner: 0 } })
  runner.register('test.noop', async () => {})
  runner.start()
  await sleep(300)
  t.same(lines, [], 'nothing logged while the database answers')
  await database.close() // PGlite closed, or the postgres.js pool ended: every claim now fails
  await sleep(2000) // 200 polls at 10 ms before this change
  await runner.stop()
  const down = lines.filter((l) => /database unavailable/.test(l.msg))
  t.equal(down.length, 1, `one "unavailable" line in 2 s with 2 workers polling every 10 ms (${lines.length} lines)`)
  t.equal(lines.length, 1, 'and nothing else')
  t.ok(JSON.stringify(lines[0]).length < 400, `a short line (${JSON.stringify(lines[0]).length} bytes)`)
})

t.test(
  'the job loop through a database connection that goes down and comes back (PostgreSQL)',
  { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL behind a TCP proxy: run with DATABASE_URL=postgres://…' },
  async (t) => {
    const serverUrl = new URL(process.env.DATABASE_URL!)
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} })
    const name = `emsp_test_${randomBytes(6).toString('hex')}`
    await admin.unsafe(`create database ${name}`)
    t.teardown(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    })
    const direct = new URL(serverUrl)
    direct.pathname = `/${name}`
    await (await openDatabase({ databaseUrl: direct.toString() })).close() // migrated
    const proxy = await startTcpProxy(t)
    proxy.forwardTo(Number(serverUrl.port || 5432))
    const viaProxy = new URL(direct)
    viaProxy.host = new URL(proxy.url()).host
    const database = await openDatabase({ databaseUrl: viaProxy.toString(), migrate: false, poolSize: 2 })
    t.teardown(() => database.close())
    const { log, lines } = capture()
    const runner = createJobRunner({ db: database.db, clock: systemClock, log, pollMs: 10, workers: { local: 2, partner: 0 } })
    let ran = 0
    runner.register('test.count', async () => void ran++)
    runner.start()
    t.teardown(() => runner.stop())
    await sleep(300)
    await proxy.down()
    await sleep(2500)
    t.same(
      lines.map((l) => l.msg.replace(/\(.*\)/, '(…)')),
      ['job loop: database unavailable (…); backing off'],
      'one line while down',
    )
    await proxy.up()
    await runner.enqueue(database.db, { queue: 'test.count', payload: {} }).catch(() => undefined) // may need a reconnect
    for (let i = 0; i < 150 && !lines.some((l) => /available again/.test(l.msg)); i++) await sleep(100)
    t.equal(lines.length, 2, 'one more line when it is back')
    t.match(lines[1]?.msg, /^job loop: database available again after \d+\.\d s \(\d+ failed attempts\)$/)
    const attempts = Number(/\((\d+) failed attempts\)/.exec(lines[1]?.msg ?? '')?.[1])
    t.ok(attempts < 20, `backed off: ${attempts} attempts by 2 workers in the outage, not ~500 polls`)
  },
)
