// Issue 16 item 10: one customer's event streams never take the service down. Streams are bounded
// per customer and in total (429), pushed from the event bus (a write on another instance reaches
// them on PostgreSQL), all closed when the app closes, and nothing stays open afterwards.
import { request } from 'undici'
import t from 'tap'
import { startWorld, until, type World } from '../ocpi/commands/world.js'

const METRICS_TOKEN = 'metrics-token-0123456789'
const ENV = { APP_RATE_LIMIT_PER_MINUTE: '100000', METRICS_TOKEN, APP_STREAMS_PER_CUSTOMER: '5', APP_STREAMS_TOTAL: '8' }

/** `emsp_app_event_streams` as Prometheus reads it. */
const openStreams = async (w: World) => {
  const text = (await w.emsp.ocpi('GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).body as string
  return Number(/^emsp_app_event_streams (\d+)$/m.exec(text)?.[1])
}

/** A customer with a START_SESSION sent and accepted by the CPO, its result not posted yet (the stream stays open). */
const waiting = async (w: World, name: string) => {
  const c = await w.newCustomer(name)
  const res = await c.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })
  if (res.status !== 202) throw new Error(JSON.stringify(res.body))
  await w.sendCommands() // the partner lane's send job: the CPO answers ACCEPTED
  return { ...c, commandId: res.body.command_id as string }
}

const stream = (w: World, c: { jwt: string; commandId: string }, base = w.emsp.url) =>
  request(`${base}/app/v1/charging/commands/${c.commandId}/events`, { headers: { authorization: `Bearer ${c.jwt}` } })

const eventsOf = (text: string) => [...text.matchAll(/event: state\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!))

// One world for the file (subtests run one after another, each with its own customers and command
// receiver). The app.close() subtest closes it, so it comes last. `t.end()` below ends the file once
// they have run, which tears the world down.
const w = await startWorld(t, { env: ENV })

t.test('200 concurrent streams of one customer: 5 open, the rest 429; the service still answers; nothing left open', async (t) => {
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await waiting(w, 'Erika')
  const max = await waiting(w, 'Max')

  const burst = Promise.all(Array.from({ length: 200 }, () => stream(w, erika)))
  // While the burst arrives: health, and another customer's read and stream.
  const [health, maxRead, maxStream] = await Promise.all([
    request(`${w.emsp.url}/healthz`),
    max.app('GET', `/charging/commands/${max.commandId}`),
    stream(w, max),
  ])
  t.equal(health.statusCode, 200, '/healthz answers during the burst')
  await health.body.text()
  t.equal(maxRead.status, 200, "another customer's read answers")
  t.equal(maxStream.statusCode, 200, 'another customer may still open a stream')
  const responses = await burst
  const open = responses.filter((r) => r.statusCode === 200)
  const refused = responses.filter((r) => r.statusCode === 429)
  t.equal(open.length, 5, 'APP_STREAMS_PER_CUSTOMER streams open')
  t.equal(refused.length, 195, 'the others are refused')
  const refusal = (await refused[0]!.body.json()) as { code: string; message: string }
  t.equal(refusal.code, 'too_many_streams')
  t.match(refusal.message, /5 open event streams \(at most 5\)/, 'a sentence saying what to do')
  await Promise.all(refused.slice(1).map((r) => r.body.dump()))
  t.equal(await openStreams(w), 6, 'the gauge counts the open streams')

  // The total limit (8): Erika's 5 + Max's 1 + 2 more of a third customer; the next is refused with its own message.
  const anna = await waiting(w, 'Anna')
  const annas = await Promise.all([stream(w, anna), stream(w, anna), stream(w, anna)])
  t.same(annas.map((r) => r.statusCode).sort(), [200, 200, 429])
  const full = annas.find((r) => r.statusCode === 429)!
  t.match(await full.body.json(), { code: 'too_many_streams', message: /too many open event streams right now/ })

  // The CPO answers Erika's command: her streams each get the change once, then end.
  await w.cpo.call('POST', received[0]!.body.response_url, { result: 'EVSE_INOPERATIVE' })
  const texts = await Promise.all(open.map((r) => r.body.text()))
  for (const text of texts)
    t.same(
      eventsOf(text).map((e) => e.state),
      ['ACCEPTED', 'FAILED'],
    )
  // Clients that leave: Max's and Anna's streams are closed by the client.
  maxStream.body.destroy()
  for (const r of annas.filter((x) => x.statusCode === 200)) r.body.destroy()
  t.equal(
    await until(
      () => openStreams(w),
      (n) => n === 0,
      'every stream closed',
      { tries: 500, ms: 20 },
    ),
    0,
    'back to 0 open streams',
  )
  t.equal(received.length, 3, 'the streams sent nothing to the CPO')
})

t.test(
  'a write on another instance reaches this instance’s stream (PostgreSQL LISTEN/NOTIFY)',
  { skip: process.env.DATABASE_URL ? false : 'PGlite is one process: the bus is in process' },
  async (t) => {
    await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
    const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
    const erika = await waiting(w, 'Erika')
    const { startTestApp } = await import('../helpers/build-app.js')
    const other = await startTestApp(t, {
      database: w.emsp.database,
      clock: w.clock,
      env: { APP_JWT_SECRET: 'app-secret-app-secret-app-secret-0123', ...ENV },
    })
    const res = await stream(w, erika)
    t.equal(res.statusCode, 200)
    // The CPO's CommandResult reaches the other instance (same database, same response_url path).
    const url = new URL(received[0]!.body.response_url)
    const posted = await w.cpo.call('POST', `${other.url}${url.pathname}`, { result: 'EVSE_OCCUPIED' })
    t.equal(posted.body.status_code, 1000)
    t.same(
      eventsOf(await res.body.text()).map((e) => e.state),
      ['ACCEPTED', 'FAILED'],
      'pushed across instances, then the stream ends',
    )
  },
)

t.test('app.close() ends every open stream at once', async (t) => {
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await waiting(w, 'Erika')
  const streams = await Promise.all([stream(w, erika), stream(w, erika), stream(w, erika)])
  t.same(
    streams.map((s) => s.statusCode),
    [200, 200, 200],
  )
  const ended = Promise.all(streams.map((s) => s.body.text()))
  await w.emsp.app.close() // would wait for the streams' 10-minute limit without closeAll
  const texts = await ended
  for (const text of texts)
    t.same(
      eventsOf(text).map((e) => e.state),
      ['ACCEPTED'],
      'the state, then the end',
    )
})

t.end()
