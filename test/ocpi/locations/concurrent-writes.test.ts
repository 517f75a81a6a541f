// Ordering under concurrency: a Location PUT whose statement snapshot cannot see a write committed
// while it waits for a row lock (a newer EVSE write; an older PUT of the same Location) still ends at
// the newest state. Each test holds the other write open in a transaction, sends the PUT, checks that
// it waits, then commits. Needs two connections on one server, so it runs on PostgreSQL only (PGlite
// has one connection).
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql, type SQL } from 'drizzle-orm'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const skip = process.env.DATABASE_URL ? false : 'needs Postgres: run with DATABASE_URL=postgres://… (two connections interleave)'
const example = JSON.parse(readFileSync(new URL('../../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))
const at = (day: number) => `2021-01-0${day}T00:00:00Z`
type Answer = { status: number; body: any }

const setUp = async (t: { teardown(fn: () => unknown): void; notOk(value: unknown, message: string): void }) => {
  const emsp = await startTestApp(t)
  const { token_a, versions_url, id: partnerId } = (await emsp.admin('POST', '/partners', { name: 'CPO' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const loc = `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`
  /** Runs `writes` in a transaction, sends `body` as a PUT while it is open, commits, answers the PUT. */
  const putWhileOpen = async (writes: SQL[], body: unknown, waitsFor: string): Promise<Answer> => {
    let put: Promise<Answer> | undefined
    let settled = false
    await emsp.database.db.transaction(async (tx) => {
      for (const write of writes) await tx.execute(write)
      put = cpo.call('PUT', loc, body)
      put.then(
        () => {
          settled = true
        },
        () => {
          settled = true
        },
      )
      await sleep(300)
      t.notOk(settled, `the PUT waits for ${waitsFor}`)
    })
    return put!
  }
  const held = async () => {
    const location = (await cpo.call('GET', loc)).body.data
    return { location, evse: (uid: string) => location.evses.find((e: { uid: string }) => e.uid === uid) }
  }
  return { cpo, loc, partnerId, putWhileOpen, held }
}

const setEvse = (
  uid: string,
  status: string,
  lastUpdated: string,
) => sql`update evses set status = ${status}, last_updated = ${lastUpdated}::timestamptz,
  object = object || jsonb_build_object('status', ${status}::text, 'last_updated', ${lastUpdated}::text)
  where country_code = 'BE' and party_id = 'BEC' and location_id = 'LOC1' and uid = ${uid}`

t.test('a PUT waiting on a newer, concurrent EVSE write leaves that EVSE as the newer write made it', { skip }, async (t) => {
  const { cpo, loc, putWhileOpen, held } = await setUp(t)
  t.equal((await cpo.call('PUT', loc, { ...example, last_updated: at(1) })).status, 201)
  // Another writer (as a concurrent EVSE PATCH would) holds EVSE 3256 at a newer last_updated. The PUT is older
  // than that write, newer than everything committed: its guard passes, then it waits on the EVSE row.
  const evses = example.evses.map((e: Record<string, unknown>) => ({ ...e, status: 'OUTOFORDER', last_updated: at(3) }))
  const answer = await putWhileOpen(
    [setEvse('3256', 'CHARGING', at(5))],
    { ...example, name: 'Renamed', evses, last_updated: at(3) },
    'the EVSE row lock',
  )
  t.equal(answer.body.status_code, 1000)
  const { location, evse } = await held()
  t.equal(location.name, 'Renamed', 'the PUT was applied')
  t.equal(evse('3256').status, 'CHARGING', 'the newer concurrent write kept its EVSE')
  t.equal(evse('3256').last_updated, at(5))
  t.equal(evse('3257').status, 'OUTOFORDER', 'the other EVSE took the PUT')
  t.equal(location.last_updated, at(5), 'the Location serves its newest last_updated')
})

t.test('a PUT waiting on a concurrent, older PUT of the same Location ends with exactly its own EVSEs', { skip }, async (t) => {
  const { cpo, loc, putWhileOpen, held } = await setUp(t)
  t.equal((await cpo.call('PUT', loc, { ...example, last_updated: at(1) })).status, 201)
  // The older PUT (day 2) holds the Location row, has added EVSE Z and changed EVSE 3257. The newer PUT (day 3)
  // lists the EVSEs as they were before: its statement's snapshot shows them so.
  const {
    connectors: [connector],
    ...z
  } = { ...example.evses[0], uid: 'Z', evse_id: 'BE*BEC*E041503009', status: 'AVAILABLE', last_updated: at(2) }
  const olderPut = [
    sql`update locations set last_updated = ${at(2)}::timestamptz, object = object || jsonb_build_object('name', 'Older', 'last_updated', ${at(2)}::text)
      where country_code = 'BE' and party_id = 'BEC' and id = 'LOC1'`,
    sql`insert into evses (country_code, party_id, location_id, uid, status, capabilities, last_updated, object)
      values ('BE', 'BEC', 'LOC1', 'Z', 'AVAILABLE', '{}', ${at(2)}::timestamptz, ${JSON.stringify(z)}::jsonb)`,
    sql`insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, last_updated, object)
      values ('BE', 'BEC', 'LOC1', 'Z', '1', 'AC_3_PHASE', 'IEC_62196_T2', 10560, ${connector.last_updated}::timestamptz, ${JSON.stringify(connector)}::jsonb)`,
    setEvse('3257', 'OUTOFORDER', at(2)),
  ]
  const answer = await putWhileOpen(olderPut, { ...example, name: 'Newer', last_updated: at(3) }, 'the Location row')
  t.equal(answer.body.status_code, 1000)
  const { location, evse } = await held()
  t.equal(location.name, 'Newer')
  t.equal(location.last_updated, at(3))
  t.equal(evse('Z')?.status, 'REMOVED', 'the EVSE only the older PUT listed is retired')
  t.equal(evse('3257')?.status, 'RESERVED', 'EVSE 3257 is as the newer PUT lists it')
  t.equal(evse('3256')?.status, 'AVAILABLE')
})

t.test('two first PUTs of a new Location: the newer one, waiting on the other, is stored', { skip }, async (t) => {
  const { partnerId, putWhileOpen, held } = await setUp(t)
  // The older first PUT, not yet committed: the row exists, but no snapshot taken before its commit sees it.
  const { evses: _, ...older } = { ...example, name: 'Older', last_updated: at(2) }
  const insert = sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
    values ('BE', 'BEC', 'LOC1', ${partnerId}, true, 51.047599, 3.729944, ${at(2)}::timestamptz, ${JSON.stringify(older)}::jsonb)`
  const answer = await putWhileOpen([insert], { ...example, name: 'Newer', last_updated: at(3) }, 'the other insert')
  t.equal(answer.body.status_code, 1000)
  t.equal(answer.status, 200, 'an update of the Location the other PUT created')
  const { location } = await held()
  t.equal(location.name, 'Newer')
  t.same(
    location.evses.map((e: { uid: string }) => e.uid),
    ['3256', '3257'],
  )
})
