// Reads of the location tables: the objects as stored (for GET and PATCH merges) and the
// app-facing search by area, status, power type, power and capabilities.
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'
import type { LocationKey } from './locations.convert.js'

type Obj = Record<string, unknown>
interface Stored {
  object: Obj
  last_updated: Date | string
}

const where = (k: LocationKey) => sql`country_code = ${k.countryCode} and party_id = ${k.partyId}`

export const findLocationRow = async (db: Db, k: LocationKey) =>
  (
    await execRows<Stored & { removed_at: Date | null }>(
      db,
      sql`select object, last_updated, removed_at from locations where ${where(k)} and id = ${k.locationId}`,
    )
  )[0]

/** `(country_code, party_id, <idColumn>) in (...)` for several Location keys. */
const keysIn = (keys: LocationKey[], idColumn: 'id' | 'location_id') =>
  sql`(country_code, party_id, ${sql.raw(idColumn)}) in (${sql.join(
    keys.map((k) => sql`(${k.countryCode}, ${k.partyId}, ${k.locationId})`),
    sql`, `,
  )})`

/** The rows of several Locations, with their EVSEs and connectors, in three statements (rating's batch read). */
export const findLocationTrees = async (db: Db, keys: LocationKey[]) => {
  if (keys.length === 0) return { locations: [], evses: [], connectors: [] }
  const [locations, evses, connectors] = await Promise.all([
    execRows<Stored & { country_code: string; party_id: string; id: string }>(
      db,
      sql`select country_code, party_id, id, object, last_updated from locations where ${keysIn(keys, 'id')}`,
    ),
    execRows<Stored & { country_code: string; party_id: string; location_id: string; uid: string }>(
      db,
      sql`select country_code, party_id, location_id, uid, object, last_updated from evses where ${keysIn(keys, 'location_id')} order by position, uid`,
    ),
    execRows<Stored & { country_code: string; party_id: string; location_id: string; evse_uid: string }>(
      db,
      sql`select country_code, party_id, location_id, evse_uid, object, last_updated from connectors
        where ${keysIn(keys, 'location_id')} and present order by evse_uid, position, id`,
    ),
  ])
  return { locations, evses, connectors }
}

export const findEvseRows = async (db: Db, k: LocationKey, uid?: string) =>
  execRows<Stored & { uid: string }>(
    db,
    sql`select uid, object, last_updated from evses where ${where(k)} and location_id = ${k.locationId} ${uid === undefined ? sql`` : sql`and uid = ${uid}`} order by position, uid`,
  )

export const findConnectorRows = async (db: Db, k: LocationKey, evseUid?: string, id?: string) =>
  execRows<Stored & { evse_uid: string; id: string }>(
    db,
    sql`select evse_uid, id, object, last_updated from connectors where ${where(k)} and location_id = ${k.locationId} and present
      ${evseUid === undefined ? sql`` : sql`and evse_uid = ${evseUid}`} ${id === undefined ? sql`` : sql`and id = ${id}`} order by evse_uid, position, id`,
  )

/** Keys (`CC/PID/ID`) of the partner's locations not yet marked removed. */
export const activeLocationKeys = async (db: Db, partnerId: string) =>
  (
    await execRows<{ k: string }>(
      db,
      sql`select country_code || '/' || party_id || '/' || id as k from locations where partner_id = ${partnerId} and removed_at is null`,
    )
  ).map((r) => r.k)

export interface LocationSearch {
  /** Bounding box in WGS 84 degrees, as decimal strings. */
  area?: { minLat: string; maxLat: string; minLon: string; maxLon: string }
  status?: string
  powerType?: string
  minPowerW?: number
  capabilities?: string[]
  limit?: number
}

/**
 * Locations (keys) with at least one EVSE matching every given criterion; REMOVED EVSEs, absent
 * connectors and removed locations never match.
 */
export const searchLocations = async (db: Db, q: LocationSearch) => {
  const a = q.area
  return execRows<{ country_code: string; party_id: string; id: string }>(
    db,
    sql`select l.country_code, l.party_id, l.id from locations l
      where l.removed_at is null
      ${a ? sql`and l.latitude between ${a.minLat}::numeric and ${a.maxLat}::numeric and l.longitude between ${a.minLon}::numeric and ${a.maxLon}::numeric` : sql``}
      and exists (select 1 from evses e where e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id
        and e.status <> 'REMOVED'
        ${q.status ? sql`and e.status = ${q.status}` : sql``}
        ${q.capabilities?.length ? sql`and e.capabilities @> array(select jsonb_array_elements_text(${JSON.stringify(q.capabilities)}::text::jsonb))` : sql``}
        ${
          q.powerType || q.minPowerW !== undefined
            ? sql`and exists (select 1 from connectors c where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id
              and c.evse_uid = e.uid and c.present ${q.powerType ? sql`and c.power_type = ${q.powerType}` : sql``}
              ${q.minPowerW !== undefined ? sql`and c.max_power_w >= ${q.minPowerW}` : sql``})`
            : sql``
        })
      order by l.country_code, l.party_id, l.id limit ${q.limit ?? 100}`,
  )
}
