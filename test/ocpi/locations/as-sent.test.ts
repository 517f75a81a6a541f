// Every id and value leaves exactly as the CPO sent it, in the order it sent it: the Locations
// Receiver's GET, the app's map, and the commands we send back to the CPO. Look-ups ignore case
// (CiString). One world: the eMSP, the BE/BEC CPO simulator, a customer.
import t from 'tap'
import { locationExample, startWorld } from '../commands/world.js'

const until = async <T>(read: () => T, done: (v: T) => boolean, what: string): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const v = read()
    if (done(v)) return v
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const connector = (id: string, lastUpdated: string) => ({ ...locationExample.evses[0].connectors[0], id, last_updated: lastUpdated })
const evse = (uid: string, connectorIds: string[], lastUpdated: string) => ({
  ...locationExample.evses[0],
  uid,
  evse_id: `BE*BEC*E${uid.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
  status: 'AVAILABLE',
  capabilities: ['REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE'],
  connectors: connectorIds.map((id) => connector(id, lastUpdated)),
  last_updated: lastUpdated,
})
/** Ids in mixed case, EVSEs and connectors not in id order, coordinates with 5 decimals. */
const mixed = (lastUpdated: string, evses = [evse('evse-b', ['c2', 'C1'], lastUpdated), evse('EVSE-A', ['1'], lastUpdated)]) => ({
  ...locationExample,
  id: 'Loc-Mixed-1',
  name: 'Mixed case',
  coordinates: { latitude: '51.04760', longitude: '3.72994' },
  evses,
  last_updated: lastUpdated,
})

t.test('ids, coordinates and order as the CPO sent them', async (t) => {
  const w = await startWorld(t)
  const locations = w.cpo.endpointOfEmsp('locations')
  const put = await w.cpo.call('PUT', `${locations}/BE/BEC/Loc-Mixed-1`, mixed('2026-11-01T00:00:00Z'))
  t.equal(put.status, 201, JSON.stringify(put.body))
  const erika = await w.newCustomer()
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', timeout: 30, result: null })
  const ids = (l: { evses: { uid: string; connectors: { id: string }[] }[] }) =>
    l.evses.map((e) => `${e.uid}:${e.connectors.map((c) => c.id).join(',')}`)

  t.test('the Receiver GET serves the tree in the CPO order, found whatever the case of the URL', async (t) => {
    const got = await w.cpo.call('GET', `${locations}/be/bec/LOC-MIXED-1`)
    t.equal(got.status, 200)
    t.equal(got.body.data.id, 'Loc-Mixed-1')
    t.same(ids(got.body.data), ['evse-b:c2,C1', 'EVSE-A:1'])
    t.same(got.body.data.coordinates, { latitude: '51.04760', longitude: '3.72994' })
    t.equal((await w.cpo.call('GET', `${locations}/BE/BEC/loc-mixed-1/EVSE-B`)).body.data.uid, 'evse-b')
    t.equal((await w.cpo.call('GET', `${locations}/BE/BEC/loc-mixed-1/EVSE-B/c1`)).body.data.id, 'C1')
  })

  t.test('new children go last, a reordered PUT reorders, a removed EVSE follows the listed ones', async (t) => {
    t.equal((await w.cpo.call('PUT', `${locations}/BE/BEC/Loc-Mixed-1/evse-0`, evse('evse-0', ['x'], '2026-11-02T00:00:00Z'))).status, 201)
    t.equal((await w.cpo.call('PUT', `${locations}/BE/BEC/Loc-Mixed-1/evse-b/c0`, connector('c0', '2026-11-03T00:00:00Z'))).status, 201)
    t.same(ids((await w.cpo.call('GET', `${locations}/BE/BEC/Loc-Mixed-1`)).body.data), ['evse-b:c2,C1,c0', 'EVSE-A:1', 'evse-0:x'])
    const at = '2026-11-04T00:00:00Z'
    const reordered = await w.cpo.call(
      'PUT',
      `${locations}/BE/BEC/Loc-Mixed-1`,
      mixed(at, [evse('EVSE-A', ['1'], at), evse('evse-b', ['C1', 'c2'], at)]),
    )
    t.equal(reordered.body.status_code, 1000, reordered.body.status_message)
    const after = (await w.cpo.call('GET', `${locations}/BE/BEC/Loc-Mixed-1`)).body.data
    t.same(ids(after), ['EVSE-A:1', 'evse-b:C1,c2', 'evse-0:x'])
    t.same(
      after.evses.map((e: { status: string }) => e.status),
      ['AVAILABLE', 'AVAILABLE', 'REMOVED'],
    )
    const patched = await w.cpo.call('PATCH', `${locations}/BE/BEC/Loc-Mixed-1/evse-b`, {
      connectors: [connector('c2', at), connector('C1', at)],
      last_updated: '2026-11-05T00:00:00Z',
    })
    t.equal(patched.body.status_code, 1000, patched.body.status_message)
    t.same(ids((await w.cpo.call('GET', `${locations}/BE/BEC/Loc-Mixed-1`)).body.data), ['EVSE-A:1', 'evse-b:c2,C1', 'evse-0:x'])
  })

  t.test('the app map shows ids, coordinates and order as sent', async (t) => {
    const map = await erika.app('GET', '/locations?lat=51.0476&lon=3.72994&radius_m=500')
    const mine = map.body.locations.find((l: { name: string }) => l.name === 'Mixed case')
    t.ok(mine, JSON.stringify(map.body))
    t.match(mine, { country_code: 'BE', party_id: 'BEC', id: 'Loc-Mixed-1', latitude: '51.04760', longitude: '3.72994' })
    t.same(ids(mine), ['EVSE-A:1', 'evse-b:c2,C1'], 'REMOVED evse-0 left out; connectors in the CPO order')
  })

  t.test('START_SESSION and STOP_SESSION carry the CPO ids as stored, whatever case the app used', async (t) => {
    const start = await erika.app('POST', '/charging/start', { location_id: 'LOC-MIXED-1', evse_uid: 'EVSE-B', connector_id: 'C2' })
    t.equal(start.status, 202, JSON.stringify(start.body))
    await w.sendCommands()
    const [sent] = await until(
      () => received.filter((r) => r.type === 'START_SESSION'),
      (l) => l.length === 1,
      'START_SESSION',
    )
    t.match(sent!.body, { location_id: 'Loc-Mixed-1', evse_uid: 'evse-b', connector_id: 'c2' })

    const session = await w.pushSession({ id: 'sess-lower-1', contractId: erika.contractId, uid: erika.appTokenUid })
    t.equal(session.status, 201)
    t.equal((await erika.app('GET', '/sessions/SESS-LOWER-1')).body.id, 'sess-lower-1', 'the app shows the session id as sent')
    const stop = await erika.app('POST', '/charging/stop', { session_id: 'SESS-LOWER-1' })
    t.equal(stop.status, 202, JSON.stringify(stop.body))
    await w.sendCommands()
    const [stopped] = await until(
      () => received.filter((r) => r.type === 'STOP_SESSION'),
      (l) => l.length === 1,
      'STOP_SESSION',
    )
    t.equal(stopped!.body.session_id, 'sess-lower-1')
  })

  t.test('help desk: UNLOCK_CONNECTOR, RESERVE_NOW and CANCEL_RESERVATION send the ids as stored', async (t) => {
    const unlock = await w.emsp.admin('POST', '/commands', {
      type: 'UNLOCK_CONNECTOR',
      location_id: 'loc-mixed-1',
      evse_uid: 'EVSE-B',
      connector_id: 'c1',
    })
    t.equal(unlock.status, 202, JSON.stringify(unlock.body))
    t.match(unlock.body, { location_id: 'Loc-Mixed-1', evse_uid: 'evse-b', connector_id: 'C1' })
    await w.sendCommands()
    t.match(received.find((r) => r.type === 'UNLOCK_CONNECTOR')!.body, {
      location_id: 'Loc-Mixed-1',
      evse_uid: 'evse-b',
      connector_id: 'C1',
    })

    const reserve = await w.emsp.admin('POST', '/commands', {
      type: 'RESERVE_NOW',
      location_id: 'LOC-MIXED-1',
      evse_uid: 'evse-B',
      contract_id: erika.contractId,
      reservation_id: 'Res-1',
      expiry_date: '2026-11-20T11:00:00Z',
    })
    t.equal(reserve.status, 202, JSON.stringify(reserve.body))
    await w.sendCommands()
    t.match(received.find((r) => r.type === 'RESERVE_NOW')!.body, {
      location_id: 'Loc-Mixed-1',
      evse_uid: 'evse-b',
      reservation_id: 'Res-1',
    })
    const cancel = await w.emsp.admin('POST', '/commands', { type: 'CANCEL_RESERVATION', reservation_id: 'RES-1' })
    t.equal(cancel.status, 202, JSON.stringify(cancel.body))
    await w.sendCommands()
    t.equal(received.find((r) => r.type === 'CANCEL_RESERVATION')!.body.reservation_id, 'Res-1', 'as the RESERVE_NOW sent it')
  })
})
