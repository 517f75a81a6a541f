// The map summary (`location_maps`, issue 20.3) is kept by every write of a location, its EVSEs and its
// connectors: after each write path the stored summaries equal the ones computed from the tables, and
// the map's answer equals, byte for byte, the answer the map wrote from the tables before the summary
// (its former statement, kept below as the reference), for every filter, reachable or not.
import { setTimeout as sleep } from 'node:timers/promises'
import { sql, type SQL } from 'drizzle-orm'
import t from 'tap'
import { createAppLocationQueries, type AppEvseFilter, type MapKey } from '../../src/charging/index.js'
import { execRows, type Db } from '../../src/db/client.js'
import { mapSummaryUpsert } from '../../src/ocpi/locations/index.js'
import { patchEvseFields } from '../../src/ocpi/locations/locations.repository.js'
import { createLocationsService } from '../../src/ocpi/locations/locations.service.js'
import { fixedClock } from '../../src/platform/clock.js'
import { silentLogger } from '../helpers/logger.js'
import { locationExample, startWorld } from '../ocpi/commands/world.js'

/** The map's answer as it was written from the tables (EVSE and connector probes), before the summary. */
const answerFromTables = (filter: AppEvseFilter, keys: SQL) => {
  const evseCondition = sql`e.status ${filter.available ? sql`= 'AVAILABLE'` : sql`<> 'REMOVED'`}${filter.start ? sql` and e.capabilities @> array['REMOTE_START_STOP_CAPABLE']` : sql``}`
  const kw = (watts: SQL) => sql`trim_scale(${watts} / 1000.0)::text`
  return sql`with k as materialized (
      select * from jsonb_to_recordset(${keys}::text::jsonb) as k(country_code text, party_id text, id text, ord int, distance_m int, shown boolean, reachable boolean, why text)
    ), ev as (
      select k.ord, k.shown, json_agg(json_build_object(
          'uid', e.object->>'uid', 'evse_id', e.object->>'evse_id', 'status', e.status,
          'status_updated_at', to_char(e.last_updated at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'power_type', c.power_type, 'max_power_kw', ${kw(sql`c.max_power_w`)}, 'connectors', coalesce(c.list, '[]'::json),
          'capabilities', to_json(e.capabilities), 'app_start', k.reachable and e.capabilities @> array['REMOTE_START_STOP_CAPABLE'])
        order by e.position, e.uid) filter (where k.shown) as evses
      from k join evses e on e.country_code = k.country_code and e.party_id = k.party_id and e.location_id = k.id and ${evseCondition}
      left join lateral (
        select json_agg(json_build_object('id', c.object->>'id', 'standard', c.standard, 'power_type', c.power_type, 'max_power_kw', ${kw(sql`c.max_power_w`)})
            order by c.position, c.id) as list,
          (array_agg(c.power_type order by c.max_power_w desc, c.position, c.id))[1] as power_type, max(c.max_power_w) as max_power_w
        from connectors c
        where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id and c.evse_uid = e.uid and c.present
      ) c on k.shown
      group by k.ord, k.shown
    )
    select (select count(*) from ev)::int as counted,
      coalesce((select json_agg(json_build_object(
          'country_code', l.object->>'country_code', 'party_id', l.object->>'party_id', 'id', l.object->>'id',
          'name', l.object->>'name', 'address', l.object->>'address', 'city', l.object->>'city',
          'latitude', l.object->'coordinates'->>'latitude', 'longitude', l.object->'coordinates'->>'longitude',
          'distance_m', k.distance_m, 'operator', json_build_object('name', l.object->'operator'->>'name'),
          'operator_reachable', k.reachable, 'offline_reason', k.why, 'evses', ev.evses) order by k.ord)
        from ev join k on k.ord = ev.ord
        join locations l on l.country_code = k.country_code and l.party_id = k.party_id and l.id = k.id
        where ev.shown), '[]'::json)::text as locations`
}

const FILTERS: AppEvseFilter[] = [{}, { available: true }, { start: true }, { available: true, start: true }]

const summaries = (db: Db) =>
  execRows<Record<string, unknown>>(
    db,
    sql`select country_code, party_id, id, partner_id, visible, latitude, longitude, evse_uids, evses::text as evses,
        has_evse, has_removed, has_available, has_start, has_available_start
      from location_maps order by country_code, party_id, id`,
  )

