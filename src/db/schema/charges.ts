import { sql } from 'drizzle-orm'
import { index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Rated charges: what a customer pays for one CDR under their contract (src/rating). History is
 * kept: a re-rating inserts a new row and points the previous one at it (`superseded_by`), so the
 * active charge of a CDR is the one not superseded (at most one, by the partial unique index).
 * `lines` are the engine's lines as JSON strings (amounts exact, 2 decimals).
 */
export const charges = pgTable(
  'charges',
  {
    id: uuid('id').primaryKey(),
    /** Our CDR row id (cdrs.id). */
    cdrId: uuid('cdr_id').notNull(),
    /** eMA id of the contract that was charged. */
    contractId: text('contract_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** CHARGE for a normal CDR, REVERSAL for a credit CDR (negative total). */
    kind: text('kind').$type<'CHARGE' | 'REVERSAL'>().notNull(),
    rule: text('rule').notNull(),
    currency: text('currency').notNull(),
    total: numeric('total').notNull(),
    lines: jsonb('lines').$type<Record<string, unknown>[]>().notNull(),
    /** `<home market>@<valid from>` of the price list used. */
    catalogVersion: text('catalog_version').notNull(),
    cdrStart: timestamp('cdr_start', { withTimezone: true, mode: 'date' }).notNull(),
    cdrEnd: timestamp('cdr_end', { withTimezone: true, mode: 'date' }).notNull(),
    ratedAt: timestamp('rated_at', { withTimezone: true, mode: 'date' }).notNull(),
    supersededBy: uuid('superseded_by'),
  },
  (t) => [
    uniqueIndex('charges_active_cdr_idx').on(t.cdrId).where(sql`superseded_by is null`),
    index('charges_cdr_idx').on(t.cdrId, t.ratedAt),
    index('charges_contract_end_idx').on(t.contractId, t.cdrEnd).where(sql`superseded_by is null`),
  ],
)

/**
 * The rating state of every CDR we tried to rate: RATED (with the active charge), UNRATED with the
 * reason (unknown token/contract, no price list, an implausible CDR, a credit without its
 * original, …) so an operator sees it and can rerate, or REJECTED by an operator (moves no money).
 * `decision` is the operator's: APPROVED (rate although held, e.g. implausible) or REJECTED.
 */
export const cdrRatings = pgTable(
  'cdr_ratings',
  {
    cdrId: uuid('cdr_id').primaryKey(),
    status: text('status').$type<'RATED' | 'UNRATED' | 'REJECTED'>().notNull(),
    reasonCode: text('reason_code'),
    reason: text('reason'),
    chargeId: uuid('charge_id'),
    attempts: integer('attempts').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    decision: text('decision').$type<'APPROVED' | 'REJECTED'>(),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('cdr_ratings_unrated_idx').on(t.updatedAt).where(sql`status = 'UNRATED'`)],
)
