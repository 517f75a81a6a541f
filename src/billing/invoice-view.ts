// The JSON view of an invoice shared by the admin and app routes (decimal strings, snake_case).
import { z } from 'zod'
import type { InvoiceLine } from './billing.types.js'
import type { Invoice, Payment } from './invoices.repository.js'

const Amount = z.string().describe('Decimal string, 2 decimals, incl. VAT')

export const InvoiceSummaryView = z
  .object({
    id: z.string(),
    number: z.string(),
    contract_id: z.string(),
    month: z.string(),
    issue_date: z.string(),
    currency: z.string(),
    total: Amount,
    amount_due: Amount.describe('Total minus credits (vouchers, overpayments)'),
    paid: Amount,
    status: z.enum(['OPEN', 'PARTIALLY_PAID', 'PAID']),
  })
  .meta({ id: 'InvoiceSummary' })

export const InvoiceLineView = z
  .object({
    kind: z.string(),
    description: z.string(),
    amount: Amount,
    vat_rate: z.string(),
    service_date: z.string(),
    period_from: z.string().nullable(),
    period_to: z.string().nullable(),
    cdr_id: z.string().nullable(),
    original: z.object({ amount: z.string(), currency: z.string(), rate: z.string(), rate_valid_from: z.string() }).nullable(),
    rated_lines: z.array(z.unknown()),
  })
  .meta({ id: 'InvoiceLine' })

export const InvoiceView = InvoiceSummaryView.extend({
  customer_name: z.string(),
  home_market: z.string(),
  vat: z.array(z.object({ rate: z.string(), gross: Amount, net: Amount, vat: Amount })),
  credits: z.array(z.object({ source: z.string(), reference: z.string(), amount: Amount })),
  lines: z.array(InvoiceLineView),
  payments: z.array(z.object({ amount: Amount, paid_on: z.string(), reference: z.string() })),
}).meta({ id: 'Invoice' })

export const toInvoiceSummaryView = (i: Invoice): z.infer<typeof InvoiceSummaryView> => ({
  id: i.id,
  number: i.number,
  contract_id: i.contractId,
  month: i.month,
  issue_date: i.issueDate,
  currency: i.currency,
  total: i.total.toFixed(2),
  amount_due: i.amountDue.toFixed(2),
  paid: i.paid.toFixed(2),
  status: i.status,
})

const toLineView = (l: InvoiceLine): z.infer<typeof InvoiceLineView> => ({
  kind: l.kind,
  description: l.description,
  amount: l.amount.toFixed(2),
  vat_rate: l.vatRate.toString(),
  service_date: l.serviceDate,
  period_from: l.periodFrom ?? null,
  period_to: l.periodTo ?? null,
  cdr_id: l.cdrId ?? null,
  original: l.original ? { amount: l.original.amount.toFixed(2), currency: l.original.currency, rate: l.original.rate.toString(), rate_valid_from: l.original.rateValidFrom } : null,
  rated_lines: [...(l.details ?? [])],
})

export const toInvoiceView = (x: { invoice: Invoice; lines: InvoiceLine[]; payments: Payment[] }): z.infer<typeof InvoiceView> => ({
  ...toInvoiceSummaryView(x.invoice),
  customer_name: x.invoice.customerName,
  home_market: x.invoice.homeMarket,
  vat: x.invoice.vat.map((v) => ({ rate: v.rate.toString(), gross: v.gross.toFixed(2), net: v.net.toFixed(2), vat: v.vat.toFixed(2) })),
  credits: x.invoice.credits.map((c) => ({ source: c.source, reference: c.sourceRef, amount: c.amount.toFixed(2) })),
  lines: x.lines.map(toLineView),
  payments: x.payments.map((p) => ({ amount: p.amount.toFixed(2), paid_on: p.paidOn, reference: p.reference })),
})
