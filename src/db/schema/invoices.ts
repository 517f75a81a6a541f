import { sql } from 'drizzle-orm'
import { date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Monthly invoices (src/billing owns these tables). One per (contract, month): the unique index
 * makes the invoice run idempotent. Amounts are incl. VAT in the invoice currency.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull(),
    contractId: text('contract_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** The billed name as it was when the invoice was issued (kept after account deletion). */
    customerName: text('customer_name').notNull(),
    /** The postal address as it was at issue: { street, postalCode, city, country }; null = none given. */
    customerAddress: jsonb('customer_address').$type<{ street: string; postalCode: string; city: string; country: string }>(),
    /** The seller as configured at issue (name, address, VAT id); null on invoices issued before it was recorded. */
    seller: jsonb('seller').$type<Record<string, string | undefined>>(),
    homeMarket: text('home_market').notNull(),
    month: text('month').notNull(),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    total: numeric('total').notNull(),
    /** VAT contained per rate: [{ rate, gross, net, vat }] as decimal strings. */
    vat: jsonb('vat').$type<{ rate: string; gross: string; net: string; vat: string }[]>().notNull(),
    /** Credits that paid part of it: [{ creditId, source, sourceRef, amount }]. */
    credits: jsonb('credits').$type<{ creditId: string; source: string; sourceRef: string; amount: string }[]>().notNull(),
    amountDue: numeric('amount_due').notNull(),
    paid: numeric('paid').notNull(),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('invoices_contract_month_uq').on(t.contractId, t.month),
    uniqueIndex('invoices_number_uq').on(t.number),
    index('invoices_customer_idx').on(t.customerId),
  ],
)

/** The lines of an invoice; a rated charge is billed at most once (unique charge_id). */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    amount: numeric('amount').notNull(),
    vatRate: numeric('vat_rate').notNull(),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    chargeId: text('charge_id'),
    cdrId: text('cdr_id'),
    originalAmount: numeric('original_amount'),
    originalCurrency: text('original_currency'),
    fxRate: numeric('fx_rate'),
    fxRateValidFrom: date('fx_rate_valid_from', { mode: 'string' }),
    /** The rated lines explaining a charging line. */
    details: jsonb('details').$type<unknown[]>(),
    /** What the customer reads besides the amount: the session (time, place, kWh, rule), the tariff, the waiver, the card. */
    facts: jsonb('facts').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] }), uniqueIndex('invoice_lines_charge_uq').on(t.chargeId)],
)

/** Gapless numbering: the last number used per (home market, year), bumped in the invoice's transaction. */
export const invoiceCounters = pgTable(
  'invoice_counters',
  {
    homeMarket: text('home_market').notNull(),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.homeMarket, t.year] })],
)

/** Payments recorded against an invoice (a reference makes recording idempotent). */
export const invoicePayments = pgTable(
  'invoice_payments',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: numeric('amount').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    reference: text('reference').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('invoice_payments_ref_uq').on(t.invoiceId, t.reference)],
)

/**
 * The invoice run of one contract and month, as operators follow it: PENDING (queued), INVOICED,
 * NOTHING_TO_BILL, or BLOCKED with the reason the last attempt failed (a missing exchange rate, no
 * price list…). Nothing that blocks an invoice stays unseen: the blocked ones are listed and counted.
 */
export const invoiceRunItems = pgTable(
  'invoice_run_items',
  {
    contractId: text('contract_id').notNull(),
    month: text('month').notNull(),
    state: text('state').notNull(),
    invoiceId: uuid('invoice_id'),
    reasonCode: text('reason_code'),
    reason: text('reason'),
    details: jsonb('details').$type<unknown>(),
    /** Attempts since it was last queued or blocked (reset when it succeeds). */
    attempts: integer('attempts').notNull().default(0),
    blockedSince: timestamp('blocked_since', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.month] }),
    index('invoice_run_items_month_idx').on(t.month, t.state),
    index('invoice_run_items_blocked_idx').on(t.blockedSince).where(sql`state = 'BLOCKED'`),
  ],
)
