// Partner-free reads of the location tables for the app and for commands: the map (EVSE rows in
// an area, nearest first) and the lookups before a command. Published, not removed locations only.
// Coordinates are geometry, not money: they are compared as float8.
// Keys are matched upper-cased (CiStrings), but every id and coordinate returned is read from the
// stored object, exactly as the CPO sent it: commands send them back to the CPO, the app shows them.
// EVSEs and connectors come in the CPO's order (`position`).
import { type SQL, sql } from 'drizzle-orm'
import { execRows, type Db } from '../db/client.js'
import { preparedStatement } from '../db/prepared.js'

export interface AppArea {
  minLat: number
  maxLat: number
  minLon: number
  maxLon: number
  /** Results are ordered by distance from this point (the box centre, or the point searched near). */
  center: { lat: number; lon: number }
  /** Largest number of locations returned. */
  limit: number
}

/** "Available now and the app can start it": only locations with such an EVSE, and only those EVSEs. */
export interface AppEvseFilter {
  /** status AVAILABLE */
  available?: boolean
  /** REMOTE_START_STOP_CAPABLE (the operator's reachability is the route's) */
  start?: boolean
}

export interface AppConnectorRow {
  id: string
  standard: string
  power_type: string
  max_power_w: number
}

/** One EVSE of a location in the area, with its location's fields repeated. */
export interface AppEvseRow {
  country_code: string
  party_id: string
  location_id: string
  partner_id: string
  latitude: string
  longitude: string
  name: string | null
  address: string | null
  city: string | null
  operator: string | null
  uid: string
  evse_id: string | null
  status: string
  capabilities: string[]
  last_updated: Date | string
  connectors: AppConnectorRow[] | null
}

/** An EVSE before a command: where it is, whose it is, what it can do. */
export interface CommandEvseRow {
  country_code: string
  party_id: string
  location_id: string
  partner_id: string
  uid: string
  status: string
  capabilities: string[]
  connector_ids: string[] | null
}

/** Half-height (degrees of latitude) of the first box searched around the centre: ~1.4 km. */
const INITIAL_HALF_DEG = 0.0125

/** One of the nearest locations: its key, its CPO connection, its squared distance (degrees of latitude) and rank. */
export interface NearKey {
  country_code: string
  party_id: string
  id: string
  partner_id: string
  distance: number
  ord: number
}

/**
 * A location of the app's map answer as the route decided it: `shown` (within the radius, and with a
 * reachable operator when only startable stations are asked for) or only counted, its distance in
 * metres and its operator's reachability.
 */
export interface MapKey {
  country_code: string
  party_id: string
  id: string
  ord: number
  distance_m: number
  shown: boolean
  reachable: boolean
  why: string | null
}

/** The EVSEs (alias `e`) the filter keeps; REMOVED ones are never shown. */
const evseCondition = (f: AppEvseFilter) =>
  sql`e.status ${f.available ? sql`= 'AVAILABLE'` : sql`<> 'REMOVED'`}${f.start ? sql` and e.capabilities @> array['REMOTE_START_STOP_CAPABLE']` : sql``}`

/**
 * Keys and squared distances (in degrees of latitude) of the `limit` nearest published locations in
 * a box. The box is searched on `locations_map_idx` (GiST on the location's point, published and not
 * removed only: the same predicate, so the partial index applies); with a filter, a location counts
 * only when one of its EVSEs passes it (probed through the EVSEs' primary key: an index on the EVSE
 * status would cost every status PATCH its HOT update).
 */
type NearestParam = 'minLon' | 'minLat' | 'maxLon' | 'maxLat' | 'lat' | 'lon' | 'cos' | 'limit'

