import { date, index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Credits a contract holds (src/billing owns these tables): redeemed credit vouchers, overpayments,
 * negative invoices. `remaining` goes down as invoices use them.
 */
export const billingCredits = pgTable(
  'billing_credits',
  {
    id: uuid('id').primaryKey(),
    contractId: text('contract_id').notNull(),
    source: text('source').notNull(),
    sourceRef: text('source_ref').notNull(),
    currency: text('currency').notNull(),
    amount: numeric('amount').notNull(),
    remaining: numeric('remaining').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('billing_credits_contract_idx').on(t.contractId),
    uniqueIndex('billing_credits_source_uq').on(t.source, t.sourceRef, t.contractId),
  ],
)

/** One-off fees (replacement cards), billed on the invoice of the month they occurred in. */
export const billingOneOffFees = pgTable(
  'billing_one_off_fees',
  {
    id: uuid('id').primaryKey(),
    contractId: text('contract_id').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    /** What the customer recognises it by (the new card's printed number). */
    label: text('label'),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    /** What caused it (the new card's uid): recording it twice creates one fee. */
    reference: text('reference').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('billing_one_off_fees_ref_uq').on(t.kind, t.reference),
    index('billing_one_off_fees_contract_idx').on(t.contractId, t.occurredOn),
  ],
)
