import { sql } from 'drizzle-orm'
import { boolean, index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * CDRs received from CPOs: write-once. `raw` is the request body exactly as received, `object`
 * the validated OCPI CDR, `content_hash` the hash of its canonical JSON (the immutability check);
 * the other columns are normalized copies (CiString ids upper-cased, money and quantities numeric).
 */
export const cdrs = pgTable(
  'cdrs',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    cdrId: text('cdr_id').notNull(),
    contentHash: text('content_hash').notNull(),
    raw: text('raw').notNull(),
    object: jsonb('object').$type<Record<string, unknown>>().notNull(),
    sessionId: text('session_id'),
    /** Our session row when it was known at receipt; otherwise look it up by (country_code, party_id, session_id). */
    sessionRowId: uuid('session_row_id'),
    tokenCountryCode: text('token_country_code').notNull(),
    tokenPartyId: text('token_party_id').notNull(),
    tokenUid: text('token_uid').notNull(),
    tokenType: text('token_type').notNull(),
    contractId: text('contract_id').notNull(),
    authorizationReference: text('authorization_reference'),
    startDateTime: timestamp('start_date_time', { withTimezone: true, mode: 'date' }).notNull(),
    endDateTime: timestamp('end_date_time', { withTimezone: true, mode: 'date' }).notNull(),
    currency: text('currency').notNull(),
    totalCostExclVat: numeric('total_cost_excl_vat').notNull(),
    totalCostInclVat: numeric('total_cost_incl_vat'),
    totalEnergy: numeric('total_energy').notNull(),
    totalTime: numeric('total_time').notNull(),
    totalParkingTime: numeric('total_parking_time'),
    credit: boolean('credit').notNull(),
    creditReferenceId: text('credit_reference_id'),
    /** The CDR this credit corrects, when it was known at receipt. */
    creditedCdrRowId: uuid('credited_cdr_row_id'),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** What the CPO sent that the spec does not allow and how it was read: [{ kind, path, received }]. */
    deviations: jsonb('deviations').$type<{ kind: string; path: string; received?: string }[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('cdrs_key_idx').on(t.countryCode, t.partyId, t.cdrId),
    index('cdrs_session_idx').on(t.countryCode, t.partyId, t.sessionId),
    index('cdrs_token_idx').on(t.tokenUid, t.tokenType),
    index('cdrs_contract_idx').on(t.contractId),
    index('cdrs_credit_reference_idx').on(t.countryCode, t.partyId, t.creditReferenceId).where(sql`credit_reference_id is not null`),
    index('cdrs_received_at_idx').on(t.receivedAt, t.id),
  ],
)
