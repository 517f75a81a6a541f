// The JSON of an invoice shared by the admin and app routes: snake_case, amounts as decimal
// strings, and `document`, the same invoice fully localised (invoice-document.ts) for clients that
// show it as it is printed.
import { z } from 'zod'
import type { InvoiceLine, Seller } from './billing.types.js'
import { openAmount, servicePeriod, type InvoiceDocument, type InvoiceListItem } from './invoice-document.js'
import type { Invoice, Payment } from './invoices.repository.js'

const Amount = z.string().describe('Decimal string, 2 decimals, incl. VAT')

export const InvoiceSummaryView = z
  .object({
    id: z.string(),
    number: z.string(),
    contract_id: z.string(),
    month: z.string(),
    issue_date: z.string(),
    due_date: z.string(),
    currency: z.string(),
    total: Amount,
    amount_due: Amount.describe('Total minus credits (vouchers, overpayments)'),
    paid: Amount,
    amount_open: Amount.describe('Amount due minus payments, never below 0'),
    status: z.enum(['OPEN', 'PARTIALLY_PAID', 'PAID']),
  })
  .meta({ id: 'InvoiceSummary' })

export const InvoiceListItemView = InvoiceSummaryView.extend({
  display: z
    .object({
      month: z.string(),
      issue_date: z.string(),
      due_date: z.string(),
      total: z.string(),
      open: z.string(),
      status: z.string(),
      pdf_filename: z.string(),
    })
    .describe("The same invoice localised for a list (the customer's language or ?lang=)"),
}).meta({ id: 'InvoiceListItem' })

export const toInvoiceListItemView = (x: { invoice: Invoice; item: InvoiceListItem }): z.infer<typeof InvoiceListItemView> => ({
  ...toInvoiceSummaryView(x.invoice),
  display: {
    month: x.item.month,
    issue_date: x.item.issueDate,
    due_date: x.item.dueDate,
    total: x.item.total,
    open: x.item.open,
    status: x.item.status.label,
    pdf_filename: x.item.pdfFilename,
  },
})

const AddressView = z.object({ street: z.string(), postal_code: z.string(), city: z.string(), country: z.string() })

