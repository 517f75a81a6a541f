import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

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
