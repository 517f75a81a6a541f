/**
 * The contract model every other area (tokens, rating, billing, the app) reads.
 * Dates are calendar dates `YYYY-MM-DD`; money does not live here (price lists are in src/catalog).
 */
import type { ContractStanding } from '../ocpi/tokens/index.js'

export type { ContractStanding }

export const HOME_MARKETS = ['DE', 'SI', 'EE'] as const
export type HomeMarket = (typeof HOME_MARKETS)[number]

export const TARIFFS = ['ACTIVE', 'FLEX'] as const
export type ContractTariff = (typeof TARIFFS)[number]

export const CONTRACT_STATES = ['active', 'cancelled', 'terminated'] as const
export type ContractState = (typeof CONTRACT_STATES)[number]

export const PACKAGE_CODES = ['IONITY_PLUS'] as const
export type PackageCode = (typeof PACKAGE_CODES)[number]

export interface Vehicle {
  vin: string
  /** Model name as sold, e.g. `iX`, `i4`. */
  model: string
  deliveryDate: string
  /** A new vehicle (new-vehicle benefits in the price lists); false for used cars. */
  isNew: boolean
}

export interface ContractPackage {
  code: PackageCode
  bookedAt: string
  endsAt?: string | null
}

export interface Contract {
  contractId: string
  customerId: string
  homeMarket: HomeMarket
  tariff: ContractTariff
  state: ContractState
  startDate: string
  /** Set when cancelled (the last day charging is allowed) or terminated (the day it ended). */
  endDate: string | null
  /** A payment problem: charging refused with NO_CREDIT until cleared. */
  noCredit: boolean
  vehicle: Vehicle
  packages: ContractPackage[]
  createdAt: Date
  updatedAt: Date
}

/** A postal address as printed on invoices. `country` is ISO 3166-1 alpha-2. */
export interface CustomerAddress {
  /** Street and house number. */
  street: string
  postalCode: string
  city: string
  country: string
}

export const PAYMENT_METHODS = ['SEPA_DIRECT_DEBIT', 'BANK_TRANSFER'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/** How the customer pays, with the details we hold (never a card number: cards stay with the payment provider). */
export type PaymentDetails =
  | { method: 'SEPA_DIRECT_DEBIT'; iban: string; accountHolder: string; mandateReference: string; mandateSignedOn: string }
  | { method: 'BANK_TRANSFER' }

export interface Customer {
  id: string
  name: string
  email: string
  /** Null until given (customers created by an operator may have none). */
  address: CustomerAddress | null
  /** The language the customer chose (`en`, `de`, `sl`, `et`); null = the home market's. */
  language: string | null
  phone: string | null
  payment: PaymentDetails | null
  /** Set when the account was deleted (personal data erased or pseudonymised). */
  deletedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/**
 * Whether the contract lets its tokens charge on `today` (a `YYYY-MM-DD` date):
 * - `terminated`: ended at once (fraud, breach): refused as BLOCKED;
 * - `ended`: cancelled and past its end date: EXPIRED;
 * - `not_started`: before the start date: NOT_ALLOWED;
 * - `no_credit`: payment problem: NO_CREDIT;
 * - `ok`: charging allowed (a cancelled contract charges until its end date, inclusive).
 *
 * The tokens module declares this rule's shape as its port (`ContractStandingPort`); the standings are
 * its `ContractStanding`, so the two cannot drift apart.
 */
export const contractStanding = (c: Pick<Contract, 'state' | 'startDate' | 'endDate' | 'noCredit'>, today: string): ContractStanding => {
  if (c.state === 'terminated') return 'terminated'
  if (c.state === 'cancelled' && c.endDate !== null && today > c.endDate) return 'ended'
  if (today < c.startDate) return 'not_started'
  if (c.noCredit) return 'no_credit'
  return 'ok'
}

/** Whether a package is booked on `today`. */
export const hasPackage = (c: Pick<Contract, 'packages'>, code: PackageCode, today: string): boolean =>
  c.packages.some((p) => p.code === code && p.bookedAt <= today && (!p.endsAt || today <= p.endsAt))

/** The calendar date of an instant in UTC (see README: we use UTC days for contract dates). */
export { utcDay } from '../platform/clock.js'
