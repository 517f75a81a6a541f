import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { ADMIN_TOKEN, freshServerDatabase } from '../../scripts/reliability/harness.js'
import { answers, exitOf } from './helpers.js'

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

t.test('SIGTERM to `npm start` stops the server: the port stops answering and no process of the group remains', async (t) => {
  const db = await freshServerDatabase()
  t.teardown(() => db.drop())
  const { DATABASE_URL: _notInherited, ...inherited } = process.env
  // its own process group, as a terminal or a process supervisor starts it
  const npm = spawn('npm', ['start'], {
    detached: true,
    env: {
      ...inherited,
      ...db.env,
      ENV_FILE: '/dev/null',
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      SYNC_INTERVAL_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '8000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const pgid = npm.pid!
  t.teardown(() => {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
  })
  let log = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 90 s:\n${log}`)), 90_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8')
      const m = /eMSP listening on (http:\/\/\S+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    npm.stdout!.on('data', onData)
    npm.stderr!.on('data', onData)
  })
  t.ok(await answers(url), 'the server answers')

  process.kill(pgid, 'SIGTERM') // npm's pid only, not the group
  const exit = await exitOf(npm)
  t.equal(exit.code, 0, 'npm exits 0 (the server shut down cleanly)', exit.code === 0 ? {} : { log })
  // give a process that outlived npm a moment to show itself
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(250)
  t.notOk(groupAlive(pgid), 'no process of the group remains')
  t.notOk(await answers(url), 'the port no longer answers')
  t.match(log, /shut down cleanly/, 'the server itself shut down')
})
