// One invoice with every kind of line, as the invoice run stores it: a German Active contract in
// March 2025 with a base fee, IONITY Plus (waived: new iX), a Belgian session at the fixed price, a
// Danish session converted from DKK, a blocking fee in Germany, a refunded session, a corrected
// one, a replacement card; paid partly by a voucher and a payment. Amounts follow the DE list.
import type { InvoiceLine, Seller, SessionFacts } from '../../src/billing/billing.types.js'
import type { Invoice, Payment } from '../../src/billing/invoices.repository.js'
import { Decimal } from '../../src/billing/money.js'
import { vatSummary } from '../../src/billing/vat.js'

const D = (s: string) => new Decimal(s)

export const SELLER: Seller = {
  brand: 'BMW Charging',
  name: 'Digital Charging Solutions GmbH',
  street: 'Rosenstraße 18-19',
  postalCode: '10178',
  city: 'Berlin',
  country: 'DE',
  vatId: 'DE000000000',
  email: 'service@bmw-charging.example',
  iban: 'DE02120300000000202051',
  bic: 'BYLADEM1001',
}

const session = (over: Partial<SessionFacts>): SessionFacts => ({
  start: '2025-03-04T10:00:00Z',
  end: '2025-03-04T11:30:00Z',
  timeZone: 'Europe/Brussels',
  locationName: 'Gent Sint-Pieters P+R',
  address: 'Koningin Fabiolalaan 1',
  city: 'Gent',
  country: 'BEL',
  operator: null,
  evseId: 'BE*BEC*E041503003',
  powerType: 'AC_3_PHASE',
  kwh: '20.5',
  ...over,
})
const rated = (kind: string, quantity: string, unit: string, unitPrice: string, amount: string) => ({
  kind,
  quantity,
  unit,
  unitPrice,
  amount,
  text: `${kind} (English)`,
})
const vat = D('0.19')

