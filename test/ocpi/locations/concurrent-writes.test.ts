// Ordering under concurrency: a Location PUT whose statement snapshot cannot see a newer EVSE write
// (committed while the PUT waits for the EVSE's row lock) must not overwrite it. Needs two connections
// on one server, so it runs on PostgreSQL only (PGlite has one connection).
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const skip = process.env.DATABASE_URL ? false : 'needs Postgres: run with DATABASE_URL=postgres://… (two connections interleave)'
const example = JSON.parse(readFileSync(new URL('../../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))

t.test('a PUT waiting on a newer, concurrent EVSE write leaves that EVSE as the newer write made it', { skip }, async (t) => {
  const emsp = await startTestApp(t)
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'CPO' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const loc = `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`
  const at = (day: number) => `2021-01-0${day}T00:00:00Z`
  t.equal((await cpo.call('PUT', loc, { ...example, last_updated: at(1) })).status, 201)

  // Another writer (as a concurrent EVSE PATCH would) holds EVSE 3256 at a newer last_updated, not yet committed.
  let put: Promise<{ status: number; body: any }> | undefined
  let putSettled = false
  await emsp.database.db.transaction(async (tx) => {
    await tx.execute(sql`update evses set status = 'CHARGING', last_updated = ${at(5)}::timestamptz,
      object = object || jsonb_build_object('status', 'CHARGING', 'last_updated', ${at(5)}::text)
      where country_code = 'BE' and party_id = 'BEC' and location_id = 'LOC1' and uid = '3256'`)
    // Older than that write, newer than everything committed: the PUT's guard passes, then it waits on the row.
    const evses = example.evses.map((e: Record<string, unknown>) => ({ ...e, status: 'OUTOFORDER', last_updated: at(3) }))
    put = cpo.call('PUT', loc, { ...example, name: 'Renamed', evses, last_updated: at(3) })
    put.then(() => { putSettled = true }, () => { putSettled = true })
    await sleep(300)
    t.notOk(putSettled, 'the PUT waits for the EVSE row lock')
  })
  const answer = await put!
  t.equal(answer.body.status_code, 1000)
  const held = (await cpo.call('GET', loc)).body.data
  t.equal(held.name, 'Renamed', 'the PUT was applied')
  const evse = (uid: string) => held.evses.find((e: { uid: string }) => e.uid === uid)
  t.equal(evse('3256').status, 'CHARGING', 'the newer concurrent write kept its EVSE')
  t.equal(evse('3256').last_updated, at(5))
  t.equal(evse('3257').status, 'OUTOFORDER', 'the other EVSE took the PUT')
  t.equal(held.last_updated, at(5), 'the Location serves its newest last_updated')
})
