// Partner-free reads of the location tables for the app and for commands: the map (EVSE rows in
// an area, nearest first) and the lookups before a command. Published, not removed locations only.
// Coordinates are geometry, not money: they are compared as float8.
// Keys are matched upper-cased (CiStrings), but every id and coordinate returned is read from the
// stored object, exactly as the CPO sent it: commands send them back to the CPO, the app shows them.
// EVSEs and connectors come in the CPO's order (`position`).
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../db/client.js'

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

interface NearKey {
  country_code: string
  party_id: string
  id: string
  distance: number
  ord: number
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
export const nearestKeysSql = (
  b: Omit<AppArea, 'center' | 'limit'>,
  center: AppArea['center'],
  cos: number,
  limit: number,
  f: AppEvseFilter = {},
) =>
  sql`select country_code, party_id, id, distance, (row_number() over (order by distance, country_code, party_id, id))::int as ord from (
        select l.country_code, l.party_id, l.id,
          (l.latitude::float8 - ${center.lat}::float8) ^ 2 + ((l.longitude::float8 - ${center.lon}::float8) * ${cos}::float8) ^ 2 as distance
        from locations l
        where l.removed_at is null and l.publish
          and point(l.longitude::float8, l.latitude::float8) <@ box(point(${b.minLon}::float8, ${b.minLat}::float8), point(${b.maxLon}::float8, ${b.maxLat}::float8))
          ${f.available || f.start ? sql`and exists (select 1 from evses e where e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id and ${evseCondition(f)})` : sql``}
        order by distance, l.country_code, l.party_id, l.id
        limit ${limit}) n
      order by ord`

const nearestKeys = (
  db: Db,
  b: Omit<AppArea, 'center' | 'limit'>,
  center: AppArea['center'],
  cos: number,
  limit: number,
  f: AppEvseFilter,
) => execRows<NearKey>(db, nearestKeysSql(b, center, cos, limit, f))

const partyFilter = (cc?: string, pid?: string) =>
  sql`${cc ? sql`and l.country_code = ${cc.toUpperCase()}` : sql``} ${pid ? sql`and l.party_id = ${pid.toUpperCase()}` : sql``}`

export const createAppLocationQueries = (db: Db) => ({
  /**
   * EVSEs (REMOVED ones left out) of the `limit` locations nearest the centre inside the box.
   * A city box holds thousands of locations, so the nearest are looked for in a small box around
   * the centre first, grown (by the density found, at most doubled) until it holds `limit` of them within its inscribed circle (then no
   * location outside it can be nearer) or it covers the whole box. Distance is equirectangular,
   * exact enough to order a city-sized result. With a filter, only locations with an EVSE that
   * passes it, and only those EVSEs.
   */
  inArea: async (a: AppArea, filter: AppEvseFilter = {}) => {
    const cos = Math.max(0.01, Math.cos((a.center.lat * Math.PI) / 180))
    const full = Math.max(
      a.maxLat - a.center.lat,
      a.center.lat - a.minLat,
      (a.maxLon - a.center.lon) * cos,
      (a.center.lon - a.minLon) * cos,
    )
    let half = Math.min(full, INITIAL_HALF_DEG)
    let keys: NearKey[]
    for (;;) {
      const sub = {
        minLat: Math.max(a.minLat, a.center.lat - half),
        maxLat: Math.min(a.maxLat, a.center.lat + half),
        minLon: Math.max(a.minLon, a.center.lon - half / cos),
        maxLon: Math.min(a.maxLon, a.center.lon + half / cos),
      }
      keys = await nearestKeys(db, sub, a.center, cos, a.limit, filter)
      const enough = keys.length === a.limit && keys[keys.length - 1]!.distance <= half * half
      if (enough || half >= full) break
      // Grow by the density seen: a box with k of `limit` locations needs about limit / k times its area (a filtered
      // search finds fewer per box); at least 1.25×, at most 2× (a half-empty box may sit at the edge of a city).
      half = Math.min(full, half * (keys.length === 0 ? 2 : Math.min(2, Math.max(1.25, 1.15 * Math.sqrt(a.limit / keys.length)))))
    }
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
        from jsonb_to_recordset(${JSON.stringify(keys)}::text::jsonb) as k(country_code text, party_id text, id text, distance float8, ord int)
        join locations l on l.country_code = k.country_code and l.party_id = k.party_id and l.id = k.id
        join evses e on e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id and ${evseCondition(filter)}
        order by k.ord, e.position, e.uid`,
    )
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
