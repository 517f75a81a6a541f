// The invoice of one contract and month as an ordered list of small pure steps:
// charging lines (FX) → fee lines (periods, waivers, voucher months) → one-off fees → totals and
// VAT → credits. No I/O: the service loads the inputs and stores the result.
import type { Contract } from '../customers/index.js'
import type { MarketCatalog } from '../catalog/index.js'
import type { Credit, CreditUse, FeeMonthsVoucher, InvoicedCdr, InvoiceLine, RatedCharge, SessionFacts } from './billing.types.js'
import { chargingLines } from './charging-lines.js'
import { applyCredits } from './credits.js'
import { feeLines } from './fee-lines.js'
import type { ExchangeRate } from './fx.js'
import { type Decimal, sum, toCents } from './money.js'
import { vatSummary, type VatSummaryRow } from './vat.js'

export interface OneOffFee {
  id: string
  kind: 'REPLACEMENT_CARD'
  description: string
  /** What the customer recognises it by (the card's printed number). */
  label: string | null
  amount: Decimal
  occurredOn: string
}

export interface InvoiceInput {
  contract: Pick<Contract, 'homeMarket' | 'tariff' | 'startDate' | 'endDate' | 'state' | 'vehicle' | 'packages'>
  month: string
  currency: string
  charges: readonly RatedCharge[]
  /** Session facts by CDR id; absent = none known (lines carry the charge's times only). */
  sessions?: ReadonlyMap<string, SessionFacts>
  /** CDRs on earlier invoices; absent = none. */
  invoiced?: ReadonlyMap<string, InvoicedCdr>
  oneOffFees: readonly OneOffFee[]
  rates: readonly ExchangeRate[]
  credits: readonly Credit[]
  feeMonthVouchers: readonly FeeMonthsVoucher[]
  firstContractOfVehicle: boolean
  catalogOn: (day: string) => MarketCatalog
  vatRateOn: (day: string) => Decimal
}

export interface InvoiceDraft {
  lines: InvoiceLine[]
  total: Decimal
  vat: VatSummaryRow[]
  creditUses: CreditUse[]
  amountDue: Decimal
  carryForward: Decimal
  voucherMonthsUsed: { redemptionId: string; months: number }[]
}

export type InvoiceCalcResult =
  | { ok: true; draft: InvoiceDraft }
  | { ok: false; reason: 'missing_exchange_rate'; missingRates: { currency: string; day: string }[] }

export const calculateInvoice = (input: InvoiceInput): InvoiceCalcResult => {
  const charging = chargingLines({
    charges: input.charges,
    currency: input.currency,
    rates: input.rates,
    vatRateOn: input.vatRateOn,
    invoiced: input.invoiced ?? new Map(),
    sessions: input.sessions ?? new Map(),
  })
  if (!charging.ok) return { ok: false, reason: 'missing_exchange_rate', missingRates: charging.missingRates }
  const fees = feeLines({
    contract: input.contract,
    month: input.month,
    catalogOn: input.catalogOn,
    firstContractOfVehicle: input.firstContractOfVehicle,
    vatRateOn: input.vatRateOn,
    feeMonthVouchers: input.feeMonthVouchers,
  })
  const oneOff: InvoiceLine[] = input.oneOffFees.map((f) => ({
    kind: 'ONE_OFF',
    description: f.description,
    amount: toCents(f.amount),
    vatRate: input.vatRateOn(f.occurredOn),
    serviceDate: f.occurredOn,
    oneOff: { kind: f.kind, label: f.label },
  }))
  const lines = [...fees.lines, ...oneOff, ...charging.lines]
  const total = sum(lines.map((l) => l.amount))
  const credits = applyCredits(total, input.credits)
  return {
    ok: true,
    draft: {
      lines,
      total,
      vat: vatSummary(lines),
      creditUses: credits.uses,
      amountDue: credits.amountDue,
      carryForward: credits.carryForward,
      voucherMonthsUsed: fees.voucherMonthsUsed,
    },
  }
}

/** Nothing to bill: no line at all (a month of a Flex contract without sessions). */
export const isEmptyDraft = (d: InvoiceDraft) => d.lines.length === 0