/** The stored summaries equal the tables' and the map answers as the tables say, for every filter and reachability. */
const holds = async (
  t: { same(a: unknown, b: unknown, m: string): void; equal(a: unknown, b: unknown, m: string): void },
  db: Db,
  after: string,
) => {
  const kept = await summaries(db)
  await db.execute(mapSummaryUpsert(sql`true`))
  t.same(kept, await summaries(db), `${after}: the kept summaries are the tables'`)
  const [{ n } = { n: -1 }] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from locations`)
  t.equal(kept.length, n, `${after}: one summary per location`)
  const rows = await execRows<{ country_code: string; party_id: string; id: string }>(
    db,
    sql`select country_code, party_id, id from locations order by country_code, party_id, id`,
  )
  const queries = createAppLocationQueries(db)
  for (const reachable of [true, false]) {
    const keys: MapKey[] = rows.map((r, i) => ({
      ...r,
      ord: i + 1,
      distance_m: i * 10,
      shown: i !== 1,
      reachable,
      why: reachable ? null : 'partner_offline',
    }))
    for (const filter of FILTERS) {
      const [fromTables] = await execRows<{ counted: number; locations: string }>(
        db,
        answerFromTables(filter, sql`${JSON.stringify(keys)}`),
      )
      t.same(
        await queries.mapAnswer(keys, filter),
        fromTables,
        `${after}: the map answer with ${JSON.stringify(filter)}, ${reachable ? 'reachable' : 'unreachable'}, is the tables'`,
      )
    }
  }
}

t.test('every write path keeps the map summary: the map answers what the tables say', async (t) => {
  const w = await startWorld(t)
  const db = w.emsp.database.db
  const locations = `${w.cpo.endpointOfEmsp('locations')}/BE/BEC`
  const call = async (method: string, path: string, body: Record<string, unknown>) => {
    w.clock.advance(1000)
    const res = await w.cpo.call(method, `${locations}/${path}`, { ...body, last_updated: w.clock.now().toISOString() })
    t.equal(res.body?.status_code, 1000, `${method} ${path}`)
  }
  await holds(t, db, 'Location PUT (new)')
  await call('PUT', 'LOC2', { ...locationExample, id: 'LOC2', name: 'Second' })
  await holds(t, db, 'a second Location PUT')
  await call('PATCH', 'LOC1/3256', { status: 'CHARGING' })
  await holds(t, db, 'EVSE status PATCH')
  await call('PATCH', 'LOC1/3257', { capabilities: ['REMOTE_START_STOP_CAPABLE', 'RFID_READER'], status: 'AVAILABLE' })
  await holds(t, db, 'EVSE capabilities PATCH')
  await call('PATCH', 'LOC1/3256', { evse_id: null })
  await holds(t, db, 'EVSE PATCH clearing evse_id')
  const connector = locationExample.evses[0].connectors[0]
  await call('PUT', 'LOC1/3256/9', { ...connector, id: '9', standard: 'CHADEMO', power_type: 'DC', max_electric_power: 50000 })
  await holds(t, db, 'connector PUT (new, the strongest)')
  await call('PATCH', 'LOC1/3256/1', { max_electric_power: 7400 })
  await holds(t, db, 'connector PATCH')
  const evse = locationExample.evses[0]
  await call('PUT', 'LOC1/3258', {
    ...evse,
    uid: '3258',
    evse_id: 'BE*BEC*E3258',
    status: 'AVAILABLE',
    capabilities: ['REMOTE_START_STOP_CAPABLE'],
  })
  await holds(t, db, 'EVSE PUT (new)')
  await call('PATCH', 'LOC1/3258', { connectors: [{ ...connector, id: '5', last_updated: w.clock.now().toISOString() }] })
  await holds(t, db, 'EVSE PATCH with connectors')
  await call('PATCH', 'LOC1/3258', { status: 'REMOVED' })
  await holds(t, db, 'EVSE PATCH to REMOVED')
  await call('PATCH', 'LOC1/3258', { status: 'AVAILABLE' })
  await holds(t, db, 'EVSE PATCH back from REMOVED')
  const at = () => w.clock.now().toISOString()
  w.clock.advance(1000)
  await call('PUT', 'LOC1', { ...locationExample, evses: [{ ...locationExample.evses[1], last_updated: at() }] })
  await holds(t, db, 'Location PUT no longer listing two EVSEs (REMOVED)')
  await call('PATCH', 'LOC2', { name: 'Renamed', coordinates: { latitude: '51.050000', longitude: '3.730000' } })
  await holds(t, db, 'Location PATCH (name, coordinates)')
  await call('PATCH', 'LOC2', { publish: false })
  await holds(t, db, 'Location PATCH unpublishing')
  t.same(
    (await execRows<{ visible: boolean }>(db, sql`select visible from location_maps where id = 'LOC2'`)).map((r) => r.visible),
    [false],
    'unpublished: not visible',
  )
  await call('PUT', 'LOC3', { ...locationExample, id: 'LOC3', evses: undefined })
  await holds(t, db, 'Location PUT without EVSEs')

  const service = createLocationsService({ db, clock: fixedClock('2026-11-21T00:00:00.000Z'), log: silentLogger })
  const [{ partner_id } = { partner_id: '' }] = await execRows<{ partner_id: string }>(db, sql`select partner_id from locations limit 1`)
  t.equal(await service.markVanished(partner_id, new Set(['BE/BEC/LOC1'])), 2)
  await holds(t, db, 'a full pull retiring LOC2 and LOC3')
  t.same(
    (await execRows<{ id: string }>(db, sql`select id from location_maps where visible order by id`)).map((r) => r.id),
    ['LOC1'],
  )
  await call('PUT', 'LOC3', { ...locationExample, id: 'LOC3' })
  await holds(t, db, 'a retired Location pushed again')
})

