// Issue 17 item 9: the operator command lines do not lie. `--url http://…` works with a space as
// with `=`, an option a command does not take is refused (not ignored), an unreachable service and a
// replay whose CPO party is already registered get one clear line each, never a stack trace.
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import t from 'tap'
import { partiesOf, readRecording } from '../../scripts/replay/recording.js'
import { registerAsCpo } from '../../scripts/replay/register.js'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

interface Run {
  code: number
  stdout: string
  stderr: string
}

const spawnCli = (file: string, args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { ...process.env, ADMIN_TOKEN, PORT: '9', PUBLIC_URL: '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0
        resolve({ code, stdout, stderr: stderr.replace(/^npm (warn|notice).*\n/gm, '') })
      },
    )
  })

const admin = (args: string[], env?: Record<string, string>) =>
  spawnCli(process.execPath, [...TS_NODE_ARGS, 'scripts/admin.ts', ...args], env)
const replayCli = (args: string[], env?: Record<string, string>) =>
  spawnCli(process.execPath, [...TS_NODE_ARGS, 'scripts/replay.ts', ...args], env)
const noStack = (t: Pick<typeof import('tap').default, 'notMatch'>, run: Run) => t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')

/** A loopback port nobody listens on (bound, then closed). */
const closedPort = async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('npm run admin', async (t) => {
  const emsp = await startTestApp(t)
  const created = (await emsp.admin('POST', '/partners', { name: 'CLI CPO' })).body as { id: string }

  t.test('--url with a space, as npm passes it, reaches the service (PORT points elsewhere)', async (t) => {
    const spaced = await admin(['partners:list', '--url', emsp.url])
    t.equal(spaced.code, 0, spaced.stderr)
    t.match(JSON.parse(spaced.stdout), [{ id: created.id, name: 'CLI CPO', state: 'PENDING' }])
    const leading = await admin(['--url', emsp.url, 'partners:show', created.id])
    t.equal(leading.code, 0, leading.stderr)
    t.match(JSON.parse(leading.stdout), { id: created.id })
    const equals = await admin([`--url=${emsp.url}`, 'partners:show', created.id])
    t.equal(equals.code, 0, 'the --url=… form still works')
  })

  t.test('through npm itself: npm run admin -- --url http://… partners:list', async (t) => {
    const viaNpm = await spawnCli('npm', ['run', '--silent', 'admin', '--', '--url', emsp.url, 'partners:list'])
    t.equal(viaNpm.code, 0, viaNpm.stderr)
    t.match(JSON.parse(viaNpm.stdout), [{ id: created.id }])
  })

  t.test('unknown options are refused with a message, before anything is sent', async (t) => {
    const unknown = await admin(['partners:list', '--url', emsp.url, '--bogus'])
    t.equal(unknown.code, 2)
    t.match(unknown.stderr, /^admin: unknown option '--bogus'/)
    noStack(t, unknown)
    const misspelt = await admin(['partners:unregister', created.id, '--url', emsp.url, '--forse'])
    t.equal(misspelt.code, 2)
    t.match(misspelt.stderr, /unknown option '--forse'/)
    const foreign = await admin(['partners:list', '--url', emsp.url, '--force'])
    t.equal(foreign.code, 2, 'an option of another command is refused too')
    t.match(foreign.stderr, /partners:list takes no option --force/)
    const notANumber = await admin(['disputes', '--url', emsp.url, '--limit', 'ten'])
    t.equal(notANumber.code, 2)
    t.match(notANumber.stderr, /--limit must be a whole number, not 'ten'/)
    const badUrl = await admin(['partners:list', '--url', 'localhost:3000'])
    t.equal(badUrl.code, 2)
    t.match(badUrl.stderr, /--url must be an http\(s\) URL/)
    const missingValue = await admin(['partners:list', '--url'])
    t.equal(missingValue.code, 2)
    t.match(missingValue.stderr, /--url/)
    t.equal((await emsp.admin('GET', '/partners')).body.length, 1, 'nothing was created or changed')
  })

  t.test('a service that is not there is one clear line, exit 1', async (t) => {
    const port = await closedPort()
    const down = await admin(['partners:list', '--url', `http://127.0.0.1:${port}`])
    t.equal(down.code, 1)
    t.match(down.stderr, new RegExp(`^admin: cannot reach the service at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`))
    noStack(t, down)
  })

  t.test('help of one command', async (t) => {
    const help = await admin(['partners:unregister', '--help'])
    t.equal(help.code, 0)
    t.match(help.stdout, /usage: npm run admin -- partners:unregister <id> \[--force\]/)
  })
})

t.test('npm run replay', async (t) => {
  const emsp = await startTestApp(t)
  const recording = readRecording('test/fixtures/replay')

  t.test('unknown options and bad numbers are refused without a stack trace', async (t) => {
    const unknown = await replayCli(['test/fixtures/replay', '--url', emsp.url, '--speed', '2'])
    t.equal(unknown.code, 2)
    t.match(unknown.stderr, /^replay: unknown option '--speed'/)
    noStack(t, unknown)
    const pace = await replayCli(['test/fixtures/replay', '--url', emsp.url, '--pace', 'fast'])
    t.equal(pace.code, 2)
    t.match(pace.stderr, /--pace must be a non-negative number/)
  })

  t.test('a party that is already registered: a clear message, nothing created', async (t) => {
    // Another partner holds the recording's CPO party (as after a first replay).
    await registerAsCpo({ url: emsp.url, adminToken: ADMIN_TOKEN, name: 'First replay', parties: partiesOf(recording.lines) })
    const before = (await emsp.admin('GET', '/partners')).body.length
    const again = await replayCli(['test/fixtures/replay', '--url', emsp.url, '--wait', '0'])
    t.equal(again.code, 1)
    t.match(
      again.stderr,
      /^replay: the recording's CPO party is already registered: DE\/RPL by partner 'First replay' \([0-9a-f-]{36}, REGISTERED\); to replay again as that CPO, pass the token the eMSP issued to it with --token/m,
    )
    noStack(t, again)
    t.equal((await emsp.admin('GET', '/partners')).body.length, before, 'no stray partner was created')
  })

  t.test('a service that is not there', async (t) => {
    const port = await closedPort()
    const down = await replayCli(['test/fixtures/replay', '--url', `http://127.0.0.1:${port}`])
    t.equal(down.code, 1)
    t.match(down.stderr, /replay: cannot reach the service at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/)
    noStack(t, down)
  })
})
