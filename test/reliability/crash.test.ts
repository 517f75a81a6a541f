import t from 'tap'
import { generateTraffic } from '../../scripts/replay/generate.js'
import { partiesOf, type RecordedLine } from '../../scripts/replay/recording.js'
import { discoverEndpoints, registerAsCpo } from '../../scripts/replay/register.js'
import { sendLine, sendRecording, type Ack, type Binding } from '../../scripts/replay/sender.js'
import { readRatings } from '../../scripts/replay/summary.js'
import { ADMIN_TOKEN, freshServerDatabase, startServerProcess, type ServerProcess } from '../../scripts/reliability/harness.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

// A SIGKILLed PGlite directory is not a supported recovery case; Postgres is what runs in production.
const skip = process.env.DATABASE_URL
  ? false
  : 'needs Postgres: run with DATABASE_URL=postgres://… (the server is SIGKILLed and restarted on the same database)'

t.test('SIGKILL in the middle of a replay, restart, resend what was not acknowledged', { skip }, async (t) => {
  const db = await freshServerDatabase()
  const servers: ServerProcess[] = []
  t.teardown(async () => {
    for (const s of servers) await s.kill('SIGKILL')
    await db.drop()
  })
  const start = async () => {
    const s = await startServerProcess({ ...db.env, JOBS_POLL_MS: '100' }, { nodeArgs: TS_NODE_ARGS })
    servers.push(s)
    return s
  }
  const lines: RecordedLine[] = generateTraffic({
    sessions: 30,
    customers: 3,
    locations: 6,
    patchesPerSession: 3,
    flapsPerSession: 1,
    seed: 11,
    idPrefix: 'K',
  })
  const cdrLines = lines.flatMap((l, i) => (l.module === 'cdrs' ? [i] : []))
  const first = await start()
  const { token } = await registerAsCpo({ url: first.url, adminToken: ADMIN_TOKEN, name: 'Crash CPO', parties: partiesOf(lines) })
  const admin = (url: string) => ({ url, token: ADMIN_TOKEN })

  // Replay until 10 CDRs are acknowledged, then SIGKILL the server while the next line is in flight.
  const acked = new Map<number, Ack>()
  let killed: Promise<void> | undefined
  const run1 = await sendRecording(lines, {
    endpoints: await discoverEndpoints(`${first.url}/ocpi/versions`, token),
    token,
    admin: admin(first.url),
    onAck: (i, ack) => {
      acked.set(i, ack)
      // at a Session PUT, a few lines after a CDR: its rating job has most likely finished, so the
      // restarted server need not wait for a dead worker's 60 s lease (correct either way, only slower)
      if (!killed && ack.module === 'sessions' && ack.method === 'PUT' && [...acked.values()].filter((a) => a.cdrId).length >= 10)
        killed = first.kill('SIGKILL')
    },
  })
  await killed
  t.ok(run1.aborted, `the replay stopped at line ${run1.aborted?.index}: ${run1.aborted?.error}`)
  t.ok(acked.size < lines.length, `${acked.size} of ${lines.length} lines acknowledged before the crash`)

  const t0 = Date.now()
  const second = await start()
  t.comment(`restart took ${Date.now() - t0} ms`)
  const bindings = new Map<string, Binding>([...acked.values()].flatMap((a) => (a.ref && a.binding ? [[a.ref, a.binding] as const] : [])))
  const run2 = await sendRecording(lines, {
    endpoints: await discoverEndpoints(`${second.url}/ocpi/versions`, token),
    token,
    admin: admin(second.url),
    skip: new Set(acked.keys()),
    bindings,
    onAck: (i, ack) => acked.set(i, ack),
  })
  t.notOk(run2.aborted, 'the restarted server answers everything')
  t.same(run2.refusals, [], 'nothing resent is refused (the line in flight is taken as identical or newer-or-equal)')
  t.equal(acked.size, lines.length, 'every line acknowledged once in the end')

  // Every CDR line maps to exactly one stored CDR: posting it again answers the same Location.
  const endpoints = await discoverEndpoints(`${second.url}/ocpi/versions`, token)
  const ids = new Set<string>()
  for (const i of cdrLines) {
    const again = await sendLine(lines[i]!, { endpoints, token }, bindings)
    if (again.created !== false || again.cdrId !== acked.get(i)!.cdrId)
      t.fail(`line ${i}: ${JSON.stringify(again)} vs ${JSON.stringify(acked.get(i))}`)
    ids.add(again.cdrId!)
  }
  t.pass(`${cdrLines.length} CDR lines posted again: all already stored under the acknowledged Location`)
  t.equal(ids.size, cdrLines.length, 'one CDR per CDR line')

  // A rating job claimed by the killed server is taken over when its lease (60 s) ends.
  const t1 = Date.now()
  const rating = await readRatings(admin(second.url), [...ids], { waitMs: 120_000, pollMs: 500 })
  // ~0.3 s, or up to the 60 s lease when the killed server was in the middle of a rating job
  t.comment(`rating wait ${Date.now() - t1} ms`)
  t.equal(rating.pending, 0, 'no CDR left unrated')
  t.equal(rating.rated, cdrLines.length, `all ${cdrLines.length} CDRs rated: ${JSON.stringify(rating.unratedReasons)}`)
  t.equal(rating.doubleCharged, 0, 'none charged twice')
  for (const s of servers)
    t.notOk(
      s.tail().includes(token) || s.tail().includes(Buffer.from(token).toString('base64')),
      'the partner token is not in the server log',
    )
})