const skip = process.env.DATABASE_URL ? false : 'needs Postgres: two connections interleave'

t.test('concurrent writes of one location: the summary keeps both', { skip }, async (t) => {
  const w = await startWorld(t)
  const db = w.emsp.database.db
  const key = { countryCode: 'BE', partyId: 'BEC', locationId: 'LOC1' }
  const locations = `${w.cpo.endpointOfEmsp('locations')}/BE/BEC`
  /** Runs `write` in a transaction (an EVSE status PATCH of 3256), sends `other` while it is open, commits. */
  const whileOpen = async (status: string, other: () => Promise<{ body: any }>, waits: string) => {
    let answer: Promise<{ body: any }> | undefined
    let settled = false
    w.clock.advance(1000)
    await db.transaction(async (tx) => {
      t.ok(await patchEvseFields(tx, key, '3256', { status }, w.clock.now(), status))
      w.clock.advance(1000)
      answer = other()
      answer.then(
        () => (settled = true),
        () => (settled = true),
      )
      await sleep(300)
      t.notOk(settled, waits)
    })
    t.equal((await answer!).body.status_code, 1000)
  }
  // Another EVSE's status PATCH waits for the summary row, then changes its entry in the newest version.
  await whileOpen(
    'BLOCKED',
    () => w.cpo.call('PATCH', `${locations}/LOC1/3257`, { status: 'CHARGING', last_updated: w.clock.now().toISOString() }),
    'a PATCH of the other EVSE waits for the summary',
  )
  await holds(t, db, 'two concurrent EVSE PATCHes')
  // A Location PUT listing 3256 as its snapshot holds it (so it leaves that row alone) and changing 3257 writes its
  // rows, then waits for the summary, and recomputes it once the PATCH of 3256 has committed.
  const held = (await w.cpo.call('GET', `${locations}/LOC1`)).body.data
  await whileOpen(
    'INOPERATIVE',
    () =>
      w.cpo.call('PUT', `${locations}/LOC1`, {
        ...held,
        name: 'Concurrent',
        evses: [held.evses[0], { ...held.evses[1], status: 'OUTOFORDER', last_updated: w.clock.now().toISOString() }],
        last_updated: w.clock.now().toISOString(),
      }),
    'the PUT waits for the summary',
  )
  await holds(t, db, 'a Location PUT during an EVSE PATCH')
  const [row] = await execRows<{ evses: string }>(db, sql`select evses::text as evses from location_maps where id = 'LOC1'`)
  t.match(row!.evses, /"status" : "INOPERATIVE"/, 'the concurrent PATCH of the EVSE the PUT left alone is kept')
  t.match(row!.evses, /"status" : "OUTOFORDER"/, "and the PUT's EVSE")
})
