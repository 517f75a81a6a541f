// The Start button end to end against the CPO simulator over real HTTP: command lifecycle,
// CommandResult callbacks, TIMEOUT by the durable job, late sessions, stop, and a restart.
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'
import { freshDatabase } from '../../helpers/db.js'
import { startWorld, until, type World } from './world.js'

// One world for the file (subtests run one after another): each subtest has its own customers,
// session ids and command receiver. The restart has its own world: it closes its app. `t.end()`
// below ends the file once its subtests have run, which tears the world down (the listening app and
// simulator would otherwise keep the process from ever ending).
const w = await startWorld(t)

/** LOC1/3256 of the spec example lists only RESERVABLE: the CPO adds remote start, as a real CPO would. */
const startable = (w: World) => w.patchEvse('3256', { capabilities: ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE'] })
const admin = (w: World, id: string) => w.emsp.admin('GET', `/commands/${id}`)
/**
 * The app's Start: 202 at once with the command REQUESTED (`answered`); the partner lane then sends
 * it to the CPO, and `body.state` is where the command stands after that, as the app follows it.
 */
const start = async (w: World, c: Awaited<ReturnType<World['newCustomer']>>) => {
  const res = await c.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })
  if (res.status !== 202) throw new Error(`start refused: ${JSON.stringify(res.body)}`)
  if (res.body.state !== 'REQUESTED') throw new Error(`start answered ${res.body.state}, not REQUESTED`)
  await w.sendCommands()
  const followed = await c.app('GET', `/charging/commands/${res.body.command_id}`)
  return {
    status: res.status,
    answered: res.body,
    body: { command_id: res.body.command_id as string, state: followed.body.state as string },
  }
}

t.test('accepted, result ACCEPTED, then STARTED when the session with our authorization_reference appears', async (t) => {
  await startable(w)
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 30, result: 'ACCEPTED' })
  const erika = await w.newCustomer()

  const res = await start(w, erika)
  t.equal(res.status, 202)
  t.match(res.answered, { command_id: /^[0-9a-f-]{36}$/, state: 'REQUESTED' }, 'answered at once, before the CPO is called')
  t.same(Object.keys(res.answered).sort(), ['command_id', 'state'], 'the answer shape of the issue')
  t.match(res.body, { command_id: res.answered.command_id, state: 'ACCEPTED' }, 'the partner lane sent it; the CPO accepted')
  t.equal(received.length, 1)
  const sent = received[0]!
  t.equal(sent.type, 'START_SESSION')
  t.match(sent.body, {
    location_id: 'LOC1',
    evse_uid: '3256',
    connector_id: '1',
    token: {
      country_code: 'DE',
      party_id: 'BMW',
      uid: erika.appTokenUid,
      type: 'APP_USER',
      contract_id: erika.contractId,
      valid: true,
      whitelist: 'NEVER',
    },
    authorization_reference: /^[0-9a-f-]{36}$/,
  })
  t.equal(
    sent.body.response_url,
    `${w.emsp.url}/ocpi/2.2.1/commands/START_SESSION/${res.body.command_id}`,
    'unique response_url under our commands endpoint',
  )
  t.match(sent.headers, {
    'ocpi-to-country-code': 'BE',
    'ocpi-to-party-id': 'BEC',
    'ocpi-from-country-code': 'DE',
    'ocpi-from-party-id': 'BMW',
  })
  const details = (
    await w.emsp.ocpi('GET', '/ocpi/2.2.1', { authorization: `Token ${Buffer.from(w.cpo.state.tokenForEmsp!).toString('base64')}` })
  ).body.data
  t.ok(
    details.endpoints.some((e: { identifier: string; role: string }) => e.identifier === 'commands' && e.role === 'SENDER'),
    'commands SENDER in our version details',
  )

  const id = res.body.command_id
  const afterResult = await until(
    () => admin(w, id),
    (r) => r.body.result === 'ACCEPTED',
    'the CommandResult',
  )
  t.match(afterResult.body, {
    state: 'ACCEPTED',
    response_result: 'ACCEPTED',
    response_timeout_s: 30,
    result: 'ACCEPTED',
    origin: 'app',
    customer_id: erika.id,
    contract_id: erika.contractId,
  })
  t.same((await erika.app('GET', `/charging/commands/${id}`)).body, {
    command_id: id,
    state: 'ACCEPTED',
    reason: null,
    message: null,
    session_id: null,
  })

  // A session of the same customer without our reference does not start the command.
  await w.pushSession({ id: 'OTHER-1', contractId: erika.contractId, uid: erika.appTokenUid, status: 'COMPLETED' })
  t.equal((await erika.app('GET', `/charging/commands/${id}`)).body.state, 'ACCEPTED')
  t.equal(
    (
      await w.pushSession({
        id: 'S-101',
        contractId: erika.contractId,
        uid: erika.appTokenUid,
        authorizationReference: sent.body.authorization_reference,
      })
    ).status,
    201,
  )
  t.same((await erika.app('GET', `/charging/commands/${id}`)).body, {
    command_id: id,
    state: 'STARTED',
    reason: null,
    message: null,
    session_id: 'S-101',
  })

  const other = await w.newCustomer('Max Mustermann')
  t.equal((await other.app('GET', `/charging/commands/${id}`)).status, 404, "another customer's command does not exist for them")
  t.equal((await erika.app('GET', '/charging/commands/not-a-uuid')).body.code, 'command_not_found')
})

