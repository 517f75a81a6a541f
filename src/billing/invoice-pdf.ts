// The invoice as a PDF (pdfkit), drawn from the localised view model (invoice-document.ts): the
// PDF adds layout, never words or numbers of its own. DejaVu Sans is embedded (subset) so every
// name and every language prints (č, š, ž, õ, ä, ü, €, the no-break spaces of formatted amounts).
import { fileURLToPath } from 'node:url'
import { intlTag } from '../i18n/index.js'
import type { DocumentRow, InvoiceDocument } from './invoice-document.js'

const FONT = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url))
const FONT_BOLD = fileURLToPath(new URL('../../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url))

const LEFT = 50
const RIGHT = 545
const GREY = '#555555'
// Columns of the lines table: date | description (with the rated lines' amounts at its right) | VAT | amount
const COL = { date: LEFT, description: 112, breakdownAmount: 350, vat: 425, amount: 470 } as const
const WIDTH = { date: 60, description: 300, descriptionNarrow: 232, breakdownAmount: 65, vat: 40, amount: RIGHT - 470 } as const

type Doc = PDFKit.PDFDocument

/**
 * pdfkit (with fontkit and its Unicode tables) is loaded at the first invoice drawn, not when the
 * service starts: it is a fifth of the app's start-up and most processes never draw a PDF.
 */
const loadPdfkit = () => import('pdfkit')
let pdfkit: ReturnType<typeof loadPdfkit> | undefined

/** Renders the document; resolves with the PDF bytes. The same document and date give the same bytes. */
export const renderInvoicePdf = async (d: InvoiceDocument, opts: { createdAt: Date }): Promise<Buffer> => {
  const { default: PDFDocument } = await (pdfkit ??= loadPdfkit())
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 50, bottom: 70, left: LEFT, right: 595 - RIGHT },
      bufferPages: true,
      lang: intlTag(d.locale),
      displayTitle: true,
      info: { Title: d.title, Author: d.seller.name, Subject: d.title, CreationDate: opts.createdAt },
    })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.registerFont('body', FONT)
    doc.registerFont('bold', FONT_BOLD)
    try {
      header(doc, d)
      lines(doc, d)
      totals(doc, d)
      notes(doc, d)
      footers(doc, d)
      doc.end()
    } catch (err) {
      reject(err)
    }
  })
}

const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom
/** Starts a new page unless `height` more points fit on this one. */
const ensureRoom = (doc: Doc, height: number, onNewPage?: () => void) => {
  if (doc.y + height <= bottom(doc)) return
  doc.addPage()
  onNewPage?.()
}

const header = (doc: Doc, d: InvoiceDocument) => {
  doc.font('bold').fontSize(18).fillColor('black').text(d.brand, LEFT, 50)
  // The seller, top right
  doc.font('body').fontSize(8).fillColor(GREY)
  const sellerLines = [d.seller.name, ...d.seller.addressLines, d.seller.vatId, ...(d.seller.contact ? [d.seller.contact] : [])]
  doc.text(sellerLines.join('\n'), 295, 52, { width: RIGHT - 295, align: 'right' })
  // The customer, where a window envelope shows it
  doc.font('body').fontSize(7).fillColor(GREY).text(d.customer.heading, LEFT, 140, { width: 240 })
  doc
    .font('body')
    .fontSize(10)
    .fillColor('black')
    .text([d.customer.name, ...d.customer.addressLines].join('\n'), LEFT, doc.y + 2, { width: 240 })
  const afterCustomer = doc.y
  // The invoice facts, right: labels as wide as the longest one (languages differ), values right-aligned
  const x = 290
  doc
    .font('bold')
    .fontSize(16)
    .text(d.heading, x, 136, { width: RIGHT - x })
  doc.font('body').fontSize(9)
  const labelWidth = Math.min(140, Math.max(...d.facts.map((f) => doc.widthOfString(f.label))) + 8)
  let y = doc.y + 4
  for (const fact of d.facts) {
    doc.font('body').fillColor(GREY).text(fact.label, x, y, { width: labelWidth })
    const after = doc.y
    doc
      .font('body')
      .fillColor('black')
      .text(fact.value, x + labelWidth, y, { width: RIGHT - x - labelWidth, align: 'right' })
    y = Math.max(after, doc.y) + 1
  }
  doc.y = Math.max(afterCustomer, y) + 24
  doc.x = LEFT
}

const tableHeader = (doc: Doc, d: InvoiceDocument) => {
  const y = doc.y
  doc.font('bold').fontSize(8).fillColor(GREY)
  doc.text(d.columns.date, COL.date, y, { width: WIDTH.date })
  doc.text(d.columns.description, COL.description, y, { width: WIDTH.description })
  doc.text(d.columns.vat, COL.vat, y, { width: WIDTH.vat, align: 'right' })
  doc.text(d.columns.amount, COL.amount, y, { width: WIDTH.amount, align: 'right' })
  doc
    .moveTo(LEFT, doc.y + 2)
    .lineTo(RIGHT, doc.y + 2)
    .lineWidth(0.5)
    .strokeColor(GREY)
    .stroke()
  doc.y += 6
  doc.fillColor('black')
}

