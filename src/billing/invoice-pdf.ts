// The invoice as a PDF (pdfkit). DejaVu Sans is embedded (subset) so every customer's name and
// every currency symbol prints (the built-in Helvetica drops ł, č, ő, …). Amounts are formatted
// from Decimal strings, never floats.
import { fileURLToPath } from 'node:url'
import PDFDocument from 'pdfkit'
import type { InvoiceLine } from './billing.types.js'
import type { Invoice, Payment } from './invoices.repository.js'
import type { Decimal } from './money.js'

const FONT = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url))
const FONT_BOLD = fileURLToPath(new URL('../../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url))

const STATUS_TEXT = { OPEN: 'Open', PARTIALLY_PAID: 'Partially paid', PAID: 'Paid' } as const
const money = (d: Decimal, currency: string) => `${d.toFixed(2)} ${currency}`
const percent = (rate: Decimal) => `${rate.times(100).toString()} %`

interface RatedDetail {
  text?: unknown
  amount?: unknown
}

const detailLines = (line: InvoiceLine): string[] =>
  (line.details ?? []).flatMap((d) => {
    const x = d as RatedDetail
    return typeof x.text === 'string' ? [`${x.text}${x.amount !== undefined ? `: ${String(x.amount)}` : ''}`] : []
  })

/** Renders the invoice; resolves with the PDF bytes. */
export const renderInvoicePdf = (invoice: Invoice, lines: readonly InvoiceLine[], payments: readonly Payment[]): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // A fixed creation date keeps the bytes reproducible for the same invoice.
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.number}`, Author: 'BMW Charging', CreationDate: invoice.createdAt } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.registerFont('body', FONT)
    doc.registerFont('bold', FONT_BOLD)
    const cur = invoice.currency
    const row = (left: string, right: string, opts: { bold?: boolean; size?: number; indent?: number } = {}) => {
      // Break before a row, not inside it, so both columns of a row stay on one page.
      if (doc.y > doc.page.height - doc.page.margins.bottom - 30) doc.addPage()
      const y = doc.y
      doc.font(opts.bold ? 'bold' : 'body').fontSize(opts.size ?? 9)
      doc.text(left, 50 + (opts.indent ?? 0), y, { width: 380 - (opts.indent ?? 0) })
      const after = doc.y
      doc.text(right, 430, y, { width: 115, align: 'right' })
      doc.y = Math.max(after, doc.y)
      doc.x = 50
    }

    doc.font('bold').fontSize(16).text('BMW Charging')
    doc.font('body').fontSize(9).text('Digital Charging Solutions GmbH')
    doc.moveDown()
    doc.font('bold').fontSize(13).text(`Invoice ${invoice.number}`)
    doc.font('body').fontSize(10)
    doc.text(`Customer: ${invoice.customerName}`)
    doc.text(`Contract: ${invoice.contractId}`)
    doc.text(`Billing month: ${invoice.month}    Issue date: ${invoice.issueDate}`)
    doc.text(`Status: ${STATUS_TEXT[invoice.status]}`)
    doc.moveDown()
    row('Description', `Amount (${cur})`, { bold: true })
    for (const l of lines) {
      row(l.description, money(l.amount, cur))
      if (l.original) row(`Charged in ${l.original.currency}: ${money(l.original.amount, l.original.currency)} at 1 ${cur} = ${l.original.rate.toString()} ${l.original.currency} (rate from ${l.original.rateValidFrom})`, '', { indent: 12, size: 8 })
      for (const d of detailLines(l)) row(d, '', { indent: 12, size: 8 })
    }
    doc.moveDown()
    row('Total incl. VAT', money(invoice.total, cur), { bold: true })
    for (const v of invoice.vat) row(`contains VAT ${percent(v.rate)} on net ${money(v.net, cur)}`, money(v.vat, cur))
    for (const c of invoice.credits) row(c.source === 'VOUCHER' ? `Voucher ${c.sourceRef}` : c.source === 'OVERPAYMENT' ? 'Credit from overpayment' : 'Credit from earlier invoice', `-${money(c.amount, cur)}`)
    row('Amount due', money(invoice.amountDue, cur), { bold: true })
    for (const p of payments) row(`Payment ${p.reference} on ${p.paidOn}`, `-${money(p.amount, cur)}`)
    row('Paid', money(invoice.paid, cur))
    doc.moveDown()
    doc.font('body').fontSize(8).text('All prices include VAT.')
    doc.end()
  })
