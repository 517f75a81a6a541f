import { date, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/** Effective-dated exchange rates operators maintain: 1 `base` = `rate` × `quote` from `valid_from`. */
export const exchangeRates = pgTable(
  'exchange_rates',
  {
    base: text('base').notNull(),
    quote: text('quote').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    rate: numeric('rate').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.base, t.quote, t.validFrom] })],
)
