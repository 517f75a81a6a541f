import { sql } from 'drizzle-orm'
import { boolean, index, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * CDR audits (issue 6): each CDR priced with the operator's tariff and compared with the CDR's own
 * totals. One row per CDR. `tariff_source` says which tariffs were used: STORED (the version valid
 * at the CDR's start), EMBEDDED (the CDR's own `tariffs`, when none is stored) or NONE (not
 * audited, `reason` says why). Amounts in the CDR's currency; `differences` holds every compared
 * total (claimed − computed), `breakdown` the explanation and the priced lines.
 */
export const cdrAudits = pgTable(
  'cdr_audits',
  {
    cdrId: uuid('cdr_id').primaryKey(),
    tariffSource: text('tariff_source').$type<'STORED' | 'EMBEDDED' | 'NONE'>().notNull(),
    tariffIds: jsonb('tariff_ids').$type<string[]>().notNull(),
    currency: text('currency').notNull(),
    /** Our recomputed totals and the CDR's stated totals, `{ total_cost: { excl_vat, incl_vat }, … }` as strings. */
    computedTotals: jsonb('computed_totals').$type<Record<string, unknown>>(),
    claimedTotals: jsonb('claimed_totals').$type<Record<string, unknown>>().notNull(),
    differences: jsonb('differences').$type<Record<string, unknown>[]>().notNull(),
    /** claimed − computed of total_cost excl. VAT; null when not audited. */
    totalCostDifference: numeric('total_cost_difference'),
    tolerance: numeric('tolerance').notNull(),
    flagged: boolean('flagged').notNull(),
    breakdown: jsonb('breakdown').$type<Record<string, unknown>>().notNull(),
    reason: text('reason'),
    auditedAt: timestamp('audited_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('cdr_audits_flagged_idx').on(t.auditedAt, t.cdrId).where(sql`flagged`)],
)
