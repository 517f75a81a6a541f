// The invoice as a customer reads it, fully localised: every label, date, amount and sentence is
// a finished string in the customer's language. The PDF, the JSON `document` of the admin and
// app APIs and the customer portal all render this one view model, so none of them recomputes or
// translates anything. Pure: the stored invoice in, strings out.
import { intlTag, translator, type Locale } from '../i18n/index.js'
import type { InvoiceLine, InvoiceStatus, LineKind, Seller } from './billing.types.js'
import { formatsFor, lineText, type Formats } from './invoice-line-text.js'
import { invoiceMessages } from './invoice.messages.js'
import type { Invoice, Payment } from './invoices.repository.js'
import { Decimal, sum } from './money.js'

export interface DocumentRow {
  label: string
  amount: string
  /** Totals a reader looks for first (total, amount due, open amount). */
  emphasis: boolean
}

export interface DocumentLine {
  kind: LineKind
  date: string
  title: string
  details: string[]
  breakdown: { text: string; amount: string }[]
  vatRate: string
  amount: string
}

export interface DocumentParty {
  heading: string
  name: string
  addressLines: string[]
}

export interface InvoiceDocument {
  locale: Locale
  /** `Rechnung DE-2025-000001`: the document's title (PDF metadata, page title). */
  title: string
  /** `Rechnung`: the heading printed above the invoice facts. */
  heading: string
  brand: string
  seller: DocumentParty & { vatId: string; contact: string | null }
  customer: DocumentParty
  /** Invoice number, date, service period, due date, contract number, status: label and value. */
  facts: { label: string; value: string }[]
  status: { code: InvoiceStatus; label: string }
  columns: { date: string; description: string; vat: string; amount: string }
  lines: DocumentLine[]
  vat: {
    heading: string
    columns: { rate: string; net: string; vat: string; gross: string }
    rows: { rate: string; net: string; vat: string; gross: string }[]
  }
  /** Net amount, VAT per rate, total incl. VAT. */
  totals: DocumentRow[]
  /** Credits used, amount due, payments received, open amount. */
  settlement: DocumentRow[]
  notes: string[]
  footer: string
  /** `Seite {page} von {pages}`: the page counter, filled in by whoever paginates. */
  pageTemplate: string
}

export interface InvoiceDocumentInput {
  invoice: Invoice
  lines: readonly InvoiceLine[]
  payments: readonly Payment[]
  /** The configured seller, for invoices issued before the seller was kept with the invoice. */
  seller: Seller
  locale: Locale
}

const STATUS_KEY = { OPEN: 'statusOpen', PARTIALLY_PAID: 'statusPartiallyPaid', PAID: 'statusPaid' } as const

/** First and last day the lines are for (fee periods, session days, one-off fees). */
export const servicePeriod = (lines: readonly InvoiceLine[], month: string): { from: string; to: string } => {
  const days = lines.flatMap((l) => [l.periodFrom ?? l.serviceDate, l.periodTo ?? l.serviceDate]).sort()
  return days.length ? { from: days[0]!, to: days.at(-1)! } : { from: `${month}-01`, to: `${month}-01` }
}

/** What remains to be paid: the amount due less the payments, never below 0. */
export const openAmount = (invoice: Pick<Invoice, 'amountDue' | 'paid'>): Decimal =>
  Decimal.max(new Decimal(0), invoice.amountDue.minus(invoice.paid))

const addressLines = (f: Formats, a: { street: string; postalCode: string; city: string; country: string } | null) =>
  a ? [a.street, `${a.postalCode} ${a.city}`, f.country(a.country)] : []

const settlementRows = (f: Formats, invoice: Invoice, payments: readonly Payment[]): DocumentRow[] => {
  const { t } = f
  const cur = invoice.currency
  const negative = (d: Decimal) => f.money(d.negated(), cur)
  const credit = (c: Invoice['credits'][number]) =>
    c.source === 'VOUCHER'
      ? t('creditVoucher', { code: c.sourceRef })
      : c.source === 'OVERPAYMENT'
        ? t('creditOverpayment')
        : t('creditNegativeInvoice')
  return [
    ...invoice.credits.map((c) => ({ label: credit(c), amount: negative(c.amount), emphasis: false })),
    { label: t('amountDue'), amount: f.money(invoice.amountDue, cur), emphasis: true },
    ...payments.map((p) => ({
      label: t('payment', { date: f.day(p.paidOn), reference: p.reference }),
      amount: negative(p.amount),
      emphasis: false,
    })),
    { label: t('open'), amount: f.money(openAmount(invoice), cur), emphasis: true },
  ]
}

