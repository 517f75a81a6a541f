import { sql } from 'drizzle-orm'
import {
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * Locations pushed or pulled from CPOs, split into three tables so an EVSE status PATCH (the
 * hottest OCPI write) touches one small row. Each row keeps the object as received at its level
 * (`object`, without its children) plus the fields the app queries by. Searches start from the
 * location (area, key), so EVSEs and connectors are indexed by their key only.
 * Keys are upper-cased (OCPI ids are case-insensitive CiStrings).
 * The tables are created with free space on every page (fillfactor, migration 0008) so that updates,
 * none of which changes an indexed column, stay on their page (HOT) and touch no index.
 */
export const locations = pgTable(
  'locations',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    id: text('id').notNull(),
    /** The partner whose connection delivered it (full pulls detect vanished objects per partner). */
    partnerId: uuid('partner_id').notNull(),
    publish: boolean('publish').notNull(),
    latitude: numeric('latitude', { precision: 10, scale: 7 }).notNull(),
    longitude: numeric('longitude', { precision: 11, scale: 7 }).notNull(),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set when a full pull no longer lists the location; cleared when it comes back. */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
    /** The Location as received, without `evses`. */
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countryCode, t.partyId, t.id] }),
    index('locations_area_idx').on(t.latitude, t.longitude),
    index('locations_partner_idx').on(t.partnerId),
    // The app's map (issue 20): a two-dimensional index on the point of every shown location, so a box
    // reads only the locations inside it (the btree above reads a whole latitude band across Europe).
    index('locations_map_idx')
      .using('gist', sql`point((longitude)::float8, (latitude)::float8)`)
      .where(sql`removed_at is null and publish`),
    // The app names a location by its id alone (the Start button, help-desk commands).
    index('locations_id_idx').on(t.id),
  ],
)

export const evses = pgTable(
  'evses',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    locationId: text('location_id').notNull(),
    uid: text('uid').notNull(),
    status: text('status').notNull(),
    capabilities: text('capabilities').array().notNull().default(sql`'{}'::text[]`),
    /** Where the CPO listed it in its Location (0-based); EVSEs are served in this order. */
    position: integer('position').notNull().default(0),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    /** The EVSE as received, without `connectors`. */
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
  },
  // Only the key is indexed: every reader reaches EVSEs through their location, and an index on a
  // column the status PATCH writes would make the hottest write touch it (and not be a HOT update).
  (t) => [primaryKey({ columns: [t.countryCode, t.partyId, t.locationId, t.uid] })],
)

export const connectors = pgTable(
  'connectors',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    locationId: text('location_id').notNull(),
    evseUid: text('evse_uid').notNull(),
    id: text('id').notNull(),
    powerType: text('power_type').notNull(),
    standard: text('standard').notNull(),
    /** Watts: `max_electric_power`, else voltage × amperage (× 3 on AC_3_PHASE). */
    maxPowerW: integer('max_power_w').notNull(),
    /** False once a PUT of its EVSE no longer lists it (OCPI never deletes connectors). */
    present: boolean('present').notNull().default(true),
    /** Where the CPO listed it in its EVSE (0-based); connectors are served in this order. */
    position: integer('position').notNull().default(0),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
  },
  // Read through their EVSE only, like EVSEs.
  (t) => [primaryKey({ columns: [t.countryCode, t.partyId, t.locationId, t.evseUid, t.id] })],
)

/**
 * The app map's summary of a location (issue 20.3), kept by every write of its location, EVSEs and
 * connectors in the same transaction (src/ocpi/locations README, "The map summary"): the map reads
 * one row per location instead of probing EVSEs and connectors. `evses` is every EVSE (REMOVED ones
 * too, so a status PATCH can change its entry in place) in the CPO's order, each already in the shape
 * of the app's `AppEvse` with `app_start` = REMOTE_START_STOP_CAPABLE (the operator's reachability is
 * the request's); `evse_uids` are their keys in the same order. The flags say which map filters the
 * location passes, so a filtered search is one indexed query. `json`, not `jsonb`: its text (and key
 * order) is served as stored.
 */
export const locationMaps = pgTable(
  'location_maps',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    id: text('id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    /** Published and not removed: what the map may show. */
    visible: boolean('visible').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    evseUids: text('evse_uids').array().notNull(),
    evses: json('evses').notNull(),
    /** An EVSE that is not REMOVED. */
    hasEvse: boolean('has_evse').notNull(),
    /** A REMOVED EVSE (the unfiltered map then leaves its entry out). */
    hasRemoved: boolean('has_removed').notNull(),
    hasAvailable: boolean('has_available').notNull(),
    /** A REMOTE_START_STOP_CAPABLE EVSE that is not REMOVED. */
    hasStart: boolean('has_start').notNull(),
    /** One EVSE both AVAILABLE and REMOTE_START_STOP_CAPABLE: "available now and the app can start it". */
    hasAvailableStart: boolean('has_available_start').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countryCode, t.partyId, t.id] }),
    index('location_maps_available_idx').using('gist', sql`point(longitude, latitude)`).where(sql`visible and has_available`),
    index('location_maps_start_idx').using('gist', sql`point(longitude, latitude)`).where(sql`visible and has_start`),
    index('location_maps_available_start_idx').using('gist', sql`point(longitude, latitude)`).where(sql`visible and has_available_start`),
  ],
)