const nearestKeysStatement = (f: AppEvseFilter, p: (key: NearestParam) => SQL) =>
  sql`select country_code, party_id, id, partner_id, distance, (row_number() over (order by distance, country_code, party_id, id))::int as ord from (
        select l.country_code, l.party_id, l.id, l.partner_id,
          (l.latitude::float8 - ${p('lat')}::float8) ^ 2 + ((l.longitude::float8 - ${p('lon')}::float8) * ${p('cos')}::float8) ^ 2 as distance
        from locations l
        where l.removed_at is null and l.publish
          and point(l.longitude::float8, l.latitude::float8) <@ box(point(${p('minLon')}::float8, ${p('minLat')}::float8), point(${p('maxLon')}::float8, ${p('maxLat')}::float8))
          ${f.available || f.start ? sql`and exists (select 1 from evses e where e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id and ${evseCondition(f)})` : sql``}
        order by distance, l.country_code, l.party_id, l.id
        limit ${p('limit')}::int) n
      order by ord`

export const nearestKeysSql = (
  b: Omit<AppArea, 'center' | 'limit'>,
  center: AppArea['center'],
  cos: number,
  limit: number,
  f: AppEvseFilter = {},
) => {
  const values: Record<NearestParam, number> = { ...b, lat: center.lat, lon: center.lon, cos, limit }
  return nearestKeysStatement(f, (key) => sql`${values[key]}`)
}

/** The four filters a map request can ask for, each its own statement text. */
const filterName = (f: AppEvseFilter) => `${f.available ? 'available' : 'all'}_${f.start ? 'start' : 'any'}`
const FILTERS: AppEvseFilter[] = [{}, { available: true }, { start: true }, { available: true, start: true }]

/**
 * The map's statements, named and prepared per filter (src/db/prepared.ts): a map request is then two
 * or three round trips on cached plans instead of a parse, a plan and two round trips per statement.
 * Their access paths are unambiguous (the GiST box, then primary keys), as a prepared statement needs.
 */
const nearestPrepared = new Map(
  FILTERS.map((f) => [
    filterName(f),
    preparedStatement<NearestParam, NearKey>(`map_nearest_${filterName(f)}`, (p) => nearestKeysStatement(f, p)),
  ]),
)
const answerPrepared = new Map(
  FILTERS.map((f) => [
    filterName(f),
    preparedStatement<'keys', { counted: number; locations: string }>(`map_answer_${filterName(f)}`, (p) =>
      mapAnswerStatement(f, p('keys')),
    ),
  ]),
)

const nearestKeys = (
  db: Db,
  b: Omit<AppArea, 'center' | 'limit'>,
  center: AppArea['center'],
  cos: number,
  limit: number,
  f: AppEvseFilter,
) => nearestPrepared.get(filterName(f))!(db, { ...b, lat: center.lat, lon: center.lon, cos, limit })

const partyFilter = (cc?: string, pid?: string) =>
  sql`${cc ? sql`and l.country_code = ${cc.toUpperCase()}` : sql``} ${pid ? sql`and l.party_id = ${pid.toUpperCase()}` : sql``}`

/**
 * The `limit` locations nearest the centre inside the box. A city box holds thousands of locations,
 * so the nearest are looked for in a small box around the centre first, grown (by the density found,
 * at most doubled) until it holds `limit` of them within its inscribed circle (then no location
 * outside it can be nearer) or it covers the whole box. Distance is equirectangular, exact enough to
 * order a city-sized result. With a filter, only locations with an EVSE that passes it.
 */
const nearest = async (db: Db, a: AppArea, filter: AppEvseFilter): Promise<NearKey[]> => {
  const cos = Math.max(0.01, Math.cos((a.center.lat * Math.PI) / 180))
  const full = Math.max(a.maxLat - a.center.lat, a.center.lat - a.minLat, (a.maxLon - a.center.lon) * cos, (a.center.lon - a.minLon) * cos)
  let half = Math.min(full, INITIAL_HALF_DEG)
  for (;;) {
    const sub = {
      minLat: Math.max(a.minLat, a.center.lat - half),
      maxLat: Math.min(a.maxLat, a.center.lat + half),
      minLon: Math.max(a.minLon, a.center.lon - half / cos),
      maxLon: Math.min(a.maxLon, a.center.lon + half / cos),
    }
    const keys = await nearestKeys(db, sub, a.center, cos, a.limit, filter)
    const enough = keys.length === a.limit && keys[keys.length - 1]!.distance <= half * half
    if (enough || half >= full) return keys
    // Grow by the density seen: a box with k of `limit` locations needs about limit / k times its area (a filtered
    // search finds fewer per box); at least 1.25×, at most 2× (a half-empty box may sit at the edge of a city).
    half = Math.min(full, half * (keys.length === 0 ? 2 : Math.min(2, Math.max(1.25, 1.15 * Math.sqrt(a.limit / keys.length)))))
  }
}

