import { performance } from 'node:perf_hooks'
import t from 'tap'
import { ADMIN_TOKEN, freshServerDatabase, startServerProcess } from '../../scripts/reliability/harness.js'
import { APP_JWT_SECRET, answers, appToken, exitOf, openEventStream, seedLiveCommand } from './helpers.js'

const SHUTDOWN_TIMEOUT_MS = 8000

t.test('SIGTERM with an app event stream open: the stream ends and the server exits 0 within the bound', async (t) => {
  const db = await freshServerDatabase()
  t.teardown(() => db.drop())
  const { customerId, commandId } = await seedLiveCommand(db.env)
  const server = await startServerProcess({ ...db.env, APP_JWT_SECRET, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) })
  t.teardown(() => server.kill('SIGKILL'))
  const jwt = await appToken(server.url, ADMIN_TOKEN, customerId)
  const stream = await openEventStream(server.url, commandId, jwt)
  t.equal(stream.status, 200, 'the event stream is open')
  t.match(stream.firstEvent, /event: state\ndata: .*"REQUESTED"/, 'with the live command')

  const sent = performance.now()
  process.kill(server.pid, 'SIGTERM')
  const exit = await exitOf(server.child)
  const tookMs = performance.now() - sent
  t.same(exit, { code: 0, signal: null }, 'exit code 0, not the bound\'s 1', exit.code === 0 ? {} : { log: server.tail().slice(-3000) })
  t.ok(tookMs < SHUTDOWN_TIMEOUT_MS, 'within the bound')
  t.equal(await stream.ended, 'end', 'the client saw its stream end')
  t.notOk(await answers(server.url), 'the port no longer answers')
  t.match(server.tail(), /shut down cleanly/, 'logged')
})
