// Issue 19: reads never write. A GET of a command (or its stream) leaves the database as it was;
// the START_SESSION becomes STARTED in the write of the session that carries its reference, and that
// change is pushed to the app's stream.
import { sql } from 'drizzle-orm'
import { request } from 'undici'
import t from 'tap'
import { execRows } from '../../../src/db/client.js'
import { startWorld } from './world.js'

t.test('a GET changes nothing; the session PUT moves the command to STARTED and the stream is told', async (t) => {
  const w = await startWorld(t)
  const db = w.emsp.database.db
  /** Every row of the tables a command read could touch. */
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        ['commands', 'sessions', 'jobs'].map((table) => execRows(db, sql`select * from ${sql.identifier(table)} order by 1`)),
      ),
    )
  const commandRow = async (id: string) =>
    (await execRows<{ state: string; session_id: string | null }>(db, sql`select state, session_id from commands where id = ${id}`))[0]!

  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const received = w.cpo.commandsReceiver({ response: 'ACCEPTED', result: null })
  const erika = await w.newCustomer()
  const id = (await erika.app('POST', '/charging/start', { location_id: 'LOC1', evse_uid: '3256', connector_id: '1' })).body
    .command_id as string
  await w.sendCommands() // the partner lane's send job POSTs it to the CPO
  await w.cpo.call('POST', received[0]!.body.response_url, { result: 'ACCEPTED' })
  const reference = received[0]!.body.authorization_reference as string

  const before = await snapshot()
  t.equal((await erika.app('GET', `/charging/commands/${id}`)).body.state, 'ACCEPTED')
  t.equal(await snapshot(), before, 'GET /charging/commands/{id} wrote nothing')

  // A stream is open when the session arrives: the PUT moves the command, the stream hears it.
  const stream = await request(`${w.emsp.url}/app/v1/charging/commands/${id}/events`, { headers: { authorization: `Bearer ${erika.jwt}` } })
  t.equal(stream.statusCode, 200)
  t.equal(await snapshot(), before, 'opening the stream wrote nothing')
  t.equal(
    (await w.pushSession({ id: 'S-READS', contractId: erika.contractId, uid: erika.appTokenUid, authorizationReference: reference }))
      .status,
    201,
  )
  t.same(await commandRow(id), { state: 'STARTED', session_id: 'S-READS' }, 'STARTED by the session write, before anyone read it')
  const events = [...(await stream.body.text()).matchAll(/event: state\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!))
  t.same(
    events.map((e) => e.state),
    ['ACCEPTED', 'STARTED'],
    'pushed to the stream, which then ends',
  )
  t.equal(events[1].session_id, 'S-READS')

  const started = await snapshot()
  t.equal((await erika.app('GET', `/charging/commands/${id}`)).body.state, 'STARTED')
  t.equal((await w.emsp.admin('GET', `/commands/${id}`)).body.state, 'STARTED')
  t.equal(await snapshot(), started, 'reading a STARTED command wrote nothing either')
})