t.test('the CPO answers REJECTED or NOT_SUPPORTED; a CPO that cannot be reached; reasons in words', async (t) => {
  await startable(w)
  const erika = await w.newCustomer()

  w.cpo.commandsReceiver({ response: 'REJECTED' })
  const rejected = await start(w, erika)
  t.same(rejected.body.state, 'REJECTED')
  const view = (await erika.app('GET', `/charging/commands/${rejected.body.command_id}`)).body
  t.match(view, { state: 'REJECTED', reason: 'rejected_by_operator', message: /hotline/ })

  w.cpo.commandsReceiver({ response: 'NOT_SUPPORTED' })
  const unsupported = await start(w, erika)
  t.match((await erika.app('GET', `/charging/commands/${unsupported.body.command_id}`)).body, {
    state: 'REJECTED',
    reason: 'app_start_not_supported',
    message: /charging card or the QR code/,
  })

  // The spec's example of an OCPI error: unknown location answered 2003 with result REJECTED.
  w.cpo.commandsReceiver({ response: 'REJECTED', ocpiStatus: 2003 })
  t.equal((await start(w, erika)).body.state, 'REJECTED')

  w.cpo.on('POST', /\/commands\/START_SESSION$/, (_req, reply) => reply.code(503).send('down for maintenance'))
  const down = await start(w, erika)
  t.equal(down.status, 202)
  t.equal(down.body.state, 'REQUESTED', 'not delivered yet: tried again within the send window')
  for (let i = 0; i < 8; i++) {
    w.clock.advance(8_000)
    await w.sendCommands()
  }
  t.equal((await admin(w, down.body.command_id)).body.state, 'FAILED', 'given up within the send window')
  t.ok(w.cpo.requests.filter((r) => r.path.endsWith('/commands/START_SESSION')).length >= 3, 'tried more than once')
  t.match((await erika.app('GET', `/charging/commands/${down.body.command_id}`)).body, {
    reason: 'operator_unreachable',
    message: /cannot be reached/,
  })

  // None of these is waiting for anything: their timeout jobs change nothing.
  w.clock.advance(600_000)
  t.ok((await w.runTimeouts()) >= 4, 'their timeout jobs ran')
  t.equal((await erika.app('GET', `/charging/commands/${rejected.body.command_id}`)).body.state, 'REJECTED')
  t.equal((await erika.app('GET', `/charging/commands/${down.body.command_id}`)).body.state, 'FAILED')
})