const notesOf = (f: Formats, invoice: Invoice, seller: Seller): string[] => {
  const { t } = f
  const open = openAmount(invoice)
  const notes = [t('pricesInclVat')]
  if (open.gt(0)) {
    notes.push(t('pleasePay', { amount: f.money(open, invoice.currency), date: f.day(invoice.dueDate), number: invoice.number }))
    if (seller.iban) notes.push(t('bank', { iban: seller.iban, bic: seller.bic ?? 'none' }))
  } else if (invoice.total.lt(0)) notes.push(t('carryForward', { amount: f.money(invoice.total.negated(), invoice.currency) }))
  else if (invoice.paid.gt(0)) notes.push(t('paid'))
  else notes.push(t('nothingDue'))
  return notes
}

/** The localised view model of an invoice (see the file comment). */
export const invoiceDocument = (input: InvoiceDocumentInput): InvoiceDocument => {
  const { invoice } = input
  const t = translator(invoiceMessages, input.locale)
  const f = formatsFor(input.locale, t)
  const seller = invoice.seller ?? input.seller
  const cur = invoice.currency
  const period = servicePeriod(input.lines, invoice.month)
  const status = { code: invoice.status, label: t(STATUS_KEY[invoice.status]) }
  const vatId = t('vatId', { id: seller.vatId })
  const net = sum(invoice.vat.map((v) => v.net))
  return {
    locale: input.locale,
    title: t('title', { number: invoice.number }),
    heading: t('invoice'),
    brand: seller.brand,
    seller: {
      heading: t('seller'),
      name: seller.name,
      addressLines: addressLines(f, seller),
      vatId,
      contact: seller.email ? t('contact', { email: seller.email }) : null,
    },
    customer: { heading: t('customer'), name: invoice.customerName, addressLines: addressLines(f, invoice.customerAddress) },
    facts: [
      { label: t('number'), value: invoice.number },
      { label: t('issueDate'), value: f.day(invoice.issueDate) },
      { label: t('servicePeriod'), value: `${f.day(period.from)} – ${f.day(period.to)}` },
      { label: t('dueDate'), value: f.day(invoice.dueDate) },
      { label: t('contract'), value: invoice.contractId },
      { label: t('status'), value: status.label },
    ],
    status,
    columns: { date: t('colDate'), description: t('colDescription'), vat: t('colVat'), amount: t('colAmount') },
    lines: input.lines.map((l) => ({
      kind: l.kind,
      ...lineText(f, l, cur),
      vatRate: f.percent(l.vatRate),
      amount: f.money(l.amount, cur),
    })),
    vat: {
      heading: t('vatHeading'),
      columns: { rate: t('vatRate'), net: t('vatNet'), vat: t('vatAmount'), gross: t('vatGross') },
      rows: invoice.vat.map((v) => ({
        rate: f.percent(v.rate),
        net: f.money(v.net, cur),
        vat: f.money(v.vat, cur),
        gross: f.money(v.gross, cur),
      })),
    },
    totals: [
      { label: t('net'), amount: f.money(net, cur), emphasis: false },
      ...invoice.vat.map((v) => ({
        label: t('vatLine', { rate: f.percent(v.rate), net: f.money(v.net, cur) }),
        amount: f.money(v.vat, cur),
        emphasis: false,
      })),
      { label: t('total'), amount: f.money(invoice.total, cur), emphasis: true },
    ],
    settlement: settlementRows(f, invoice, input.payments),
    notes: notesOf(f, invoice, seller),
    footer: [seller.name, seller.street, `${seller.postalCode} ${seller.city}`, f.country(seller.country), vatId].join(' · '),
    pageTemplate: t('page', { page: '{page}', pages: '{pages}' }),
  }
}

/** One row of a customer's invoice list (the portal's "Invoices" page), localised. */
export interface InvoiceListItem {
  id: string
  number: string
  /** `März 2025`: the month billed. */
  month: string
  issueDate: string
  dueDate: string
  total: string
  open: string
  status: { code: InvoiceStatus; label: string }
  /** The name the PDF downloads as. */
  pdfFilename: string
}

export const invoiceListItem = (invoice: Invoice, locale: Locale): InvoiceListItem => {
  const t = translator(invoiceMessages, locale)
  const f = formatsFor(locale, t)
  const month = new Intl.DateTimeFormat(intlTag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${invoice.month}-15T12:00:00Z`),
  )
  return {
    id: invoice.id,
    number: invoice.number,
    month,
    issueDate: f.day(invoice.issueDate),
    dueDate: f.day(invoice.dueDate),
    total: f.money(invoice.total, invoice.currency),
    open: f.money(openAmount(invoice), invoice.currency),
    status: { code: invoice.status, label: t(STATUS_KEY[invoice.status]) },
    pdfFilename: `${invoice.number}.pdf`,
  }
}
