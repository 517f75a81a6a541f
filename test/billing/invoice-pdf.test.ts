// The invoice document and its PDF on their own (no database), read back with pdf.js: golden text
// in each language, fonts embedded, the document's strings are the PDF's, a long invoice breaks
// over pages without losing a row. Golden files: test/billing/golden/; after an intended change of
// wording or layout, rewrite them with `UPDATE_GOLDEN=1 npx tap test/billing/invoice-pdf.test.ts`
// and review the diff.
import { readFileSync, writeFileSync } from 'node:fs'
import t from 'tap'
import type { InvoiceLine } from '../../src/billing/billing.types.js'
import { invoiceDocument, type InvoiceDocument } from '../../src/billing/invoice-document.js'
import { renderInvoicePdf } from '../../src/billing/invoice-pdf.js'
import { Decimal } from '../../src/billing/money.js'
import { vatSummary } from '../../src/billing/vat.js'
import { LOCALES } from '../../src/i18n/index.js'
import { readPdf } from '../helpers/pdf.js'
import { fixtureInvoice, fixtureLines, fixturePayments, SELLER } from './invoice-fixture.js'

const D = (s: string) => new Decimal(s)
const CREATED = { createdAt: new Date('2025-04-01T03:00:00Z') }
const golden = (locale: string) => new URL(`./golden/invoice.${locale}.txt`, import.meta.url)
const pagesText = (pages: string[]) => `${pages.map((p, i) => `=== page ${i + 1} ===\n${p}`).join('\n')}\n`
const squeeze = (s: string) => s.replace(/\s+/g, '')
/** The document with its no-break spaces (between amount and €, in dates) as plain spaces, to compare with literals. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x).replace(/\u00a0|\u202f/g, ' ')) as T
const documentIn = (locale: (typeof LOCALES)[number]) =>
  plain(invoiceDocument({ invoice: fixtureInvoice(), lines: fixtureLines(), payments: fixturePayments(), seller: SELLER, locale }))

t.test('each language: golden text of the PDF, fonts embedded, title and language set, every string of the document printed', async (t) => {
  for (const locale of LOCALES) {
    const document = invoiceDocument({
      invoice: fixtureInvoice(),
      lines: fixtureLines(),
      payments: fixturePayments(),
      seller: SELLER,
      locale,
    })
    const pdf = await renderInvoicePdf(document, CREATED)
    const read = await readPdf(pdf)
    const text = pagesText(read.pages)
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden(locale), text)
    t.equal(text, readFileSync(golden(locale), 'utf8'), `${locale}: the text reads as the golden file`)
    t.ok(
      read.fonts.length >= 2 && read.fonts.every((f) => f.embedded && /\+DejaVuSans/.test(f.name)),
      `${locale}: only DejaVu Sans subsets, embedded: ${JSON.stringify(read.fonts)}`,
    )
    t.equal(read.title, document.title)
    t.equal(read.language, { en: 'en-GB', de: 'de-DE', sl: 'sl-SI', et: 'et-EE' }[locale])
    if (locale === 'de') t.ok(pdf.equals(await renderInvoicePdf(document, CREATED)), 'the same invoice gives the same bytes')

    // The document is what the PDF prints. Text wrapped inside a column is interleaved with the
    // next column, so strings are compared without white space, and only those that fit one line.
    const printed = squeeze(read.text)
    const strings = [
      document.heading,
      document.seller.name,
      ...document.seller.addressLines,
      document.seller.vatId,
      document.customer.name,
      ...document.customer.addressLines,
      ...document.facts.flatMap((f) => [f.label, f.value]),
      ...document.lines.flatMap((l) => [
        l.date,
        l.title,
        l.vatRate,
        l.amount,
        ...l.details,
        ...l.breakdown.flatMap((b) => [b.text, b.amount]),
      ]),
      ...[...document.totals, ...document.settlement].flatMap((r) => [r.label, r.amount]),
      ...document.notes,
      document.footer,
    ]
    const missing = strings.filter((s) => s.length <= 48).filter((s) => !printed.includes(squeeze(s)))
    t.same(missing, [], `${locale}: nothing of the document is missing from the PDF`)
  }
})

t.test('every language speaks its own words: no English left in de, sl, et', async (t) => {
  const english = invoiceDocument({
    invoice: fixtureInvoice(),
    lines: fixtureLines(),
    payments: fixturePayments(),
    seller: SELLER,
    locale: 'en',
  })
  const wordsOf = (d: InvoiceDocument) => [
    d.heading,
    ...d.facts.map((f) => f.label),
    ...d.lines.flatMap((l) => [l.title, ...l.details.slice(3), ...l.breakdown.map((b) => b.text)]),
    ...d.totals.map((r) => r.label),
    ...d.notes,
  ]
  for (const locale of ['de', 'sl', 'et'] as const) {
    const d = invoiceDocument({ invoice: fixtureInvoice(), lines: fixtureLines(), payments: fixturePayments(), seller: SELLER, locale })
    // "Status" is German and Slovenian too
    const same = wordsOf(d).filter((w) => wordsOf(english).includes(w) && w !== 'Status')
    t.same(same, [], `${locale}: no English text`)
    t.notOk(
      d.lines.some((l, i) => l.title === fixtureLines()[i]!.description),
      `${locale}: no line keeps the stored English description`,
    )
  }
})

t.test("the customer's own words from the price lists", async (t) => {
  const doc = documentIn
  const de = doc('de')
  t.equal(de.lines[0]!.title, 'Grundgebühr Tarif Active')
  t.same(
    de.lines[4]!.breakdown.map((b) => b.text),
    ['Energie: 20,5 kWh × 0,42 €/kWh', 'Ladevorgangsgebühr'],
  )
  t.equal(de.lines[4]!.details[3], 'Festpreis Tarif Active, Belgien, AC-Laden')
  t.ok(de.notes.includes('Alle Preise einschließlich MwSt.'))
  const sl = doc('sl')
  t.equal(sl.lines[0]!.title, 'Osnovno nadomestilo, tarifa Active')
  t.equal(sl.lines[4]!.breakdown[1]!.text, 'Nadomestilo za polnjenje')
  t.equal(sl.lines[6]!.details[3], 'Fiksna cena tarife Active, Nemčija, polnjenje na enosmerni tok')
  t.ok(sl.notes.includes('Vse cene vključujejo DDV.'))
  const et = doc('et')
  t.equal(et.lines[0]!.title, 'Põhitasu, tariif Active')
  t.equal(et.lines[3]!.title, 'Asenduskaart DE-BMW-C12345678-2-02')
  t.equal(et.lines[6]!.breakdown[1]!.text, 'Blokeerimistasu: 31 minutit × 0,20 €/min')
})

t.test('a session shows its local date and time, place, kWh, minutes and rule', async (t) => {
  const de = documentIn('de')
  // 20 March 17:40–19:10 UTC is 18:40–20:10 in Copenhagen (CET, before the switch to summer time)
  t.match(de.lines[5], {
    date: '20.03.2025',
    title: 'Ladevorgang',
    details: [
      '18:40–20:10 Uhr (Ortszeit)',
      'Rødovre Centrum, Rødovre',
      '10 kWh · 90 min',
      'Festpreis Tarif Active, Dänemark, AC-Laden',
      /^Abgerechnet in DKK: 39,39 DKK/,
    ],
    amount: '5,28 €',
  })
  // 09:02:00–11:02:20 UTC: 121 started minutes
  t.equal(de.lines[6]!.details[2], '66,8 kWh · 121 min')
  // a session after midnight UTC, on 27 February local time
  t.match(de.lines[8], {
    date: '27.02.2025',
    details: [
      '23:30–01:00 Uhr (Ortszeit)',
      'Koningin Fabiolalaan 1, Brugge',
      '20,5 kWh · 90 min',
      'Tarif Flex: Preis des Betreibers',
      'Neu berechnet: bisher 9,20 €, jetzt 1,21 €',
    ],
  })
})

t.test('settlement: nothing due, a credit carried forward, the bank details', async (t) => {
  const lines: InvoiceLine[] = [
    {
      kind: 'BASE_FEE',
      description: 'fee',
      amount: D('4.99'),
      vatRate: D('0.19'),
      serviceDate: '2025-03-10',
      periodFrom: '2025-03-10',
      periodTo: '2025-04-09',
      tariff: 'ACTIVE',
    },
  ]
  const covered = fixtureInvoice(lines, {
    credits: [{ creditId: 'c', source: 'OVERPAYMENT', sourceRef: 'x', amount: D('4.99') }],
    amountDue: D('0'),
    paid: D('0'),
    status: 'PAID',
  })
  const doc = plain(invoiceDocument({ invoice: covered, lines, payments: [], seller: { ...SELLER, iban: undefined }, locale: 'de' }))
  t.same(doc.notes, ['Alle Preise einschließlich MwSt.', 'Nichts zu zahlen: Ihr Guthaben deckt diese Rechnung.'])
  t.same(
    doc.settlement.map((r) => `${r.label}: ${r.amount}`),
    ['Guthaben aus einer Überzahlung: -4,99 €', 'Zu zahlender Betrag: 0,00 €', 'Offener Betrag: 0,00 €'],
  )
  t.equal(doc.status.label, 'Bezahlt')
  const credit: InvoiceLine[] = [
    { kind: 'CORRECTION', description: 'c', amount: D('-7.99'), vatRate: D('0.22'), serviceDate: '2025-03-10' },
  ]
  const negative = fixtureInvoice(credit, {
    homeMarket: 'SI',
    total: D('-7.99'),
    vat: vatSummary(credit),
    credits: [],
    amountDue: D('0'),
    paid: D('0'),
    status: 'PAID',
  })
  t.same(plain(invoiceDocument({ invoice: negative, lines: credit, payments: [], seller: SELLER, locale: 'sl' })).notes, [
    'Vse cene vključujejo DDV.',
    'Dobroimetje v višini 7,99 € bo poračunano z naslednjim računom.',
  ])
  t.match(documentIn('et').notes, [
    'Kõik hinnad sisaldavad käibemaksu.',
    /^Palun tasuge 3,31 € hiljemalt 15\.04\.2025/,
    'Pangarekvisiidid: IBAN DE02120300000000202051, BIC BYLADEM1001',
  ])
})

t.test(
  '80 sessions in three currencies: every row on some page with its amount, headers and counters on every page, totals on the last',
  async (t) => {
    const currencies = [
      ['PLN', '4.30', '45.00'],
      ['HUF', '400', '3950'],
      ['CZK', '25.10', '251.00'],
    ] as const
    const lines: InvoiceLine[] = Array.from({ length: 80 }, (_, i) => {
      const [currency, rate, amount] = currencies[i % 3]!
      const day = `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`
      return {
        kind: 'CHARGING',
        description: `Charging session ${i}`,
        amount: D(amount).div(D(rate)).toDecimalPlaces(2),
        vatRate: D('0.19'),
        serviceDate: day,
        cdrId: `cdr-${i}`,
        rule: 'pass_through_country',
        session: {
          start: `${day}T10:00:00Z`,
          end: `${day}T10:45:00Z`,
          timeZone: 'Europe/Warsaw',
          locationName: `Station ${String(i).padStart(3, '0')}`,
          address: null,
          city: 'Kraków',
          country: 'POL',
          operator: null,
          evseId: null,
          powerType: 'DC',
          kwh: '30',
        },
        original: { amount: D(amount), currency, rate: D(rate), rateValidFrom: '2025-01-01' },
        details: [{ kind: 'operator_price', quantity: '1', unit: 'session', unitPrice: amount, amount, text: 'x' }],
      }
    })
    const invoice = fixtureInvoice(lines, {
      credits: [],
      amountDue: lines.reduce((a, l) => a.plus(l.amount), D('0')),
      paid: D('0'),
      status: 'OPEN',
    })
    const document = invoiceDocument({ invoice, lines, payments: [], seller: SELLER, locale: 'de' })
    const read = await readPdf(await renderInvoicePdf(document, CREATED))
    const n = read.pages.length
    t.ok(n >= 4, `${n} pages`)
    for (let i = 0; i < 80; i++) t.match(read.text, new RegExp(`Station ${String(i).padStart(3, '0')}, Kraków`), `row ${i}`)
    t.equal(read.text.match(/Ladevorgang {2}19 % {2}\d+,\d\d €/g)?.length, 80, 'every session with its VAT rate and amount on its line')
    for (const [i, page] of read.pages.entries()) t.match(page, `Seite ${i + 1} von ${n}`, `page ${i + 1} counted`)
    for (const [i, page] of read.pages.slice(0, -1).entries())
      t.match(page, /Datum {2}Leistung {2}MwSt\. {2}Betrag/, `page ${i + 1} has the table header`)
    t.match(read.pages.at(-1)!, new RegExp(`Gesamtbetrag inkl\\. MwSt\\. {2}${invoice.total.toFixed(2).replace('.', ',')} €`))
    t.match(read.text, /Abgerechnet in HUF: 3\.950 HUF, umgerechnet zum Kurs 1 EUR = 400 HUF/)
    t.match(read.text, /Preis des Betreibers \(Polen\), unverändert weiterberechnet/)
  },
)