t.test('no result: TIMEOUT after timeout + grace; a late result and a late session still attach', async (t) => {
  await startable(w)
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 30, result: null })
  const erika = await w.newCustomer()
  const id = (await start(w, erika)).body.command_id
  t.equal((await admin(w, id)).body.state, 'ACCEPTED')

  w.clock.advance(39_000)
  await w.runTimeouts()
  t.equal((await admin(w, id)).body.state, 'ACCEPTED', 'still waiting at 39 s (timeout 30 s + grace 10 s)')
  w.clock.advance(1_500)
  await w.runTimeouts()
  t.match((await erika.app('GET', `/charging/commands/${id}`)).body, {
    state: 'TIMEOUT',
    reason: 'no_result',
    message: /did not confirm in time/,
  })
  await w.runTimeouts()
  t.equal((await admin(w, id)).body.state, 'TIMEOUT', 'the job is idempotent')

  const responseUrl = received[0]!.body.response_url
  const late = await w.cpo.call('POST', responseUrl, { result: 'ACCEPTED' })
  t.equal(late.status, 200)
  t.equal(late.body.status_code, 1000)
  t.equal(late.body.data, undefined, 'no data in the acknowledgement')
  t.match((await admin(w, id)).body, { state: 'ACCEPTED', result: 'ACCEPTED' })
  const repeat = await w.cpo.call('POST', responseUrl, { result: 'ACCEPTED' })
  t.equal(repeat.body.status_code, 1000, 'a repeated result is harmless')
  const contrary = await w.cpo.call('POST', responseUrl, { result: 'FAILED' })
  t.equal(contrary.body.status_code, 1000)
  t.equal((await admin(w, id)).body.state, 'ACCEPTED', 'the first result counts')

  await w.pushSession({
    id: 'LATE-1',
    contractId: erika.contractId,
    uid: erika.appTokenUid,
    authorizationReference: received[0]!.body.authorization_reference.toLowerCase(),
  })
  t.match((await erika.app('GET', `/charging/commands/${id}`)).body, { state: 'STARTED', session_id: 'LATE-1' })
  const sessions = (await erika.app('GET', '/sessions')).body.sessions
  t.same(
    sessions.map((s: { id: string }) => s.id),
    ['LATE-1'],
    "the late session is the customer's",
  )
})

t.test('a session arriving after a TIMEOUT without any result still attaches; CommandResult TIMEOUT and failures', async (t) => {
  await startable(w)
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 5, result: null })
  const erika = await w.newCustomer()
  const id = (await start(w, erika)).body.command_id
  w.clock.advance(16_000)
  await w.runTimeouts()
  t.equal((await admin(w, id)).body.state, 'TIMEOUT')
  await w.pushSession({
    id: 'S-2',
    contractId: erika.contractId,
    uid: erika.appTokenUid,
    authorizationReference: received[0]!.body.authorization_reference,
  })
  t.equal((await erika.app('GET', `/charging/commands/${id}`)).body.state, 'STARTED')

  const second = (await start(w, erika)).body.command_id
  await w.cpo.call('POST', received[1]!.body.response_url, { result: 'TIMEOUT' })
  t.match((await erika.app('GET', `/charging/commands/${second}`)).body, { state: 'TIMEOUT', reason: 'charge_point_timeout' })
  const third = (await start(w, erika)).body.command_id
  await w.cpo.call('POST', received[2]!.body.response_url, { result: 'EVSE_OCCUPIED', message: [{ language: 'en', text: 'in use' }] })
  t.match((await erika.app('GET', `/charging/commands/${third}`)).body, {
    state: 'FAILED',
    reason: 'evse_occupied',
    message: /already in use/,
  })
})

t.test('a CommandResult that arrives before the CommandResponse wins; the late response does not undo it', async (t) => {
  await startable(w)
  const erika = await w.newCustomer()
  let posted: { status: number; body: any } | undefined
  // This CPO posts the result (EVSE_OCCUPIED) and only then answers our POST with ACCEPTED.
  w.cpo.on('POST', /\/commands\/START_SESSION$/, async (req) => {
    posted = await w.cpo.call('POST', (req.body as { response_url: string }).response_url, { result: 'EVSE_OCCUPIED' })
    return w.cpo.envelope({ result: 'ACCEPTED', timeout: 30 })
  })
  const res = await start(w, erika)
  t.equal(posted?.body.status_code, 1000, 'the command row existed before we called the CPO')
  t.equal(res.body.state, 'FAILED')
  t.match((await admin(w, res.body.command_id)).body, {
    state: 'FAILED',
    reason: 'evse_occupied',
    response_result: 'ACCEPTED',
    result: 'EVSE_OCCUPIED',
  })
  w.clock.advance(41_000)
  await w.runTimeouts()
  t.equal((await admin(w, res.body.command_id)).body.state, 'FAILED', 'the timeout job leaves a command with a result alone')
})

