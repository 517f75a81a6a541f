// POST /app/v1/charging/start refusals (each with its stable code and a sentence for the driver),
// the sessions views, the server-sent events stream, and the help-desk commands of the admin API.
import { request } from 'undici'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { execRows } from '../../src/db/client.js'
import { startWorld } from '../ocpi/commands/world.js'

// One world for the file (subtests run one after another, each with its own customers, session ids
// and command receiver). The slow CPO has a world of its own; the unregistered CPO is gone for good,
// so it comes last. `t.end()` below ends the file once they have run, which tears the world down.
const w = await startWorld(t)

t.test('every refusal names its reason; nothing reaches the CPO until all checks pass', async (t) => {
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await w.newCustomer()
  const start = (body: Record<string, unknown>) =>
    erika.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1', ...body })

  const notSupported = await start({})
  t.equal(notSupported.status, 409)
  t.match(notSupported.body, {
    code: 'app_start_not_supported',
    message: /cannot be started from the app.*charging card or the QR code/,
    request_id: String,
  })

  await w.patchEvse('3256', { capabilities: ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE', 'START_SESSION_CONNECTOR_REQUIRED'] })
  t.match((await start({ connector_id: undefined })).body, { code: 'connector_required' }, 'two connectors: the driver must choose')
  t.match((await start({ connector_id: '9' })).body, { code: 'connector_not_found' })
  t.match((await start({ evse_uid: 'NOPE' })).body, { code: 'evse_not_found' })
  t.match((await start({ country_code: 'NL', party_id: 'ABC' })).body, { code: 'evse_not_found' }, 'LOC1 is not a location of NL/ABC')

  await w.patchEvse('3256', { status: 'OUTOFORDER' })
  const broken = await start({})
  t.equal(broken.status, 409)
  t.match(broken.body, { code: 'station_unavailable', message: /out of order or unavailable/, details: { status: 'OUTOFORDER' } })
  await w.patchEvse('3256', { status: 'INOPERATIVE' })
  t.match((await start({})).body, { code: 'station_unavailable' })
  await w.patchEvse('3256', { status: 'CHARGING' })

  // A hub (here the CPO's own connection) reports the party OFFLINE.
  const clientInfo = (status: string) =>
    w.cpo.call('PUT', `${w.cpo.endpointOfEmsp('hubclientinfo')}/BE/BEC`, {
      country_code: 'BE',
      party_id: 'BEC',
      role: 'CPO',
      status,
      last_updated: w.clock.now().toISOString(),
    })
  await clientInfo('OFFLINE')
  const offline = await start({})
  t.equal(offline.status, 503)
  t.match(offline.body, { code: 'operator_unreachable', message: /operator cannot be reached/, details: { why: 'partner_offline' } })

  w.clock.advance(1000)
  await clientInfo('CONNECTED')
  await w.emsp.admin('PATCH', `/contracts/${erika.contractId}`, { no_credit: true })
  const noCredit = await start({})
  t.equal(noCredit.status, 403)
  t.match(noCredit.body, { code: 'contract_not_active', message: /payment details/ })
  t.equal(received.length, 0, 'no command was sent for any refusal')

  await w.emsp.admin('PATCH', `/contracts/${erika.contractId}`, { no_credit: false })
  const ok = await start({})
  t.equal(ok.status, 202, 'CHARGING may be stale: the CPO decides')
  await w.sendCommands()
  t.equal(received.length, 1)

  await w.emsp.admin('PATCH', `/contracts/${erika.contractId}`, { state: 'terminated' })
  t.match((await start({})).body, { code: 'app_token_invalid' }, 'terminating blocks the app token')

  const stranger = await w.emsp.admin('POST', '/app-tokens', { customer_id: '00000000-0000-4000-8000-000000000000' })
  const unknown = await w.emsp.ocpi('POST', '/app/v1/charging/start', {
    headers: { authorization: `Bearer ${stranger.body.token}` },
    body: { location_id: 'LOC1', evse_uid: '3256' },
  })
  t.equal(unknown.status, 401, 'a token whose subject is no customer is refused at the door')
  t.equal((await w.emsp.ocpi('POST', '/app/v1/charging/start', { body: { location_id: 'LOC1', evse_uid: '3256' } })).status, 401)
  t.equal((await erika.app('POST', '/charging/start', { evse_uid: '3256' })).body.code, 'invalid_request')
})

t.test('sessions: energy, duration and status of the customer’s own sessions, newest first', async (t) => {
  const erika = await w.newCustomer()
  const max = await w.newCustomer('Max Mustermann')
  await w.pushSession({
    id: 'OLD',
    contractId: erika.contractId,
    uid: erika.appTokenUid,
    status: 'ACTIVE',
    kwh: 3.1,
    start: '2026-11-20T09:00:00Z',
  })
  await w.pushSession({
    id: 'NEW',
    contractId: erika.contractId,
    uid: erika.appTokenUid,
    status: 'ACTIVE',
    kwh: 0.1234,
    start: '2026-11-20T09:59:30Z',
  })
  await w.pushSession({ id: 'MAXS', contractId: max.contractId, uid: max.appTokenUid })
  const list = (await erika.app('GET', '/sessions')).body.sessions
  t.same(
    list.map((s: { id: string }) => s.id),
    ['NEW', 'OLD'],
  )
  // The world clock stands at 10:00:0x; durations are counted to it while ACTIVE.
  const now = w.clock.now().getTime()
  t.match(list[1], {
    id: 'OLD',
    status: 'ACTIVE',
    kwh: '3.1',
    country_code: 'BE',
    party_id: 'BEC',
    location_id: 'LOC1',
    evse_uid: '3256',
    connector_id: '1',
    end_date_time: null,
    currency: 'EUR',
  })
  t.equal(list[1].duration_s, Math.floor((now - Date.parse('2026-11-20T09:00:00Z')) / 1000))
  t.equal(list[0].kwh, '0.1234', 'decimal string, not a float')
  const one = (await erika.app('GET', '/sessions/new')).body
  t.equal(one.id, 'NEW')
  // Rating's live estimate, by hand from the German price list (seed 003), Belgium AC: 0.42 EUR/kWh
  // + 0.59 EUR session fee (no blocking fee before 300 min): 0.1234 × 0.42 + 0.59 = 0.641828 → 0.64;
  // 3.1 × 0.42 + 0.59 = 1.892 → 1.89.
  t.same(one.live_cost, { estimate: true, total: '0.64', currency: 'EUR', rule: 'fixed_price', reason: null })
  t.same(
    list.map((x: { live_cost: { total: string } }) => x.live_cost.total),
    ['0.64', '1.89'],
  )
  t.equal((await erika.app('GET', '/sessions/MAXS')).status, 404, "Max's session is not Erika's")
})

t.test('server-sent events follow a command until it settles', async (t) => {
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await w.newCustomer()
  const id = (await erika.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })).body.command_id
  await w.sendCommands()
  const res = await request(`${w.emsp.url}/app/v1/charging/commands/${id}/events`, { headers: { authorization: `Bearer ${erika.jwt}` } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/event-stream/)
  setTimeout(() => void w.cpo.call('POST', received[0]!.body.response_url, { result: 'EVSE_INOPERATIVE' }), 100)
  const text = await res.body.text()
  const events = [...text.matchAll(/event: state\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!))
  t.same(
    events.map((e) => e.state),
    ['ACCEPTED', 'FAILED'],
  )
  t.match(events[1], { command_id: id, reason: 'station_unavailable' })
})

t.test('admin: help-desk commands RESERVE_NOW, CANCEL_RESERVATION, UNLOCK_CONNECTOR', async (t) => {
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 15, result: null })
  const erika = await w.newCustomer()

  const reserve = await w.emsp.admin('POST', '/commands', {
    type: 'RESERVE_NOW',
    location_id: 'LOC1',
    evse_uid: '3257',
    contract_id: erika.contractId,
    reservation_id: 'R-1',
    expiry_date: '2026-11-20T11:00:00Z',
  })
  t.equal(reserve.status, 202)
  t.match(
    reserve.body,
    { type: 'RESERVE_NOW', state: 'REQUESTED', origin: 'admin', reservation_id: 'R-1', evse_uid: '3257' },
    'answered before the CPO is called',
  )
  await w.sendCommands()
  t.match((await w.emsp.admin('GET', `/commands/${reserve.body.command_id}`)).body, { state: 'ACCEPTED', response_timeout_s: 15 })
  t.match(received[0], {
    type: 'RESERVE_NOW',
    body: {
      reservation_id: 'R-1',
      expiry_date: '2026-11-20T11:00:00Z',
      location_id: 'LOC1',
      evse_uid: '3257',
      token: { uid: erika.appTokenUid, type: 'APP_USER' },
      authorization_reference: String,
    },
  })
  await w.cpo.call('POST', received[0]!.body.response_url, { result: 'ACCEPTED' })
  t.equal((await w.emsp.admin('GET', `/commands/${reserve.body.command_id}`)).body.state, 'SUCCEEDED')
  // The CPO cancels the reservation itself later, on the same response_url (OCPI notes §11.1 step 6).
  await w.cpo.call('POST', received[0]!.body.response_url, { result: 'CANCELED_RESERVATION' })
  t.match((await w.emsp.admin('GET', `/commands/${reserve.body.command_id}`)).body, {
    state: 'CANCELED',
    reason: 'reservation_canceled',
    result: 'CANCELED_RESERVATION',
  })

  const cancel = await w.emsp.admin('POST', '/commands', { type: 'CANCEL_RESERVATION', reservation_id: 'R-1' })
  t.equal(cancel.status, 202)
  await w.sendCommands()
  t.same(received[1]!.body, { response_url: received[1]!.body.response_url, reservation_id: 'R-1' })
  t.match((await w.emsp.admin('POST', '/commands', { type: 'CANCEL_RESERVATION', reservation_id: 'R-404' })).body, {
    code: 'reservation_not_found',
  })

  const unlock = await w.emsp.admin('POST', '/commands', {
    type: 'UNLOCK_CONNECTOR',
    location_id: 'LOC1',
    evse_uid: '3256',
    connector_id: '2',
  })
  t.equal(unlock.status, 202)
  await w.sendCommands()
  t.same({ ...received[2]!.body, response_url: 'x' }, { response_url: 'x', location_id: 'LOC1', evse_uid: '3256', connector_id: '2' })
  t.equal(
    (await w.emsp.admin('POST', '/commands', { type: 'UNLOCK_CONNECTOR', location_id: 'LOC1', evse_uid: '3256', connector_id: '7' })).body
      .code,
    'connector_not_found',
  )
  t.equal(
    (await w.emsp.admin('POST', '/commands', { type: 'START_SESSION', location_id: 'LOC1' })).status,
    400,
    'drivers start sessions, the help desk does not',
  )
  t.equal((await erika.app('POST', '/charging/unlock', {})).status, 404, 'no unlock for drivers')
  t.equal((await w.emsp.admin('GET', '/commands/00000000-0000-4000-8000-000000000000')).body.code, 'command_not_found')
})