export const fixtureLines = (): InvoiceLine[] => [
  {
    kind: 'BASE_FEE',
    description: 'Monthly base fee Active 2025-03-10 – 2025-04-09',
    amount: D('4.99'),
    vatRate: vat,
    serviceDate: '2025-03-10',
    periodFrom: '2025-03-10',
    periodTo: '2025-04-09',
    tariff: 'ACTIVE',
  },
  {
    kind: 'PACKAGE_FEE',
    description: 'IONITY Plus 2025-03-10 – 2025-04-09',
    amount: D('7.49'),
    vatRate: vat,
    serviceDate: '2025-03-10',
    periodFrom: '2025-03-10',
    periodTo: '2025-04-09',
  },
  {
    kind: 'WAIVER',
    description: 'New-vehicle benefit: IONITY Plus free for 12 months',
    amount: D('-7.49'),
    vatRate: vat,
    serviceDate: '2025-03-10',
    periodFrom: '2025-03-10',
    periodTo: '2025-04-09',
    waiver: { reason: 'NEW_VEHICLE', waives: 'PACKAGE_FEE', months: 12 },
  },
  {
    kind: 'ONE_OFF',
    description: 'Replacement card DE-BMW-C12345678-2-02',
    amount: D('7.50'),
    vatRate: vat,
    serviceDate: '2025-03-12',
    oneOff: { kind: 'REPLACEMENT_CARD', label: 'DE-BMW-C12345678-2-02' },
  },
  {
    kind: 'CHARGING',
    description: 'Charging session (BE)',
    amount: D('9.20'),
    vatRate: vat,
    serviceDate: '2025-03-04',
    chargeId: 'ch-1',
    cdrId: 'cdr-1',
    rule: 'fixed_price',
    session: session({}),
    details: [rated('energy', '20.5', 'kWh', '0.42', '8.61'), rated('session_fee', '1', 'session', '0.59', '0.59')],
  },
  {
    kind: 'CHARGING',
    description: 'Charging session (DK)',
    amount: D('5.28'),
    vatRate: vat,
    serviceDate: '2025-03-20',
    chargeId: 'ch-2',
    cdrId: 'cdr-2',
    rule: 'fixed_price',
    session: session({
      start: '2025-03-20T17:40:00Z',
      end: '2025-03-20T19:10:00Z',
      timeZone: 'Europe/Copenhagen',
      locationName: 'Rødovre Centrum',
      address: 'Rødovre Centrum 1',
      city: 'Rødovre',
      country: 'DNK',
      kwh: '10',
    }),
    original: { amount: D('39.39'), currency: 'DKK', rate: D('7.46'), rateValidFrom: '2025-01-01' },
    details: [rated('energy', '10', 'kWh', '3.49', '34.90'), rated('session_fee', '1', 'session', '4.49', '4.49')],
  },
  {
    kind: 'CHARGING',
    description: 'Charging session (DE, DC, blocking)',
    amount: D('43.53'),
    vatRate: vat,
    serviceDate: '2025-03-22',
    chargeId: 'ch-3',
    cdrId: 'cdr-3',
    rule: 'fixed_price',
    session: session({
      start: '2025-03-22T09:02:00Z',
      end: '2025-03-22T11:02:20Z',
      timeZone: 'Europe/Berlin',
      locationName: 'Ladepark Kreuz Köln-Süd',
      address: 'Rodenkirchener Straße 2',
      city: 'Köln',
      country: 'DEU',
      operator: 'EnBW mobility+',
      powerType: 'DC',
      kwh: '66.8',
    }),
    details: [
      rated('energy', '66.8', 'kWh', '0.55', '36.74'),
      rated('blocking_fee', '31', 'min', '0.20', '6.20'),
      rated('session_fee', '1', 'session', '0.59', '0.59'),
    ],
  },
  {
    kind: 'REVERSAL',
    description: 'Credit for charging session',
    amount: D('-9.20'),
    vatRate: vat,
    serviceDate: '2025-03-25',
    chargeId: 'ch-4',
    cdrId: 'cdr-4',
    rule: 'credit:fixed_price',
    session: session({ start: '2025-03-25T07:00:00Z', end: '2025-03-25T08:30:00Z' }),
    details: [rated('energy', '-20.5', 'kWh', '0.42', '-8.61'), rated('session_fee', '-1', 'session', '0.59', '-0.59')],
  },
  {
    kind: 'CORRECTION',
    description: 'Correction',
    amount: D('-7.99'),
    vatRate: vat,
    serviceDate: '2025-02-27',
    chargeId: 'ch-5',
    cdrId: 'cdr-5',
    rule: 'pass_through_flex',
    billedBefore: D('9.20'),
    session: session({
      start: '2025-02-27T22:30:00Z',
      end: '2025-02-28T00:00:00Z',
      locationName: null,
      city: 'Brugge',
      operator: 'Allego',
    }),
    details: [rated('operator_price', '1', 'session', '1.21', '1.21')],
  },
]

const sumOf = (lines: InvoiceLine[]) => lines.reduce((a, l) => a.plus(l.amount), D('0'))

/** The invoice around `lines` (totals and VAT from the lines), paid by a voucher and one payment. */
export const fixtureInvoice = (lines: InvoiceLine[] = fixtureLines(), over: Partial<Invoice> = {}): Invoice => {
  const total = sumOf(lines)
  const voucher = Decimal.min(total, D('20.00'))
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 'DE-2025-000042',
    contractId: 'DE-BMW-C12345678-2',
    customerId: '00000000-0000-4000-8000-0000000000c1',
    customerName: 'Łukasz Dvořák-Šťastný',
    customerAddress: { street: 'Kaiserstraße 7', postalCode: '80801', city: 'München', country: 'DE' },
    seller: SELLER,
    homeMarket: 'DE',
    month: '2025-03',
    issueDate: '2025-04-01',
    dueDate: '2025-04-15',
    currency: 'EUR',
    total,
    vat: vatSummary(lines),
    credits: [{ creditId: 'cr-1', source: 'VOUCHER', sourceRef: 'SPRING20', amount: voucher }],
    amountDue: total.minus(voucher),
    paid: D('30.00'),
    status: 'PARTIALLY_PAID',
    createdAt: new Date('2025-04-01T03:00:00Z'),
    ...over,
  }
}

export const fixturePayments = (): Payment[] => [
  {
    id: 'p-1',
    invoiceId: '00000000-0000-4000-8000-000000000001',
    amount: D('30.00'),
    paidOn: '2025-04-05',
    reference: 'SEPA-0815',
    createdAt: new Date('2025-04-05T08:00:00Z'),
  },
]
