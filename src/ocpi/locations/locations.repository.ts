// SQL for the three location tables. Every write carries the ordering guard
// (`stored.last_updated <= new.last_updated`) in the statement itself, so concurrent pushes cannot
// interleave a read and a write. A Location row keeps its own `last_updated`; what we hold for a
// Location is the newest of its row and its EVSEs (an EVSE's includes its connectors'), so a child
// write never rewrites the Location row (see README, "The ordering rule").
import { sql, type SQL } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'
import { preparedStatement } from '../../db/prepared.js'
import type { ConnectorRow, EvseRow, LocationKey, LocationRow } from './locations.convert.js'

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`
// A text parameter cast to jsonb parses the same way on postgres.js and PGlite.
const json = (v: unknown) => sql`${JSON.stringify(v)}::text::jsonb`

export type WriteOutcome = 'created' | 'updated' | 'ignored'

/**
 * The map summary (`location_maps`, issue 20.3): what the app's map shows of a location, kept by every
 * write of the location, its EVSEs and connectors in the same transaction (README, "The map summary").
 * Each EVSE entry is in the shape of the app's `AppEvse` (src/app-api/locations.routes.ts, in its
 * field order: the map serves the stored text), `app_start` holding REMOTE_START_STOP_CAPABLE; the
 * map request turns it off where the operator cannot be reached.
 */
const mapEvseEntry = (e: SQL, powerType: SQL, maxPowerKw: SQL, connectors: SQL) =>
  sql`json_build_object('uid', ${e}.object->>'uid', 'evse_id', ${e}.object->>'evse_id', 'status', ${e}.status,
    'status_updated_at', to_char(${e}.last_updated at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'power_type', ${powerType}, 'max_power_kw', ${maxPowerKw}, 'connectors', ${connectors},
    'capabilities', to_json(${e}.capabilities), 'app_start', ${e}.capabilities @> array['REMOTE_START_STOP_CAPABLE'])`

/** The summary's flags, aggregated over the EVSEs' status and start capability: which map filters the location passes. */
const mapFlags = (status: SQL, capable: SQL) =>
  sql`coalesce(bool_or(${status} <> 'REMOVED'), false) as has_evse, coalesce(bool_or(${status} = 'REMOVED'), false) as has_removed,
    coalesce(bool_or(${status} = 'AVAILABLE'), false) as has_available,
    coalesce(bool_or(${status} <> 'REMOVED' and ${capable}), false) as has_start,
    coalesce(bool_or(${status} = 'AVAILABLE' and ${capable}), false) as has_available_start`

/** kW as a decimal string from integer watts (22000 → 22, 3700 → 3.7): what Decimal's toFixed() writes. */
const kwSql = (watts: SQL) => sql`trim_scale(${watts} / 1000.0)::text`

/**
 * The map summary of the locations `l` that `where` selects, computed from the tables and stored
 * (inserted or replaced). The migration that created `location_maps` backfills with the same statement.
 */
export const mapSummaryUpsert = (where: SQL) =>
  sql`insert into location_maps (country_code, party_id, id, partner_id, visible, latitude, longitude, evse_uids, evses,
      has_evse, has_removed, has_available, has_start, has_available_start)
    select l.country_code, l.party_id, l.id, l.partner_id, l.publish and l.removed_at is null, l.latitude::float8, l.longitude::float8,
      coalesce(e.uids, '{}'), coalesce(e.list, '[]'::json), e.has_evse, e.has_removed, e.has_available, e.has_start, e.has_available_start
    from locations l cross join lateral (
      select array_agg(e.uid order by e.position, e.uid) as uids,
        json_agg(${mapEvseEntry(sql`e`, sql`c.power_type`, kwSql(sql`c.max_power_w`), sql`coalesce(c.list, '[]'::json)`)} order by e.position, e.uid) as list,
        ${mapFlags(sql`e.status`, sql`e.capabilities @> array['REMOTE_START_STOP_CAPABLE']`)}
      from evses e cross join lateral (
        select json_agg(json_build_object('id', c.object->>'id', 'standard', c.standard, 'power_type', c.power_type, 'max_power_kw', ${kwSql(sql`c.max_power_w`)})
            order by c.position, c.id) as list,
          (array_agg(c.power_type order by c.max_power_w desc, c.position, c.id))[1] as power_type, max(c.max_power_w) as max_power_w
        from connectors c
        where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id and c.evse_uid = e.uid and c.present
      ) c
      where e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id
    ) e
    where ${where}
    on conflict (country_code, party_id, id) do update set partner_id = excluded.partner_id, visible = excluded.visible,
      latitude = excluded.latitude, longitude = excluded.longitude, evse_uids = excluded.evse_uids, evses = excluded.evses,
      has_evse = excluded.has_evse, has_removed = excluded.has_removed, has_available = excluded.has_available,
      has_start = excluded.has_start, has_available_start = excluded.has_available_start`

/**
 * Recomputes the map summary of these locations from the tables, inside the transaction that wrote
 * them, after its writes. The summary rows are locked first, in a statement of their own, so the
 * recomputation's snapshot is taken once no other writer of these locations can commit: every write
 * path takes the summary's lock last (after its location, EVSE and connector rows), so none waits
 * for us while holding it, and the one that held it has committed everything it wrote.
 */
export const refreshMapSummaries = async (db: Db, keys: LocationKey[]) => {
  if (keys.length === 0) return
  const list = json(keys.map((k) => [k.countryCode, k.partyId, k.locationId]))
  const inList = (x: string) =>
    sql`(${sql.raw(x)}.country_code, ${sql.raw(x)}.party_id, ${sql.raw(x)}.id) in (select k->>0, k->>1, k->>2 from jsonb_array_elements(${list}) k)`
  await db.execute(sql`select 1 from location_maps m where ${inList('m')} order by country_code, party_id, id for update`)
  await db.execute(mapSummaryUpsert(inList('l')))
}

type Param = (key: string) => SQL

/**
 * The location row's upsert, guarded: not applied when we hold a newer `last_updated`, the row's own
 * or one of its EVSEs' (the Location's `last_updated` as served). `evseGuard` is that EVSE check.
 */
const locationUpsertWhere = (
  p: Param,
  evseGuard: SQL,
) => sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, removed_at, object)
  values (${p('cc')}, ${p('pid')}, ${p('loc')}, ${p('partner')}, ${p('publish')}::boolean, ${p('lat')}::numeric, ${p('lon')}::numeric, ${p('at')}::timestamptz, null, ${p('object')}::text::jsonb)
  on conflict (country_code, party_id, id) do update set partner_id = excluded.partner_id, publish = excluded.publish,
    latitude = excluded.latitude, longitude = excluded.longitude, last_updated = excluded.last_updated,
    removed_at = null, object = excluded.object
  where locations.last_updated <= excluded.last_updated and ${evseGuard}
  returning (xmax = 0) as inserted, country_code, party_id, id, partner_id, publish, latitude, longitude`

const locationUpsert = (p: Param) =>
  locationUpsertWhere(
    p,
    sql`not exists (select 1 from evses n where n.country_code = locations.country_code
  and n.party_id = locations.party_id and n.location_id = locations.id and n.last_updated > excluded.last_updated)`,
  )

const locationValues = (key: LocationKey, partnerId: string, row: LocationRow) => ({
  cc: key.countryCode,
  pid: key.partyId,
  loc: key.locationId,
  partner: partnerId,
  publish: row.publish,
  lat: row.latitude,
  lon: row.longitude,
  at: row.lastUpdated.toISOString(),
  object: JSON.stringify(row.object),
})

const outcomeOf = (rows: { inserted: boolean }[]): WriteOutcome => {
  if (rows.length === 0) return 'ignored'
  return rows[0]!.inserted ? 'created' : 'updated'
}

/**
 * The Location row alone (a PATCH, or a PUT without `evses`) and its map summary's location columns, in
 * one statement. The summary is written after the row (it reads `l`), so its lock comes last, as on
 * every write path; it sets only columns this write decides, so waiting for a concurrent summary
 * write (which then re-reads the newest row version) cannot undo another writer's EVSE entries.
 */
const upsertLocationStatement = preparedStatement<string, { inserted: boolean }>(
  'locations_upsert',
  (p) => sql`with l as (${locationUpsert(p)}), m as (
      insert into location_maps (country_code, party_id, id, partner_id, visible, latitude, longitude, evse_uids, evses,
        has_evse, has_removed, has_available, has_start, has_available_start)
      select country_code, party_id, id, partner_id, publish, latitude::float8, longitude::float8, '{}', '[]'::json, false, false, false, false, false from l
      on conflict (country_code, party_id, id) do update set partner_id = excluded.partner_id, visible = excluded.visible,
        latitude = excluded.latitude, longitude = excluded.longitude
      returning 1
    ) select inserted from l`,
)

/** Inserts or replaces the location row unless what we hold is newer. */
export const upsertLocation = async (db: Db, key: LocationKey, partnerId: string, row: LocationRow): Promise<WriteOutcome> =>
  outcomeOf(await upsertLocationStatement(db, locationValues(key, partnerId, row)))

/**
 * A Location with its EVSEs and connectors in one statement (one round trip, atomic): the guarded
 * location upsert, then, only if it was applied, the children upserts and the retirement of
 * children the PUT no longer lists. The sub-statements touch disjoint rows, as one statement requires.
 * - Children are read once (`se`, `sc`) and compared with the PUT's: a child whose stored object
 *   equals the PUT's is left alone (every other column derives from the object); CPOs resend
 *   unchanged EVSEs and connectors with every Location PUT. They are filtered out before the upsert
 *   because ON CONFLICT DO UPDATE locks the row it finds even when its WHERE then declines (a lock is
 *   a write: a dirtied page and WAL). Retirements run only when `se`/`sc` show one is due.
 * - Concurrent writers. Decisions taken on the snapshot are only sound if nobody wrote the Location
 *   since it was taken, so the guard declines when the row it locks is not the version the snapshot
 *   shows (another PUT, PATCH or pull committed meanwhile); the statement then answers `retry` and
 *   runs again on a fresh snapshot. An EVSE or connector written concurrently (a child PATCH does not
 *   touch the Location row) is protected by each child write's own guard, which re-checks the row's
 *   newest version under its lock.
 * Prepared: the children travel as two JSON text parameters, so the statement text never varies.
 */
const upsertTreeStatement = preparedStatement<string, { inserted: boolean | null; retry: boolean }>('locations_upsert_tree', (p) => {
  const k = sql`${p('cc')}, ${p('pid')}, ${p('loc')}`
  const at = sql`${p('at')}::timestamptz`
  const key = (x: string, id: string) =>
    sql`${sql.raw(x)}.country_code = ${p('cc')} and ${sql.raw(x)}.party_id = ${p('pid')} and ${sql.raw(`${x}.${id}`)} = ${p('loc')}`
  const atKey = (x: string) => key(x, 'location_id')
  // The EVSE check reads `se`; `xmin`: the row we lock is the version our snapshot shows.
  const guard = sql`not exists (select 1 from se where se.last_updated > excluded.last_updated)
    and locations.xmin = (select s.xmin from locations s where ${key('s', 'id')})`
  return sql`with se as materialized (
      select uid, status, position, last_updated, object from evses x where ${atKey('x')}
    ), l as (${locationUpsertWhere(p, guard)}
    ), ev as (
      select * from jsonb_to_recordset(${p('evses')}::text::jsonb) as r(uid text, status text, capabilities text[], position int, last_updated timestamptz, object jsonb)
    ), co as (
      select * from jsonb_to_recordset(${p('connectors')}::text::jsonb) as r(evse_uid text, id text, power_type text, standard text, max_power_w int, position int, last_updated timestamptz, object jsonb)
    ), sc as materialized (
      select evse_uid, id, present, position, object from connectors x where ${atKey('x')}
    ), e as (
      insert into evses (country_code, party_id, location_id, uid, status, capabilities, position, last_updated, object)
      select ${k}, ev.uid, ev.status, ev.capabilities, ev.position, ev.last_updated, ev.object from ev where exists (select 1 from l)
        and not exists (select 1 from se where se.uid = ev.uid and se.object = ev.object and se.position = ev.position)
      on conflict (country_code, party_id, location_id, uid) do update set status = excluded.status,
        capabilities = excluded.capabilities, position = excluded.position, last_updated = excluded.last_updated, object = excluded.object
      where evses.last_updated <= ${at} and (evses.object <> excluded.object or evses.position <> excluded.position)
      returning 1
    ), c as (
      insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, present, position, last_updated, object)
      select ${k}, co.evse_uid, co.id, co.power_type, co.standard, co.max_power_w, true, co.position, co.last_updated, co.object from co where exists (select 1 from l)
        and not exists (select 1 from sc where sc.evse_uid = co.evse_uid and sc.id = co.id and sc.present and sc.object = co.object and sc.position = co.position)
      on conflict (country_code, party_id, location_id, evse_uid, id) do update set power_type = excluded.power_type,
        standard = excluded.standard, max_power_w = excluded.max_power_w, present = true, position = excluded.position,
        last_updated = excluded.last_updated, object = excluded.object
      where connectors.last_updated <= ${at} and (connectors.object <> excluded.object or not connectors.present or connectors.position <> excluded.position)
      returning 1
    ), re as (
      -- the guard above holds no EVSE newer than the PUT, so the retirement takes the PUT's last_updated.
      -- re and rc test their condition on se/sc first (one-time filters), then again on the rows under lock:
      -- driving the update from se/sc instead (update … from se) cost 10–20 % more PostgreSQL CPU per PUT.
      -- a retired EVSE is served after the ones the PUT lists, in its former order
      update evses x set status = 'REMOVED', last_updated = ${at}, position = (select count(*)::int from ev) + x.position,
        object = x.object || jsonb_build_object('status', 'REMOVED', 'last_updated', ${p('atText')}::text)
      where exists (select 1 from l)
        and exists (select 1 from se where se.status <> 'REMOVED' and not exists (select 1 from ev where ev.uid = se.uid))
        and ${atKey('x')} and x.status <> 'REMOVED' and x.last_updated <= ${at} and not exists (select 1 from ev where ev.uid = x.uid)
      returning 1
    ), rc as (
      -- a REMOVED EVSE keeps its last connectors: an EVSE always has at least one
      update connectors x set present = false
      where exists (select 1 from l)
        and exists (select 1 from sc where sc.present and exists (select 1 from ev where ev.uid = sc.evse_uid)
          and not exists (select 1 from co where co.evse_uid = sc.evse_uid and co.id = sc.id))
        and ${atKey('x')} and x.present and x.last_updated <= ${at} and exists (select 1 from ev where ev.uid = x.evse_uid)
        and not exists (select 1 from co where co.evse_uid = x.evse_uid and co.id = x.id)
      returning 1
    ) select inserted, false as retry from l
    union all
    -- declined although this snapshot holds nothing newer: written concurrently, run again on a new snapshot
    select null, true where not exists (select 1 from l)
      and not exists (select 1 from locations s where ${key('s', 'id')} and s.last_updated > ${at})
      and not exists (select 1 from se where se.last_updated > ${at})`
})

export const upsertLocationTree = async (
  db: Db,
  key: LocationKey,
  partnerId: string,
  row: LocationRow & { evses: EvseRow[] },
): Promise<WriteOutcome> => {
  // Positions are the CPO's list order (OCPI gives EVSEs and connectors no other order).
  const evses = row.evses.map((e, position) => ({
    uid: e.uid,
    status: e.status,
    capabilities: e.capabilities,
    position,
    last_updated: e.lastUpdated.toISOString(),
    object: e.object,
  }))
  const connectors = row.evses.flatMap((e) => connectorRecords(e.connectors))
  const values = {
    ...locationValues(key, partnerId, row),
    atText: String(row.object.last_updated),
    evses: JSON.stringify(evses),
    connectors: JSON.stringify(connectors),
  }
  for (let attempt = 1; attempt <= TREE_ATTEMPTS; attempt++) {
    const rows = await upsertTreeStatement(db, values)
    if (!rows[0]?.retry) return outcomeOf(rows as { inserted: boolean }[])
  }
  throw new Error(
    `Location ${key.countryCode}/${key.partyId}/${key.locationId} was written concurrently ${TREE_ATTEMPTS} times in a row; not stored, send it again`,
  )
}

/** One EVSE's connectors as the JSON records the statements read; their position is the list's order. */
const connectorRecords = (connectors: ConnectorRow[]) =>
  connectors.map((c, position) => ({
    evse_uid: c.evseUid,
    id: c.id,
    power_type: c.powerType,
    standard: c.standard,
    max_power_w: c.maxPowerW,
    position,
    last_updated: c.lastUpdated.toISOString(),
    object: c.object,
  }))

/** Runs of the tree statement before giving up on a Location that other writers keep changing. */
const TREE_ATTEMPTS = 5

export const upsertConnectors = async (db: Db, key: LocationKey, connectors: ConnectorRow[]) => {
  if (connectors.length === 0) return
  // An EVSE's connectors as one list (an EVSE PUT, or a PATCH carrying them): their order is the list's.
  const records = connectorRecords(connectors)
  await db.execute(sql`insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, present, position, last_updated, object)
    select ${key.countryCode}, ${key.partyId}, ${key.locationId}, r.evse_uid, r.id, r.power_type, r.standard, r.max_power_w, true, r.position, r.last_updated, r.object
    from jsonb_to_recordset(${json(records)}) as r(evse_uid text, id text, power_type text, standard text, max_power_w int, position int, last_updated timestamptz, object jsonb)
    on conflict (country_code, party_id, location_id, evse_uid, id) do update set power_type = excluded.power_type,
      standard = excluded.standard, max_power_w = excluded.max_power_w, present = true, position = excluded.position,
      last_updated = excluded.last_updated, object = excluded.object`)
}

/** Connectors of these EVSEs that a PUT no longer lists stop being `present` (OCPI never deletes them). */
export const retireMissingConnectors = async (db: Db, key: LocationKey, evseUids: string[], keep: { evse_uid: string; id: string }[]) => {
  if (evseUids.length === 0) return
  await db.execute(sql`update connectors c set present = false
    where c.country_code = ${key.countryCode} and c.party_id = ${key.partyId} and c.location_id = ${key.locationId}
      and c.present and c.evse_uid in (select jsonb_array_elements_text(${json(evseUids)}))
      and not exists (select 1 from jsonb_to_recordset(${json(keep)}) as k(evse_uid text, id text) where k.evse_uid = c.evse_uid and k.id = c.id)`)
}

/** The stored object serves `last_updated` too: it moves with the column, keeping the sender's text. */
const bumpSet = (at: Date, atText: string) =>
  sql`object = case when last_updated < ${ts(at)} then jsonb_set(object, '{last_updated}', to_jsonb(${atText}::text)) else object end,
    last_updated = greatest(last_updated, ${ts(at)})`

/** Moves the EVSE's `last_updated` forward to `at` (one of its connectors changed); never backwards. */
export const bumpEvse = async (db: Db, key: LocationKey, uid: string, at: Date, atText: string) => {
  await db.execute(sql`update evses set ${bumpSet(at, atText)}
    where country_code = ${key.countryCode} and party_id = ${key.partyId} and location_id = ${key.locationId} and uid = ${uid}`)
}

/**
 * The hot path: an EVSE PATCH without `connectors` in one statement: merge the fields into the EVSE
 * unless it holds something newer. The Location row is not touched (its served `last_updated`
 * includes its EVSEs'). Answers whether the EVSE was changed.
 */
const patchEvseStatement = preparedStatement<string, unknown>('evses_patch_fields', (p) => {
  const at = sql`${p('at')}::timestamptz`
  // The map summary changes this EVSE's entry in place, from the row just written and the summary row
  // itself (connectors and power unchanged): no other read, so a wait for the summary's lock (another
  // writer of this location) re-reads its newest version and keeps that writer's entries.
  return sql`with u as (
      update evses set status = coalesce(${p('status')}::text, status),
        capabilities = case when ${p('caps')}::text is null then capabilities else array(select jsonb_array_elements_text(${p('caps')}::text::jsonb)) end,
        last_updated = ${at}, object = jsonb_strip_nulls(object || ${p('patch')}::text::jsonb)
      where country_code = ${p('cc')} and party_id = ${p('pid')} and location_id = ${p('loc')} and uid = ${p('uid')}
        and last_updated <= ${at}
      returning uid, status, capabilities, last_updated, object
    ), m as (
      update location_maps m set (evses, has_evse, has_removed, has_available, has_start, has_available_start) = (
        select json_agg(x.v order by x.n), ${mapFlags(sql`x.v->>'status'`, sql`(x.v->>'app_start')::boolean`)}
        from (select x.n, case when m.evse_uids[x.n] = u.uid
            then ${mapEvseEntry(sql`u`, sql`x.v->'power_type'`, sql`x.v->'max_power_kw'`, sql`x.v->'connectors'`)} else x.v end as v
          from json_array_elements(m.evses) with ordinality x(v, n)) x)
      from u where m.country_code = ${p('cc')} and m.party_id = ${p('pid')} and m.id = ${p('loc')}
      returning 1
    ) select 1 from u`
})

export const patchEvseFields = async (
  db: Db,
  key: LocationKey,
  uid: string,
  patch: Record<string, unknown>,
  lastUpdated: Date,
  status?: string,
  capabilities?: string[],
) => {
  const rows = await patchEvseStatement(db, {
    cc: key.countryCode,
    pid: key.partyId,
    loc: key.locationId,
    uid,
    status: status ?? null,
    caps: capabilities ? JSON.stringify(capabilities) : null,
    at: lastUpdated.toISOString(),
    patch: JSON.stringify(patch),
  })
  return rows.length > 0
}

/** One EVSE, guarded: not written when we hold a newer `last_updated`. Connectors are the caller's. */
export const upsertEvseGuarded = async (db: Db, key: LocationKey, e: EvseRow): Promise<WriteOutcome> => {
  const rows = await execRows<{ inserted: boolean }>(
    db,
    // A new EVSE is served after the Location's others; a replaced one keeps its place.
    sql`insert into evses (country_code, party_id, location_id, uid, status, capabilities, position, last_updated, object)
      values (${key.countryCode}, ${key.partyId}, ${key.locationId}, ${e.uid}, ${e.status},
        array(select jsonb_array_elements_text(${json(e.capabilities)})),
        (select coalesce(max(position) + 1, 0) from evses where country_code = ${key.countryCode} and party_id = ${key.partyId} and location_id = ${key.locationId}),
        ${ts(e.lastUpdated)}, ${json(e.object)})
      on conflict (country_code, party_id, location_id, uid) do update set status = excluded.status,
        capabilities = excluded.capabilities, last_updated = excluded.last_updated, object = excluded.object
      where evses.last_updated <= excluded.last_updated
      returning (xmax = 0) as inserted`,
  )
  if (rows.length === 0) return 'ignored'
  return rows[0]!.inserted ? 'created' : 'updated'
}

export const upsertConnectorGuarded = async (db: Db, key: LocationKey, c: ConnectorRow): Promise<WriteOutcome> => {
  const rows = await execRows<{ inserted: boolean }>(
    db,
    // A new connector is served after its EVSE's others; a replaced one keeps its place.
    sql`insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, present, position, last_updated, object)
      values (${key.countryCode}, ${key.partyId}, ${key.locationId}, ${c.evseUid}, ${c.id}, ${c.powerType}, ${c.standard}, ${c.maxPowerW}, true,
        (select coalesce(max(position) + 1, 0) from connectors where country_code = ${key.countryCode} and party_id = ${key.partyId}
          and location_id = ${key.locationId} and evse_uid = ${c.evseUid}),
        ${ts(c.lastUpdated)}, ${json(c.object)})
      on conflict (country_code, party_id, location_id, evse_uid, id) do update set power_type = excluded.power_type,
        standard = excluded.standard, max_power_w = excluded.max_power_w, present = true,
        last_updated = excluded.last_updated, object = excluded.object
      where connectors.last_updated <= excluded.last_updated or not connectors.present
      returning (xmax = 0) as inserted`,
  )
  if (rows.length === 0) return 'ignored'
  return rows[0]!.inserted ? 'created' : 'updated'
}

/**
 * Retires locations a complete full pull no longer listed: `removed_at` is set and every EVSE that
 * is not REMOVED yet becomes REMOVED (OCPI retires by status, never deletes), so every reader (the
 * CPO's GET, the map, commands) sees the whole location retired. `last_updated` is left as it was:
 * nothing newer came from the CPO, and the same Location listed again restores it (the ordering rule
 * applies an equal `last_updated`). Answers the keys of the locations retired.
 */
export const retireLocations = async (db: Db, partnerId: string, keys: string[], at: Date): Promise<LocationKey[]> => {
  if (keys.length === 0) return []
  const rows = await execRows<{ country_code: string; party_id: string; id: string }>(
    db,
    sql`with gone as (
        update locations set removed_at = ${ts(at)} where partner_id = ${partnerId} and removed_at is null
          and country_code || '/' || party_id || '/' || id in (select jsonb_array_elements_text(${json(keys)}))
        returning country_code, party_id, id
      ), e as (
        update evses x set status = 'REMOVED', object = x.object || jsonb_build_object('status', 'REMOVED')
        from gone g where x.country_code = g.country_code and x.party_id = g.party_id and x.location_id = g.id and x.status <> 'REMOVED'
        returning 1
      ) select country_code, party_id, id from gone`,
  )
  return rows.map((r) => ({ countryCode: r.country_code, partyId: r.party_id, locationId: r.id }))
}
