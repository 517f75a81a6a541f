// Billing's domain types. Amounts are Decimals incl. VAT; invoice lines are rounded to cents.
import type { Decimal } from './money.js'

/** A rated CDR as the rating area stores it (`listCharges` in src/rating/index.ts). */
export interface RatedCharge {
  id: string
  cdrId: string
  contractId: string
  kind: 'CHARGE' | 'REVERSAL'
  rule: string
  currency: string
  total: Decimal
  lines: readonly unknown[]
  catalogVersion: string
  cdrStart: Date
  cdrEnd: Date
}

/** The port billing reads rated charges through (wired to rating's `listCharges`). */
export interface ChargesSource {
  listCharges(q: { contractId: string; endedFrom: Date; endedTo: Date }): Promise<RatedCharge[]>
}

/**
 * Where and when a charging session took place, as its CDR (and the CPO's Location, for the time
 * zone and operator) say. Kept on the invoice line, so the invoice reads the same in every language
 * and years later.
 */
export interface SessionFacts {
  /** Plug-in and unplug (ISO 8601 instants). */
  start: string
  end: string
  /** IANA zone the local times are shown in: the Location's, else the charging country's, else UTC. */
  timeZone: string
  locationName: string | null
  address: string | null
  city: string | null
  /** `cdr_location.country` as the CPO sent it (ISO 3166-1 alpha-3). */
  country: string
  operator: string | null
  evseId: string | null
  /** `connector_power_type` (AC_1_PHASE … DC). */
  powerType: string | null
  /** Energy charged (decimal text); empty when unknown. */
  kwh: string
}

/** The port billing reads session facts through (wired to the CDRs and Locations modules). */
export interface SessionFactsSource {
  /** Facts of the CDRs with these ids (our row ids); a CDR not found is left out. */
  sessionFacts(cdrIds: readonly string[]): Promise<Map<string, SessionFacts>>
}

export const LINE_KINDS = ['CHARGING', 'REVERSAL', 'CORRECTION', 'BASE_FEE', 'PACKAGE_FEE', 'WAIVER', 'ONE_OFF'] as const
export type LineKind = (typeof LINE_KINDS)[number]

export interface InvoiceLine {
  kind: LineKind
  description: string
  /** In the invoice currency, incl. VAT, cents. */
  amount: Decimal
  vatRate: Decimal
  /** The day that decides the VAT rate and the exchange rate (session end, period start, fee day). */
  serviceDate: string
  periodFrom?: string
  periodTo?: string
  chargeId?: string
  cdrId?: string
  /** A session rated in another currency: its own amount, that currency and the rate used. */
  original?: { amount: Decimal; currency: string; rate: Decimal; rateValidFrom: string }
  /** The rated lines that explain a charging line (as rating produced them). */
  details?: readonly unknown[]
  /** A charging, reversal or correction line: the session and the rating rule that priced it. */
  session?: SessionFacts
  rule?: string
  /** A correction: what earlier invoices billed for the session (the line is the difference). */
  billedBefore?: Decimal
  /** A base fee: the tariff it is the fee of. */
  tariff?: 'ACTIVE' | 'FLEX'
  /** A waiver: why, and what it waives. */
  waiver?: { reason: 'NEW_VEHICLE' | 'VOUCHER'; waives: 'BASE_FEE' | 'PACKAGE_FEE'; months?: number; voucherCode?: string }
  /** A one-off fee: what it is for (a replacement card and its printed number). */
  oneOff?: { kind: 'REPLACEMENT_CARD'; label: string | null }
}

/** What earlier invoices billed for a CDR: the charges (ids) and the amount in the invoice currency. */
export interface InvoicedCdr {
  chargeIds: ReadonlySet<string>
  amount: Decimal
}

export const INVOICE_STATUSES = ['OPEN', 'PARTIALLY_PAID', 'PAID'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

/** A credit the customer holds: a redeemed credit voucher, an overpayment, a negative invoice. */
export interface Credit {
  id: string
  source: 'VOUCHER' | 'OVERPAYMENT' | 'NEGATIVE_INVOICE'
  sourceRef: string
  currency: string
  remaining: Decimal
}

export interface CreditUse {
  creditId: string
  source: Credit['source']
  sourceRef: string
  amount: Decimal
}

/** A redeemed "months without base fee" voucher with months left. */
export interface FeeMonthsVoucher {
  redemptionId: string
  code: string
  monthsLeft: number
}

/** Who issues the invoices (configuration, `SELLER_*`), as printed on them. */
export interface Seller {
  brand: string
  name: string
  street: string
  postalCode: string
  city: string
  /** ISO 3166-1 alpha-2. */
  country: string
  vatId: string
  email?: string
  iban?: string
  bic?: string
}

/** Where an invoice run of one contract and month stands (see invoice-runs.repository.ts). */
export const RUN_ITEM_STATES = ['PENDING', 'INVOICED', 'NOTHING_TO_BILL', 'BLOCKED'] as const
export type RunItemState = (typeof RUN_ITEM_STATES)[number]
