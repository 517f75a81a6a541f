import { boolean, date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** A driver who holds a BMW Charging contract (src/customers owns both tables). */
export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  /** Postal address (billing: printed on invoices); null until the customer gives one. */
  addressStreet: text('address_street'),
  addressPostalCode: text('address_postal_code'),
  addressCity: text('address_city'),
  /** ISO 3166-1 alpha-2. */
  addressCountry: text('address_country'),
  /** The language the customer chose (`en`, `de`, `sl`, `et`); null = the home market's. */
  language: text('language'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
})

/** One package booked on a contract (IONITY Plus for now). */
export interface ContractPackageRow {
  code: string
  bookedAt: string
  endsAt?: string | null
}

/**
 * A charging contract, keyed by its eMA contract id (`DE-BMW-C12345678-9`).
 * Dates are calendar dates (`YYYY-MM-DD`) in the home market's time zone.
 */
export const contracts = pgTable(
  'contracts',
  {
    contractId: text('contract_id').primaryKey(),
    customerId: uuid('customer_id').notNull().references(() => customers.id),
    homeMarket: text('home_market').notNull(),
    tariff: text('tariff').notNull(),
    /** active, cancelled (ends on end_date), terminated (ended at once). */
    state: text('state').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    /** Payment problem: tokens answer NO_CREDIT until cleared. */
    noCredit: boolean('no_credit').notNull().default(false),
    vehicleVin: text('vehicle_vin').notNull(),
    vehicleModel: text('vehicle_model').notNull(),
    vehicleDeliveryDate: date('vehicle_delivery_date', { mode: 'string' }).notNull(),
    vehicleIsNew: boolean('vehicle_is_new').notNull(),
    packages: jsonb('packages').$type<ContractPackageRow[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('contracts_customer_idx').on(t.customerId)],
)
