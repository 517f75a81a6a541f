import { date, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** Voucher codes operators create (src/billing owns these tables). */
export const vouchers = pgTable('vouchers', {
  /** Upper-case code as printed. */
  code: text('code').primaryKey(),
  /** CREDIT (an amount) or BASE_FEE_MONTHS (months without base fee). */
  kind: text('kind').notNull(),
  creditAmount: numeric('credit_amount'),
  currency: text('currency'),
  months: integer('months'),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validUntil: date('valid_until', { mode: 'string' }).notNull(),
  maxRedemptions: integer('max_redemptions').notNull(),
  homeMarkets: jsonb('home_markets').$type<string[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
})

/** One redemption of a code by a contract; `months_left` for BASE_FEE_MONTHS vouchers. */
export const voucherRedemptions = pgTable(
  'voucher_redemptions',
  {
    id: uuid('id').primaryKey(),
    code: text('code')
      .notNull()
      .references(() => vouchers.code),
    contractId: text('contract_id').notNull(),
    redeemedOn: date('redeemed_on', { mode: 'string' }).notNull(),
    monthsLeft: integer('months_left').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('voucher_redemptions_code_contract_uq').on(t.code, t.contractId)],
)
