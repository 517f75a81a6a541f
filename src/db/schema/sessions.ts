import { sql } from 'drizzle-orm'
import { index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Charging sessions pushed (or pulled) from CPOs, one row per (country_code, party_id, id) of
 * the CPO. `object` is the OCPI Session as it currently stands (PUT replaced, PATCHes merged);
 * the other columns are normalized copies for lookups. Ids are CiStrings, so the key columns
 * and the token/contract/authorization columns hold upper-cased values.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    /** The partner connection that pushed it (a CPO platform or a hub). */
    partnerId: uuid('partner_id').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    sessionId: text('session_id').notNull(),
    status: text('status').notNull(),
    startDateTime: timestamp('start_date_time', { withTimezone: true, mode: 'date' }).notNull(),
    endDateTime: timestamp('end_date_time', { withTimezone: true, mode: 'date' }),
    kwh: numeric('kwh').notNull(),
    currency: text('currency').notNull(),
    totalCostExclVat: numeric('total_cost_excl_vat'),
    totalCostInclVat: numeric('total_cost_incl_vat'),
    tokenCountryCode: text('token_country_code').notNull(),
    tokenPartyId: text('token_party_id').notNull(),
    tokenUid: text('token_uid').notNull(),
    tokenType: text('token_type').notNull(),
    contractId: text('contract_id').notNull(),
    authorizationReference: text('authorization_reference'),
    locationId: text('location_id').notNull(),
    evseUid: text('evse_uid').notNull(),
    connectorId: text('connector_id').notNull(),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('sessions_key_idx').on(t.countryCode, t.partyId, t.sessionId),
    index('sessions_token_idx').on(t.tokenUid, t.tokenType),
    index('sessions_contract_idx').on(t.contractId),
    index('sessions_authorization_reference_idx').on(t.authorizationReference).where(sql`authorization_reference is not null`),
    index('sessions_last_updated_idx').on(t.lastUpdated),
  ],
)
