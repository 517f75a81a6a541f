import { bigint, boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * How each partner's objects deviate from OCPI 2.2.1 (src/ocpi/conformance): per partner, module and
 * deviation kind, how often it was tolerated, when first and last, and one sample (path and value as
 * received, the object's key) an operator can show the CPO.
 */
export const partnerConformance = pgTable(
  'partner_conformance',
  {
    partnerId: uuid('partner_id').notNull(),
    module: text('module').notNull(),
    kind: text('kind').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    samplePath: text('sample_path').notNull(),
    sampleReceived: text('sample_received'),
    sampleObject: text('sample_object'),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.module, t.kind] })],
)

/** A partner in strict mode has objects with any deviation refused (2001) instead of tolerated. */
export const partnerIntakeModes = pgTable('partner_intake_modes', {
  partnerId: uuid('partner_id').primaryKey(),
  strict: boolean('strict').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
})