t.test('a CPO answering after 10 s: Start answers at once with the command REQUESTED; the send times out and is tried again', async (t) => {
  // Its own world, whose sends give up after 500 ms (3 s by default): the test waits for one to time out.
  const w = await startWorld(t, { env: { OCPI_COMMAND_TIMEOUT_MS: '500' } })
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null, responseDelayMs: 10_000 })
  const erika = await w.newCustomer()
  const res = await erika.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })
  t.equal(res.status, 202)
  t.equal(res.body.state, 'REQUESTED', 'the answer does not wait for the CPO')
  t.equal(received.length, 0, 'the request itself never calls the CPO')
  t.equal(
    (await erika.app('GET', `/charging/commands/${res.body.command_id}`)).body.state,
    'REQUESTED',
    'the app follows the pending command',
  )

  // The partner lane sends it; the call out is bounded by OCPI_COMMAND_TIMEOUT_MS (500 ms here), not the CPO's 10 s.
  t.equal(await w.sendCommands(), 1)
  t.equal(received.length, 1)
  t.equal((await erika.app('GET', `/charging/commands/${res.body.command_id}`)).body.state, 'REQUESTED', 'not answered: still pending')
  const [job] = await execRows<{ state: string; last_error: string }>(
    w.emsp.database.db,
    sql`select state, last_error from jobs where queue = 'commands.send' and payload->>'commandId' = ${res.body.command_id}`,
  )
  t.match(job, { state: 'pending', last_error: /timeout/ }, 'the send timed out and will be tried again')
})

t.test('an unregistered CPO is not reachable', async (t) => {
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const erika = await w.newCustomer()
  await w.cpo.unregisterWith()
  const res = await erika.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })
  t.equal(res.status, 503)
  t.match(res.body, { code: 'operator_unreachable', details: { why: 'partner_unregistered' } })
})

t.end()
