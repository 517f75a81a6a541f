import { performance } from 'node:perf_hooks'
import postgres from 'postgres'
import t from 'tap'
import { customer } from '../../scripts/replay/objects.js'
import { ADMIN_TOKEN, freshServerDatabase, startServerProcess } from '../../scripts/reliability/harness.js'
import { APP_JWT_SECRET, answers, appToken, exitOf, openEventStream, seedLiveCommand } from './helpers.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const SHUTDOWN_TIMEOUT_MS = 8000

t.test('SIGTERM with an app event stream open: the stream ends and the server exits 0 within the bound', async (t) => {
  const db = await freshServerDatabase()
  t.teardown(() => db.drop())
  const { customerId, commandId } = await seedLiveCommand(db.env)
  const server = await startServerProcess(
    { ...db.env, APP_JWT_SECRET, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    { nodeArgs: TS_NODE_ARGS },
  )
  t.teardown(() => server.kill('SIGKILL'))
  const jwt = await appToken(server.url, ADMIN_TOKEN, customerId)
  const stream = await openEventStream(server.url, commandId, jwt)
  t.equal(stream.status, 200, 'the event stream is open')
  t.match(stream.firstEvent, /event: state\ndata: .*"REQUESTED"/, 'with the live command')

  const sent = performance.now()
  process.kill(server.pid, 'SIGTERM')
  const exit = await exitOf(server.child)
  const tookMs = performance.now() - sent
  t.same(exit, { code: 0, signal: null }, "exit code 0, not the bound's 1", exit.code === 0 ? {} : { log: server.tail().slice(-3000) })
  t.ok(tookMs < SHUTDOWN_TIMEOUT_MS, 'within the bound')
  t.equal(await stream.ended, 'end', 'the client saw its stream end')
  t.notOk(await answers(server.url), 'the port no longer answers')
  t.match(server.tail(), /shut down cleanly/, 'logged')
})

t.test(
  'a shutdown that cannot finish (a request stuck on a database lock) ends at the bound: one line, exit 1',
  { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): the test holds a table lock from a second connection' },
  async (t) => {
    const db = await freshServerDatabase()
    t.teardown(() => db.drop())
    const bound = 1500
    const server = await startServerProcess({ ...db.env, SHUTDOWN_TIMEOUT_MS: String(bound) }, { nodeArgs: TS_NODE_ARGS })
    t.teardown(() => server.kill('SIGKILL'))
    const locker = postgres(db.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    t.teardown(() => locker.end({ timeout: 1 }))
    let unlock!: () => void
    const held = new Promise<void>((resolve) => (unlock = resolve))
    let locked!: () => void
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    const tx = locker.begin(async (sql) => {
      await sql`lock table customers in access exclusive mode`
      locked()
      await held
    })
    await isLocked
    const stuck = fetch(`${server.url}/admin/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(customer(1, 'DE')),
    }).catch((err: Error) => err.message)
    // until the server's request waits on the lock
    const watcher = postgres(db.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    t.teardown(() => watcher.end({ timeout: 1 }))
    for (let i = 0; i < 300; i++) {
      const [row] =
        await watcher`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
      if (row!.n > 0) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    process.kill(server.pid, 'SIGTERM')
    const exit = await exitOf(server.child)
    unlock()
    await tx
    await stuck
    t.same(exit, { code: 1, signal: null }, 'exit 1')
    const lines = server
      .tail()
      .split('\n')
      .filter((l) => l.includes('shutdown did not finish'))
    t.equal(lines.length, 1, 'one line says so')
    t.match(lines[0], `within ${bound} ms`)
  },
)