/** The height a line of the table takes, to keep each line on one page. */
const lineHeight = (doc: Doc, line: InvoiceDocument['lines'][number]) => {
  doc.font('bold').fontSize(9)
  let h = doc.heightOfString(line.title, { width: WIDTH.description })
  doc.font('body').fontSize(8)
  for (const detail of line.details) h += doc.heightOfString(detail, { width: WIDTH.description })
  for (const b of line.breakdown) h += doc.heightOfString(b.text, { width: WIDTH.descriptionNarrow })
  return h + 8
}

const lines = (doc: Doc, d: InvoiceDocument) => {
  tableHeader(doc, d)
  for (const line of d.lines) {
    ensureRoom(doc, lineHeight(doc, line), () => tableHeader(doc, d))
    const top = doc.y
    doc.font('body').fontSize(9).fillColor('black').text(line.date, COL.date, top, { width: WIDTH.date })
    doc.text(line.vatRate, COL.vat, top, { width: WIDTH.vat, align: 'right' })
    doc.text(line.amount, COL.amount, top, { width: WIDTH.amount, align: 'right' })
    doc.font('bold').fontSize(9).text(line.title, COL.description, top, { width: WIDTH.description })
    doc.font('body').fontSize(8).fillColor(GREY)
    for (const detail of line.details) doc.text(detail, COL.description, doc.y, { width: WIDTH.description })
    for (const b of line.breakdown) {
      const y = doc.y
      doc.text(b.text, COL.description, y, { width: WIDTH.descriptionNarrow })
      const after = doc.y
      doc.text(b.amount, COL.breakdownAmount, y, { width: WIDTH.breakdownAmount, align: 'right' })
      doc.y = Math.max(after, doc.y)
    }
    doc.fillColor('black')
    doc.y += 6
  }
  doc.moveTo(LEFT, doc.y).lineTo(RIGHT, doc.y).lineWidth(0.5).strokeColor(GREY).stroke()
  doc.y += 8
}

const rows = (doc: Doc, list: readonly DocumentRow[]) => {
  for (const row of list) {
    ensureRoom(doc, 14)
    const y = doc.y
    doc
      .font(row.emphasis ? 'bold' : 'body')
      .fontSize(9)
      .fillColor('black')
    doc.text(row.label, 250, y, { width: 215, align: 'right' })
    const after = doc.y
    doc.text(row.amount, COL.amount, y, { width: WIDTH.amount, align: 'right' })
    doc.y = Math.max(after, doc.y) + 2
  }
}

const totals = (doc: Doc, d: InvoiceDocument) => {
  // Totals and settlement stay together on one page.
  ensureRoom(doc, 14 * (d.totals.length + d.settlement.length) + 6)
  rows(doc, d.totals)
  doc.y += 6
  rows(doc, d.settlement)
  doc.y += 12
  // With one rate the totals say it all; with several (a rate change in the month) a table per rate.
  if (d.vat.rows.length < 2) return
  ensureRoom(doc, 14 * (d.vat.rows.length + 2))
  doc.font('bold').fontSize(9).text(d.vat.heading, LEFT, doc.y)
  const cells = [d.vat.columns.rate, d.vat.columns.net, d.vat.columns.vat, d.vat.columns.gross]
  const vatRow = (values: string[], font: 'body' | 'bold') => {
    const y = doc.y + 2
    doc.font(font).fontSize(8)
    values.forEach((v, i) => {
      doc.text(v, LEFT + i * 110, y, { width: 100, align: i === 0 ? 'left' : 'right' })
    })
    doc.x = LEFT
  }
  vatRow(cells, 'bold')
  for (const r of d.vat.rows) vatRow([r.rate, r.net, r.vat, r.gross], 'body')
  doc.y += 14
}

const notes = (doc: Doc, d: InvoiceDocument) => {
  doc.font('body').fontSize(9).fillColor('black')
  for (const note of d.notes) {
    ensureRoom(doc, doc.heightOfString(note, { width: RIGHT - LEFT }) + 4)
    doc.text(note, LEFT, doc.y, { width: RIGHT - LEFT })
    doc.y += 3
  }
}

/** Seller line and page counter on every page, written once the number of pages is known. */
const footers = (doc: Doc, d: InvoiceDocument) => {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const margin = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - 45
    doc.font('body').fontSize(7).fillColor(GREY)
    doc.text(d.footer, LEFT, y, { width: RIGHT - LEFT, align: 'center' })
    doc.text(d.pageTemplate.replace('{page}', String(i + 1)).replace('{pages}', String(range.count)), LEFT, y + 12, {
      width: RIGHT - LEFT,
      align: 'center',
    })
    doc.page.margins.bottom = margin
  }
}
