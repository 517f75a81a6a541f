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
  returning (xmax = 0) as inserted`

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

const upsertLocationStatement = preparedStatement<string, { inserted: boolean }>('locations_upsert', locationUpsert)

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
  return sql`update evses set status = coalesce(${p('status')}::text, status),
      capabilities = case when ${p('caps')}::text is null then capabilities else array(select jsonb_array_elements_text(${p('caps')}::text::jsonb)) end,
      last_updated = ${at}, object = jsonb_strip_nulls(object || ${p('patch')}::text::jsonb)
    where country_code = ${p('cc')} and party_id = ${p('pid')} and location_id = ${p('loc')} and uid = ${p('uid')}
      and last_updated <= ${at}
    returning 1`
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
 * applies an equal `last_updated`). Answers how many locations were retired.
 */
export const retireLocations = async (db: Db, partnerId: string, keys: string[], at: Date) => {
  if (keys.length === 0) return 0
  const rows = await execRows<{ n: number }>(
    db,
    sql`with gone as (
        update locations set removed_at = ${ts(at)} where partner_id = ${partnerId} and removed_at is null
          and country_code || '/' || party_id || '/' || id in (select jsonb_array_elements_text(${json(keys)}))
        returning country_code, party_id, id
      ), e as (
        update evses x set status = 'REMOVED', object = x.object || jsonb_build_object('status', 'REMOVED')
        from gone g where x.country_code = g.country_code and x.party_id = g.party_id and x.location_id = g.id and x.status <> 'REMOVED'
        returning 1
      ) select count(*)::int as n from gone`,
  )
  return rows[0]?.n ?? 0
}
