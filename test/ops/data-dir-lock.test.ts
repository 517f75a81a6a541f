import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { DataDirInUseError, lockDataDir } from '../../src/db/client.js'
import { startServerProcess } from '../../scripts/reliability/harness.js'
import { exitOf } from './helpers.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const tempDir = (t: { teardown(fn: () => unknown): void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'emsp-lock-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('the lock: taken, refused while its process lives, released', async (t) => {
  const dir = tempDir(t)
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  t.teardown(() => other.kill('SIGKILL'))
  writeFileSync(join(dir, 'emsp.pid'), String(other.pid))
  t.throws(() => lockDataDir(dir), DataDirInUseError, 'another living process holds it')
  t.throws(
    () => lockDataDir(dir),
    {
      message: new RegExp(
        `data folder ${resolve(dir).replace(/[/\\.]/g, '\\$&')} is in use by another eMSP process \\(pid ${other.pid}\\)`,
      ),
    },
    'the message names the folder and the pid',
  )
  other.kill('SIGKILL')
  await exitOf(other)
  const release = lockDataDir(dir)
  t.equal(readFileSync(join(dir, 'emsp.pid'), 'utf8'), String(process.pid), 'a stale lock (dead pid) is taken over')
  release()
  t.notOk(existsSync(join(dir, 'emsp.pid')), 'released')
  writeFileSync(join(dir, 'emsp.pid'), 'garbage')
  lockDataDir(dir)()
  t.notOk(existsSync(join(dir, 'emsp.pid')), 'an unreadable lock is stale too')
})

t.test('a second server on the same embedded data folder is refused with a clear message; the first runs on', async (t) => {
  const dir = tempDir(t)
  const first = await startServerProcess({ DATA_DIR: dir }, { nodeArgs: TS_NODE_ARGS })
  t.teardown(() => first.kill('SIGKILL'))
  const { DATABASE_URL: _notInherited, ...inherited } = process.env
  const second = spawnSync(process.execPath, [...TS_NODE_ARGS, 'src/server.ts'], {
    env: { ...inherited, ENV_FILE: '/dev/null', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(second.status, 1, 'exit 1')
  t.match(second.stderr, `is in use by another eMSP process (pid ${first.pid})`, 'names the other pid')
  t.match(second.stderr, resolve(dir), 'names the folder')
  t.ok(second.stderr.trim().split('\n').length <= 2, 'one clear message, no stack trace')
  t.equal((await fetch(`${first.url}/readyz`)).status, 200, 'the first still serves its database')
  await first.kill('SIGTERM')
  t.notOk(existsSync(join(dir, 'emsp.pid')), 'a clean stop releases the folder')
})