t.test('CommandResult: unknown commands, the wrong command type or partner are refused with an OCPI error', async (t) => {
  await startable(w)
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await w.newCustomer()
  await start(w, erika)
  const url = received[0]!.body.response_url as string
  const base = w.cpo.endpointOfEmsp('commands')
  t.equal(base, `${w.emsp.url}/ocpi/2.2.1/commands`)

  const unknown = await w.cpo.call('POST', `${base}/START_SESSION/00000000-0000-4000-8000-000000000000`, { result: 'ACCEPTED' })
  t.equal(unknown.status, 404)
  t.equal(unknown.body.status_code, 2001)
  t.equal((await w.cpo.call('POST', `${base}/START_SESSION/garbage`, { result: 'ACCEPTED' })).status, 404)
  const wrongType = await w.cpo.call('POST', url.replace('START_SESSION', 'STOP_SESSION'), { result: 'ACCEPTED' })
  t.equal(wrongType.status, 404)
  const invalid = await w.cpo.call('POST', url, { result: 'MAYBE' })
  t.equal(invalid.body.status_code, 2001)
  t.match(invalid.body.status_message, /result/)

  const { token_a, versions_url } = (await w.emsp.admin('POST', '/partners', { name: 'Other CPO' })).body
  // not NL/XYZ: the hub below reports that party, and a party connected directly cannot be a hub's
  const intruder = await startCpoSimulator(t, { countryCode: 'NL', partyId: 'INT' })
  await intruder.registerWith(versions_url, token_a)
  const foreign = await intruder.call('POST', url, { result: 'FAILED' })
  t.equal(foreign.status, 404, "another partner cannot answer this partner's command")
  t.equal((await w.emsp.admin('GET', `/commands/${url.split('/').pop()}`)).body.result, null)
  t.equal((await w.emsp.ocpi('POST', url.replace(w.emsp.url, ''), { body: { result: 'ACCEPTED' } })).status, 401, 'no token, no answer')
})

t.test('stop: only the customer’s own active session; STOP_SESSION with the OCPI session id; SUCCEEDED on ACCEPTED', async (t) => {
  const erika = await w.newCustomer()
  const max = await w.newCustomer('Max Mustermann')
  await w.pushSession({ id: 'RUN-1', contractId: erika.contractId, uid: erika.appTokenUid, kwh: 12.5 })
  await w.pushSession({ id: 'DONE-1', contractId: erika.contractId, uid: erika.appTokenUid, status: 'COMPLETED' })
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 20, result: null })

  t.equal(
    (await max.app('POST', '/charging/stop', { session_id: 'RUN-1' })).body.code,
    'session_not_found',
    "Max cannot stop Erika's session",
  )
  const ended = await erika.app('POST', '/charging/stop', { session_id: 'DONE-1' })
  t.equal(ended.status, 409)
  t.equal(ended.body.code, 'session_not_active')
  t.equal(received.length, 0)

  const stop = await erika.app('POST', '/charging/stop', { session_id: 'run-1' })
  t.equal(stop.status, 202)
  t.equal(stop.body.state, 'REQUESTED', 'answered at once')
  t.equal(received.length, 0, 'the CPO is called by the partner lane, not by the request')
  await w.sendCommands()
  t.equal((await erika.app('GET', `/charging/commands/${stop.body.command_id}`)).body.state, 'ACCEPTED')
  t.equal(received[0]!.type, 'STOP_SESSION')
  t.same(Object.keys(received[0]!.body).sort(), ['response_url', 'session_id'])
  t.equal(received[0]!.body.session_id, 'RUN-1')
  t.match(received[0]!.body.response_url, /\/ocpi\/2\.2\.1\/commands\/STOP_SESSION\/[0-9a-f-]{36}$/)
  await w.cpo.call('POST', received[0]!.body.response_url, { result: 'ACCEPTED' })
  t.same((await erika.app('GET', `/charging/commands/${stop.body.command_id}`)).body, {
    command_id: stop.body.command_id,
    state: 'SUCCEEDED',
    reason: null,
    message: null,
    session_id: 'RUN-1',
  })
  w.clock.advance(60_000)
  await w.runTimeouts()
  t.equal((await admin(w, stop.body.command_id)).body.state, 'SUCCEEDED', 'a result before the deadline is never overwritten')
})