const SessionView = z
  .object({
    start: z.string(),
    end: z.string(),
    time_zone: z.string().describe('IANA zone of the local times shown'),
    location_name: z.string().nullable(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().describe('ISO 3166-1 alpha-3, as the CPO sent it'),
    operator: z.string().nullable(),
    evse_id: z.string().nullable(),
    power_type: z.string().nullable(),
    kwh: z.string(),
    minutes: z.number().int().describe('Started minutes from plug-in to unplug'),
  })
  .meta({ id: 'InvoiceSession' })

const RatedLineView = z
  .object({ kind: z.string(), quantity: z.string(), unit: z.string(), unit_price: z.string(), amount: Amount, text: z.string() })
  .meta({ id: 'RatedLine' })

export const InvoiceLineView = z
  .object({
    kind: z.string(),
    description: z.string().describe('English; the localised text is in `document`'),
    amount: Amount,
    vat_rate: z.string(),
    service_date: z.string(),
    period_from: z.string().nullable(),
    period_to: z.string().nullable(),
    cdr_id: z.string().nullable(),
    session: SessionView.nullable(),
    rule: z.string().nullable().describe('The rating rule that priced the session (fixed_price, pass_through_flex, …)'),
    billed_before: Amount.nullable().describe('A correction: what earlier invoices billed for the session'),
    tariff: z.string().nullable(),
    waiver: z
      .object({ reason: z.string(), waives: z.string(), months: z.number().int().nullable(), voucher_code: z.string().nullable() })
      .nullable(),
    one_off: z.object({ kind: z.string(), label: z.string().nullable() }).nullable(),
    original: z.object({ amount: z.string(), currency: z.string(), rate: z.string(), rate_valid_from: z.string() }).nullable(),
    rated_lines: z.array(RatedLineView),
  })
  .meta({ id: 'InvoiceLine' })

const Row = z.object({ label: z.string(), amount: z.string(), emphasis: z.boolean() })
const Party = z.object({ heading: z.string(), name: z.string(), address_lines: z.array(z.string()) })
export const InvoiceDocumentView = z
  .object({
    locale: z.string(),
    title: z.string(),
    heading: z.string(),
    brand: z.string(),
    seller: Party.extend({ vat_id: z.string(), contact: z.string().nullable() }),
    customer: Party,
    facts: z.array(z.object({ label: z.string(), value: z.string() })),
    status: z.object({ code: z.string(), label: z.string() }),
    columns: z.object({ date: z.string(), description: z.string(), vat: z.string(), amount: z.string() }),
    lines: z.array(
      z.object({
        kind: z.string(),
        date: z.string(),
        title: z.string(),
        details: z.array(z.string()),
        breakdown: z.array(z.object({ text: z.string(), amount: z.string() })),
        vat_rate: z.string(),
        amount: z.string(),
      }),
    ),
    vat: z.object({
      heading: z.string(),
      columns: z.object({ rate: z.string(), net: z.string(), vat: z.string(), gross: z.string() }),
      rows: z.array(z.object({ rate: z.string(), net: z.string(), vat: z.string(), gross: z.string() })),
    }),
    totals: z.array(Row),
    settlement: z.array(Row),
    notes: z.array(z.string()),
    footer: z.string(),
    page_template: z.string(),
  })
  .describe('The invoice as printed, every text localised (the same strings as the PDF)')
  .meta({ id: 'InvoiceDocument' })

export const InvoiceView = InvoiceSummaryView.extend({
  customer_name: z.string(),
  customer_address: AddressView.nullable(),
  seller: z.object({
    name: z.string(),
    street: z.string(),
    postal_code: z.string(),
    city: z.string(),
    country: z.string(),
    vat_id: z.string(),
    email: z.string().nullable(),
  }),
  home_market: z.string(),
  service_period: z.object({ from: z.string(), to: z.string() }),
  vat: z.array(z.object({ rate: z.string(), gross: Amount, net: Amount, vat: Amount })),
  credits: z.array(z.object({ source: z.string(), reference: z.string(), amount: Amount })),
  lines: z.array(InvoiceLineView),
  payments: z.array(z.object({ amount: Amount, paid_on: z.string(), reference: z.string() })),
  document: InvoiceDocumentView,
}).meta({ id: 'Invoice' })

export const toInvoiceSummaryView = (i: Invoice): z.infer<typeof InvoiceSummaryView> => ({
  id: i.id,
  number: i.number,
  contract_id: i.contractId,
  month: i.month,
  issue_date: i.issueDate,
  due_date: i.dueDate,
  currency: i.currency,
  total: i.total.toFixed(2),
  amount_due: i.amountDue.toFixed(2),
  paid: i.paid.toFixed(2),
  amount_open: openAmount(i).toFixed(2),
  status: i.status,
})

const text = (v: unknown) => String(v ?? '')
const toRatedLineView = (d: unknown): z.infer<typeof RatedLineView> => {
  const x = d as Record<string, unknown>
  return {
    kind: text(x.kind),
    quantity: text(x.quantity),
    unit: text(x.unit),
    unit_price: text(x.unitPrice),
    amount: text(x.amount),
    text: text(x.text),
  }
}

const toLineView = (l: InvoiceLine): z.infer<typeof InvoiceLineView> => ({
  kind: l.kind,
  description: l.description,
  amount: l.amount.toFixed(2),
  vat_rate: l.vatRate.toString(),
  service_date: l.serviceDate,
  period_from: l.periodFrom ?? null,
  period_to: l.periodTo ?? null,
  cdr_id: l.cdrId ?? null,
  session: l.session
    ? {
        start: l.session.start,
        end: l.session.end,
        time_zone: l.session.timeZone,
        location_name: l.session.locationName,
        address: l.session.address,
        city: l.session.city,
        country: l.session.country,
        operator: l.session.operator,
        evse_id: l.session.evseId,
        power_type: l.session.powerType,
        kwh: l.session.kwh,
        minutes: Math.ceil((Date.parse(l.session.end) - Date.parse(l.session.start)) / 60_000),
      }
    : null,
  rule: l.rule ?? null,
  billed_before: l.billedBefore?.toFixed(2) ?? null,
  tariff: l.tariff ?? null,
  waiver: l.waiver
    ? { reason: l.waiver.reason, waives: l.waiver.waives, months: l.waiver.months ?? null, voucher_code: l.waiver.voucherCode ?? null }
    : null,
  one_off: l.oneOff ? { kind: l.oneOff.kind, label: l.oneOff.label } : null,
  original: l.original
    ? {
        amount: l.original.amount.toFixed(2),
        currency: l.original.currency,
        rate: l.original.rate.toString(),
        rate_valid_from: l.original.rateValidFrom,
      }
    : null,
  rated_lines: (l.details ?? []).map(toRatedLineView),
})

const toDocumentView = (d: InvoiceDocument): z.infer<typeof InvoiceDocumentView> => ({
  locale: d.locale,
  title: d.title,
  heading: d.heading,
  brand: d.brand,
  seller: {
    heading: d.seller.heading,
    name: d.seller.name,
    address_lines: d.seller.addressLines,
    vat_id: d.seller.vatId,
    contact: d.seller.contact,
  },
  customer: { heading: d.customer.heading, name: d.customer.name, address_lines: d.customer.addressLines },
  facts: d.facts,
  status: d.status,
  columns: d.columns,
  lines: d.lines.map((l) => ({
    kind: l.kind,
    date: l.date,
    title: l.title,
    details: l.details,
    breakdown: l.breakdown,
    vat_rate: l.vatRate,
    amount: l.amount,
  })),
  vat: d.vat,
  totals: d.totals,
  settlement: d.settlement,
  notes: d.notes,
  footer: d.footer,
  page_template: d.pageTemplate,
})

/** `seller`: the invoice's own, or the configured one for an invoice issued before it was kept. */
export const toInvoiceView = (x: {
  invoice: Invoice
  lines: InvoiceLine[]
  payments: Payment[]
  document: InvoiceDocument
  seller: Seller
}): z.infer<typeof InvoiceView> => {
  const { seller } = x
  const a = x.invoice.customerAddress
  return {
    ...toInvoiceSummaryView(x.invoice),
    customer_name: x.invoice.customerName,
    customer_address: a ? { street: a.street, postal_code: a.postalCode, city: a.city, country: a.country } : null,
    seller: {
      name: seller.name,
      street: seller.street,
      postal_code: seller.postalCode,
      city: seller.city,
      country: seller.country,
      vat_id: seller.vatId,
      email: seller.email ?? null,
    },
    home_market: x.invoice.homeMarket,
    service_period: servicePeriod(x.lines, x.invoice.month),
    vat: x.invoice.vat.map((v) => ({ rate: v.rate.toString(), gross: v.gross.toFixed(2), net: v.net.toFixed(2), vat: v.vat.toFixed(2) })),
    credits: x.invoice.credits.map((c) => ({ source: c.source, reference: c.sourceRef, amount: c.amount.toFixed(2) })),
    lines: x.lines.map(toLineView),
    payments: x.payments.map((p) => ({ amount: p.amount.toFixed(2), paid_on: p.paidOn, reference: p.reference })),
    document: toDocumentView(x.document),
  }
}