/** kW as a decimal string from integer watts (22000 → 22, 3700 → 3.7): what Decimal's toFixed() writes. */
const kwSql = (watts: SQL) => sql`trim_scale(${watts} / 1000.0)::text`

/** The keys (a JSON text parameter) as a table `k` of the statement. */
const keysTable = (keys: SQL, columns: SQL) => sql`jsonb_to_recordset(${keys}::text::jsonb) as k(${columns})`

/** The statement of `mapAnswer`: `keys` is the MapKey list as JSON text. */
export const mapAnswerStatement = (filter: AppEvseFilter, keys: SQL) =>
  sql`with k as materialized (
      select * from ${keysTable(keys, sql`country_code text, party_id text, id text, ord int, distance_m int, shown boolean, reachable boolean, why text`)}
    ), ev as (
      select k.ord, k.shown, json_agg(json_build_object(
          'uid', e.object->>'uid', 'evse_id', e.object->>'evse_id', 'status', e.status,
          'status_updated_at', to_char(e.last_updated at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'power_type', c.power_type, 'max_power_kw', ${kwSql(sql`c.max_power_w`)}, 'connectors', coalesce(c.list, '[]'::json),
          'capabilities', to_json(e.capabilities), 'app_start', k.reachable and e.capabilities @> array['REMOTE_START_STOP_CAPABLE'])
        order by e.position, e.uid) filter (where k.shown) as evses
      from k join evses e on e.country_code = k.country_code and e.party_id = k.party_id and e.location_id = k.id and ${evseCondition(filter)}
      left join lateral (
        select json_agg(json_build_object('id', c.object->>'id', 'standard', c.standard, 'power_type', c.power_type, 'max_power_kw', ${kwSql(sql`c.max_power_w`)})
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

export const createAppLocationQueries = (db: Db) => ({
  /** The `limit` locations nearest the centre inside the box (see `nearest`), nearest first. */
  nearest: (a: AppArea, filter: AppEvseFilter = {}) => nearest(db, a, filter),

  /**
   * EVSEs (REMOVED ones left out) of the `limit` locations nearest the centre inside the box, nearest
   * location first, with their connectors. With a filter, only locations with an EVSE that passes it,
   * and only those EVSEs.
   */
  inArea: async (a: AppArea, filter: AppEvseFilter = {}) => {
    const keys = await nearest(db, a, filter)
    if (keys.length === 0) return []
    return execRows<AppEvseRow & { distance: number }>(
      db,
      sql`select l.object->>'country_code' as country_code, l.object->>'party_id' as party_id, l.object->>'id' as location_id, l.partner_id,
          l.object->'coordinates'->>'latitude' as latitude, l.object->'coordinates'->>'longitude' as longitude,
          l.object->>'name' as name, l.object->>'address' as address, l.object->>'city' as city, l.object->'operator'->>'name' as operator,
          e.object->>'uid' as uid, e.object->>'evse_id' as evse_id, e.status, e.capabilities, e.last_updated, k.distance,
          (select json_agg(json_build_object('id', c.object->>'id', 'standard', c.standard, 'power_type', c.power_type, 'max_power_w', c.max_power_w) order by c.position, c.id)
             from connectors c
             where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id and c.evse_uid = e.uid and c.present) as connectors
        from ${keysTable(sql`${JSON.stringify(keys)}`, sql`country_code text, party_id text, id text, distance float8, ord int`)}
        join locations l on l.country_code = k.country_code and l.party_id = k.party_id and l.id = k.id
        join evses e on e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id and ${evseCondition(filter)}
        order by k.ord, e.position, e.uid`,
    )
  },

  /**
   * The app's map answer, written by the database as JSON text: the `shown` locations (in key order)
   * with their EVSEs (those the filter keeps, in the CPO's order) and connectors, in the shape of the
   * app's `AppLocation` (src/app-api/locations.routes.ts, which checks it in its tests); `counted` is
   * how many of the keys have such an EVSE at all (shown or not), which tells whether the answer was
   * cut at the limit. A map request then costs Node no row parsing, grouping or serializing: that
   * was two thirds of its CPU at rush hour (BENCHMARKS.md, issue 20.3).
   */
  mapAnswer: async (keys: MapKey[], filter: AppEvseFilter = {}): Promise<{ counted: number; locations: string }> => {
    if (keys.length === 0) return { counted: 0, locations: '[]' }
    const [row] = await answerPrepared.get(filterName(filter))!(db, { keys: JSON.stringify(keys) })
    return row!
  },

  /**
   * Where a place the customer typed is (the customer area's map, issue 18): the centre of the
   * published locations in that city or postal code (case-insensitive, exact), else the first
   * location whose name or address starts with the text. No geocoder: only places where we know
   * stations can be found. Reads the location rows only (no index on the text: a rare, user-paced query).
   */
  findPlace: async (text: string): Promise<{ lat: number; lon: number; matched: number } | undefined> => {
    const q = text.trim().toLowerCase()
    if (!q) return undefined
    const [area] = await execRows<{ lat: number | null; lon: number | null; n: number }>(
      db,
      sql`select avg(latitude::float8) as lat, avg(longitude::float8) as lon, count(*)::int as n from locations
        where removed_at is null and publish and (lower(object->>'city') = ${q} or lower(object->>'postal_code') = ${q})`,
    )
    if (area && area.n > 0 && area.lat !== null && area.lon !== null)
      return { lat: Number(area.lat), lon: Number(area.lon), matched: area.n }
    const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const [one] = await execRows<{ lat: number; lon: number }>(
      db,
      sql`select latitude::float8 as lat, longitude::float8 as lon from locations
        where removed_at is null and publish and (lower(object->>'name') like ${prefix} or lower(object->>'address') like ${prefix})
        order by country_code, party_id, id limit 1`,
    )
    return one ? { lat: Number(one.lat), lon: Number(one.lon), matched: 1 } : undefined
  },

  /**
   * The EVSE `evseUid` of location `locationId` (of any CPO unless the party is given): one row per
   * match. Matched case-insensitively; `location_id`, `uid` and `connector_ids` as the CPO sent them.
   */
  findEvse: (q: { countryCode?: string; partyId?: string; locationId: string; evseUid: string }) =>
    execRows<CommandEvseRow>(
      db,
      sql`select l.country_code, l.party_id, l.object->>'id' as location_id, l.partner_id, e.object->>'uid' as uid, e.status, e.capabilities,
          (select array_agg(c.object->>'id' order by c.position, c.id) from connectors c
             where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id and c.evse_uid = e.uid and c.present) as connector_ids
        from locations l join evses e on e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id
        where l.id = ${q.locationId.toUpperCase()} and e.uid = ${q.evseUid.toUpperCase()} and l.removed_at is null ${partyFilter(q.countryCode, q.partyId)}
        order by l.country_code, l.party_id`,
    ),

  /** The location `locationId` (of any CPO unless the party is given): one row per match. */
  findLocation: (q: { countryCode?: string; partyId?: string; locationId: string }) =>
    execRows<{ country_code: string; party_id: string; location_id: string; partner_id: string }>(
      db,
      sql`select l.country_code, l.party_id, l.object->>'id' as location_id, l.partner_id from locations l
        where l.id = ${q.locationId.toUpperCase()} and l.removed_at is null ${partyFilter(q.countryCode, q.partyId)}
        order by l.country_code, l.party_id`,
    ),
})

export type AppLocationQueries = ReturnType<typeof createAppLocationQueries>
