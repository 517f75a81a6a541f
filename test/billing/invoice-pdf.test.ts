// The PDF on its own (no database): a long invoice breaks over pages without losing a row.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { InvoiceLine } from '../../src/billing/billing.types.js'
import { renderInvoicePdf } from '../../src/billing/invoice-pdf.js'
import type { Invoice } from '../../src/billing/invoices.repository.js'
import { Decimal } from '../../src/billing/money.js'

const D = (s: string) => new Decimal(s)

t.test('80 sessions in złoty, forint and koruna: every row on some page, totals on the last', async (t) => {
  const currencies = [['PLN', '4.30', '45.00'], ['HUF', '400', '3950'], ['CZK', '25.10', '251.00']] as const
  const lines: InvoiceLine[] = Array.from({ length: 80 }, (_, i) => {
    const [currency, rate, amount] = currencies[i % 3]!
    return {
      kind: 'CHARGING', description: `Charging session CDR-${String(i).padStart(3, '0')}`, amount: D(amount).div(D(rate)).toDecimalPlaces(2), vatRate: D('0.19'), serviceDate: '2025-03-10',
      original: { amount: D(amount), currency, rate: D(rate), rateValidFrom: '2025-01-01' }, details: [{ text: `energy ${i}`, amount: '1.00' }],
    }
  })
  const total = lines.reduce((a, l) => a.plus(l.amount), D('0'))
  const invoice: Invoice = {
    id: 'i', number: 'DE-2025-000042', contractId: 'DE-BMW-C12345678-9', customerId: 'c', customerName: 'Zoë Łaski-Őrsi', homeMarket: 'DE', month: '2025-03', issueDate: '2025-04-01',
    currency: 'EUR', total, vat: [{ rate: D('0.19'), gross: total, net: total.minus(D('1')), vat: D('1') }], credits: [], amountDue: total, paid: D('0'), status: 'OPEN', createdAt: new Date('2025-04-01T03:00:00Z'),
  }
  const pdf = await renderInvoicePdf(invoice, lines, [])
  const dir = mkdtempSync(join(tmpdir(), 'invoice-'))
  writeFileSync(join(dir, 'i.pdf'), pdf)
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'i.pdf'), '-'], { encoding: 'utf8' })
  const pages = text.split('\f').filter((p) => p.trim())
  t.ok(pages.length >= 2, `${pages.length} pages`)
  for (let i = 0; i < 80; i++) t.match(text, new RegExp(`Charging session CDR-${String(i).padStart(3, '0')}\\s+\\d+\\.\\d\\d EUR`), `row ${i} with its amount on the same line`)
  t.match(text, /Charged in PLN: 45\.00 PLN at 1 EUR = 4\.3 PLN/)
  t.match(text, /Charged in HUF: 3950\.00 HUF at 1 EUR = 400 HUF/)
  t.match(text, /Zoë Łaski-Őrsi/)
  t.match(pages.at(-1)!, new RegExp(`Total incl\\. VAT\\s+${total.toFixed(2).replace('.', '\\.')} EUR`))
  // same invoice, same bytes: the creation date is the invoice's
  t.ok(pdf.equals(await renderInvoicePdf(invoice, lines, [])), 'reproducible')
})
