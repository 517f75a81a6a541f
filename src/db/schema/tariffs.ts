import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Every version of every tariff a CPO sent. A version is valid from `valid_from` (its
 * `last_updated`) until the next version of the same tariff; a DELETE is a tombstone version
 * (`object` null) valid from the moment we received it. Rows are never updated except to replace
 * the object of a replay carrying the same `last_updated`.
 */
export const tariffVersions = pgTable(
  'tariff_versions',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    tariffId: text('tariff_id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true, mode: 'date' }).notNull(),
    /** The Tariff as received; null for a deletion. */
    object: jsonb('object').$type<Record<string, unknown>>(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('tariff_versions_key_idx').on(t.countryCode, t.partyId, t.tariffId, t.validFrom),
    index('tariff_versions_partner_idx').on(t.partnerId),
  ],
)
