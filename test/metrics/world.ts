// An eMSP with something to watch, built through the real paths, shared by the metrics and console
// tests (one world per test file):
// - "Replay CPO" (DE/RPL) replays test/fixtures/replay: 2 customers, tariffs, sessions and 6 CDRs;
//   rating and audit give 4 RATED, 1 UNRATED (unknown_contract) and 1 dispute (CDR-2).
// - "Becharged" (BE/BEC, the CPO simulator) registered before that: every customer token is pushed
//   to it, and its Tokens Receiver answers 503, so the pushes retry; a tariffs pull completes, a
//   locations pull fails; an UNLOCK_CONNECTOR is answered at once and its result arrives 4 s later.
// - one job of a queue that always fails, given up after its single attempt; one job due in an hour.
import { readFileSync } from 'node:fs'
import { fixedClock } from '../../src/platform/clock.js'
import { partiesOf, readRecording } from '../../scripts/replay/recording.js'
import { discoverEndpoints, registerAsCpo } from '../../scripts/replay/register.js'
import { sendRecording } from '../../scripts/replay/sender.js'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

export const METRICS_TOKEN = 'metrics-token-0123456789'
export const START = '2026-11-20T10:00:00.000Z'
export const FAILING_QUEUE = 'test.always-fails'
/** A queue with one job due in an hour (no worker takes it). */
export const LATER_QUEUE = 'test.later'
const locationExample = JSON.parse(readFileSync(new URL('../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))

type T = { teardown(fn: () => unknown): void }

export const startOpsWorld = async (t: T, opts: { env?: Record<string, string> } = {}) => {
  const clock = fixedClock(START)
  const emsp = await startTestApp(t, { clock, env: { METRICS_TOKEN, ...opts.env } })
  const jobs = emsp.app.jobs

  const becharged = (await emsp.admin('POST', '/partners', { name: 'Becharged' })).body as {
    id: string
    token_a: string
    versions_url: string
  }
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  const registered = await cpo.registerWith(becharged.versions_url, becharged.token_a)
  if (registered.body?.status_code !== 1000) throw new Error(`BE/BEC registration failed: ${JSON.stringify(registered.body)}`)
  cpo.on('PUT', /\/ocpi\/2\.2\.1\/tokens\//, (_req, reply) => reply.code(503).send(cpo.envelope(undefined, 3000, 'maintenance')))
  cpo.on('GET', /\/ocpi\/2\.2\.1\/tariffs$/, (_req, reply) => reply.header('x-total-count', '0').send(cpo.envelope([])))
  const put = await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, locationExample)
  if (put.status !== 201) throw new Error(`location PUT failed: ${JSON.stringify(put.body)}`)

  const recording = readRecording('test/fixtures/replay')
  const replayCpo = await registerAsCpo({ url: emsp.url, adminToken: ADMIN_TOKEN, name: 'Replay CPO', parties: partiesOf(recording.lines) })
  const sent = await sendRecording(recording.lines, {
    endpoints: await discoverEndpoints(`${emsp.url}/ocpi/versions`, replayCpo.token),
    token: replayCpo.token,
    admin: { url: emsp.url, token: ADMIN_TOKEN },
  })
  if (sent.acks.length !== 15) throw new Error(`replay: ${sent.acks.length} acknowledged, refusals ${JSON.stringify(sent.refusals)}`)
  await jobs.runDue({ queues: ['cdr.received', 'cdr.audit'] })
  await jobs.runDue({ queues: ['tokens.push'], max: 1 }) // one push tried: 503, so it waits for its retry

  const tariffs = await emsp.admin('POST', `/partners/${becharged.id}/sync/tariffs`, { mode: 'full' })
  const locations = await emsp.admin('POST', `/partners/${becharged.id}/sync/locations`, { mode: 'full' })
  if (tariffs.status !== 200 || locations.status !== 502) throw new Error(`pulls: tariffs ${tariffs.status}, locations ${locations.status}`)

  const commands = cpo.commandsReceiver({ result: null, timeout: 30 })
  const unlock = await emsp.admin('POST', '/commands', {
    type: 'UNLOCK_CONNECTOR',
    location_id: 'LOC1',
    evse_uid: '3256',
    connector_id: '1',
  })
  if (unlock.status !== 202) throw new Error(`unlock: ${JSON.stringify(unlock.body)}`)
  await jobs.runDue({ queues: ['commands.send'] })
  clock.advance(4000)
  const result = await cpo.call('POST', commands[0]!.body.response_url, { result: 'ACCEPTED' })
  if (result.body?.status_code !== 1000) throw new Error(`command result: ${JSON.stringify(result.body)}`)

  jobs.register(FAILING_QUEUE, async () => {
    throw new Error('the partner said no <script>alert(1)</script>')
  })
  const failedJobId = await jobs.enqueue(emsp.database.db, { queue: FAILING_QUEUE, payload: { note: 'always fails' }, maxAttempts: 1 })
  await jobs.runDue({ queues: [FAILING_QUEUE] })
  await jobs.enqueue(emsp.database.db, { queue: LATER_QUEUE, payload: {}, runAt: new Date(Date.parse(START) + 3_600_000) })

  return {
    emsp,
    clock,
    cpo,
    partners: { becharged: becharged.id, replay: replayCpo.partnerId },
    customerIds: [...sent.bindings.values()].map((b) => b.customer_id),
    cdrIds: [...new Set(sent.acks.flatMap((a) => (a.cdrId ? [a.cdrId] : [])))],
    unlockId: unlock.body.command_id as string,
    failedJobId: failedJobId!,
  }
}

export type OpsWorld = Awaited<ReturnType<typeof startOpsWorld>>

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
export const parseMetrics = (text: string) => {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m) continue
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]))
    samples.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  /** The value of the one sample with this name and (at least) these labels; undefined when none. */
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`)
    return found[0]?.value
  }
  return { samples, value }
}
