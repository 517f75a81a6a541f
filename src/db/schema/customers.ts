import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** How a customer pays, with the details we hold (never a card number: cards stay with the payment provider). */
export type CustomerPaymentRow =
  | { method: 'SEPA_DIRECT_DEBIT'; iban: string; accountHolder: string; mandateReference: string; mandateSignedOn: string }
  | { method: 'BANK_TRANSFER' }

/** A driver who holds a BMW Charging contract (src/customers owns these tables). */
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
  /** Contact phone number, as given in the customer area; null until given. */
  phone: text('phone'),
  payment: jsonb('payment').$type<CustomerPaymentRow>(),
  /** The account was deleted: personal data erased or pseudonymised, the row kept for invoices and CDRs. */
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
})

/**
 * How a customer logs in to the customer area: a local password (scrypt) with a verified e-mail
 * address, or an OpenID Connect identity (issuer + subject). One row per customer.
 */
export const customerAccounts = pgTable(
  'customer_accounts',
  {
    customerId: uuid('customer_id')
      .primaryKey()
      .references(() => customers.id),
    /** Login e-mail, trimmed and lower-cased. */
    email: text('email').notNull(),
    /** `scrypt$N$r$p$salt$hash` (base64url); null for an OpenID Connect account. */
    passwordHash: text('password_hash'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    /** Failed password logins in a row; reaching the limit locks the login until `locked_until`. */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('customer_accounts_email_uq').on(t.email), uniqueIndex('customer_accounts_oidc_uq').on(t.oidcIssuer, t.oidcSubject)],
)

/**
 * One-time links sent by e-mail: a registration waiting for its e-mail address to be confirmed
 * (`payload` holds the registration, with the password already hashed) and password resets.
 * Only the SHA-256 of the token is stored.
 */
export const customerAccountTokens = pgTable(
  'customer_account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** registration, password_reset. */
    purpose: text('purpose').notNull(),
    email: text('email').notNull(),
    customerId: uuid('customer_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('customer_account_tokens_email_idx').on(t.email), index('customer_account_tokens_expires_idx').on(t.expiresAt)],
)

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
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
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