t.test('a restart while a command is pending: the timeout job survives and the callback still works', async (t) => {
  const database = await freshDatabase(t)
  const w = await startWorld(t, { database })
  await startable(w)
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 60, result: null })
  const erika = await w.newCustomer()
  const first = (await start(w, erika)).body.command_id
  const second = (await start(w, erika)).body.command_id
  await w.emsp.app.close()

  const again = await startTestApp(t, {
    database,
    clock: w.clock,
    env: { APP_JWT_SECRET: 'app-secret-app-secret-app-secret-0123', COMMAND_TIMEOUT_GRACE_S: '10' },
  })
  // The CPO posts to the same path; the new process listens on another port (PUBLIC_URL is stable in production).
  const path = new URL(received[1]!.body.response_url).pathname
  const answered = await w.cpo.call('POST', `${again.url}${path}`, { result: 'ACCEPTED' })
  t.equal(answered.body.status_code, 1000)
  w.clock.advance(71_000)
  t.equal((await again.app.jobs.runDue({ queues: ['commands.timeout'] })) >= 2, true, 'the jobs enqueued before the restart run after it')
  t.match((await again.admin('GET', `/commands/${first}`)).body, { state: 'TIMEOUT', reason: 'no_result' })
  t.match((await again.admin('GET', `/commands/${second}`)).body, { state: 'ACCEPTED', result: 'ACCEPTED' })
})

t.test('through a hub: the command goes to the hub with OCPI-to naming the CPO party; HubClientInfo OFFLINE stops it', async (t) => {
  const erika = await w.newCustomer()
  const { token_a, versions_url } = (
    await w.emsp.admin('POST', '/partners', { name: 'Roaming hub', roles: [{ role: 'HUB', country_code: 'DE', party_id: 'HUB' }] })
  ).body
  const hub = await startCpoSimulator(t, {
    countryCode: 'DE',
    partyId: 'HUB',
    roles: [{ role: 'HUB', country_code: 'DE', party_id: 'HUB', business_details: { name: 'Hub' } }],
  })
  await hub.registerWith(versions_url, token_a)
  // The hub announces the CPO party behind it before acting for it.
  const announced = await hub.call('PUT', `${hub.endpointOfEmsp('hubclientinfo')}/NL/XYZ`, {
    country_code: 'NL',
    party_id: 'XYZ',
    role: 'CPO',
    status: 'CONNECTED',
    last_updated: w.clock.now().toISOString(),
  })
  t.equal(announced.status, 201, JSON.stringify(announced.body))
  const location = { ...(await import('./world.js')).locationExample, country_code: 'NL', party_id: 'XYZ', id: 'HUBLOC' }
  location.evses = location.evses.map((e: Record<string, unknown>) => ({ ...e, capabilities: ['REMOTE_START_STOP_CAPABLE'] }))
  t.equal((await hub.call('PUT', `${hub.endpointOfEmsp('locations')}/NL/XYZ/HUBLOC`, location)).status, 201)
  const received = hub.commandsReceiver({ response: 'ACCEPTED', result: null })
  const direct = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })

  const res = await erika.app('POST', '/charging/start', { location_id: 'HUBLOC', evse_uid: '3256', connector_id: '1' })
  t.equal(res.status, 202)
  await w.sendCommands()
  t.equal(direct.length, 0)
  t.equal(received.length, 1, 'sent to the partner connection that delivered the location')
  t.match(received[0]!.headers, {
    'ocpi-to-country-code': 'NL',
    'ocpi-to-party-id': 'XYZ',
    'ocpi-from-country-code': 'DE',
    'ocpi-from-party-id': 'BMW',
  })
  t.match((await admin(w, res.body.command_id)).body, { country_code: 'NL', party_id: 'XYZ' })

  w.clock.advance(1000)
  await hub.call('PUT', `${hub.endpointOfEmsp('hubclientinfo')}/NL/XYZ`, {
    country_code: 'NL',
    party_id: 'XYZ',
    role: 'CPO',
    status: 'OFFLINE',
    last_updated: w.clock.now().toISOString(),
  })
  const offline = await erika.app('POST', '/charging/start', { location_id: 'HUBLOC', evse_uid: '3256', connector_id: '1' })
  t.match(offline.body, { code: 'operator_unreachable', details: { why: 'partner_offline' } })
  t.equal(received.length, 1)
})

t.end()
