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
