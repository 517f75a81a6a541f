// The pure invoice steps, against the real catalog (fee amounts come from the price lists).
import t from 'tap'
import type { Contract } from '../../src/customers/index.js'
import { catalogVersionAt, defaultCatalog } from '../../src/catalog/index.js'
import { applyCredits } from '../../src/billing/credits.js'
import { feeLines, type FeeLinesInput } from '../../src/billing/fee-lines.js'
import { convert } from '../../src/billing/fx.js'
import { calculateInvoice } from '../../src/billing/invoice-calc.js'
import { invoiceStatus, overpayment } from '../../src/billing/invoice-status.js'
import { Decimal } from '../../src/billing/money.js'
import { vatRateOn, vatSummary } from '../../src/billing/vat.js'
import { ionityPlusModelEligible } from '../../src/billing/benefits.js'

const D = (s: string) => new Decimal(s)
type FeeContract = FeeLinesInput['contract']
const contract = (over: Partial<FeeContract> = {}): FeeContract => ({
  homeMarket: 'DE',
  tariff: 'ACTIVE',
  startDate: '2024-03-10',
  endDate: null,
  state: 'active',
  vehicle: { vin: 'WBA00000000000001', model: 'i4', deliveryDate: '2024-03-01', isNew: true },
  packages: [],
  ...over,
})
const catalogOn = (market: Contract['homeMarket']) => (day: string) =>
  catalogVersionAt(defaultCatalog, market, Date.parse(`${day}T12:00:00Z`))!
const fees = (c: FeeContract, month: string, over: Partial<FeeLinesInput> = {}) =>
  feeLines({
    contract: c,
    month,
    catalogOn: catalogOn(c.homeMarket),
    firstContractOfVehicle: true,
    vatRateOn: (d) => vatRateOn(c.homeMarket, d),
    feeMonthVouchers: [],
    ...over,
  })
const brief = (r: ReturnType<typeof fees>) => r.lines.map((l) => `${l.kind} ${l.amount.toFixed(2)} ${l.periodFrom}`)

t.test('Active base fee 4.99 per period; new vehicle: waived for 12 months, then charged', async (t) => {
  const used = contract({ vehicle: { vin: 'X', model: 'i4', deliveryDate: '2019-01-01', isNew: false } })
  t.same(brief(fees(used, '2024-04')), ['BASE_FEE 4.99 2024-04-10'], 'used car: no benefit')
  t.same(brief(fees(contract(), '2024-03')), ['BASE_FEE 4.99 2024-03-10', 'WAIVER -4.99 2024-03-10'], 'waiver starts with the first period')
  t.same(brief(fees(contract(), '2025-02')), ['BASE_FEE 4.99 2025-02-10', 'WAIVER -4.99 2025-02-10'], '12th period still waived')
  t.same(brief(fees(contract(), '2025-03')), ['BASE_FEE 4.99 2025-03-10'], '13th period: waiver ended')
})

t.test('the waiver needs the first contract of the VIN, registration before the cut-off and delivery from 19.1.2021', async (t) => {
  t.same(brief(fees(contract(), '2024-04', { firstContractOfVehicle: false })), ['BASE_FEE 4.99 2024-04-10'])
  t.same(
    brief(fees(contract({ startDate: '2024-12-31' }), '2025-01')),
    ['BASE_FEE 4.99 2025-01-31'],
    'registered ON 31.12.2024: no waiver, second period',
  )
  t.same(
    brief(fees(contract({ startDate: '2024-12-31' }), '2024-12')),
    ['BASE_FEE 4.99 2024-12-31'],
    'registered ON 31.12.2024 is not "before"',
  )
  t.same(brief(fees(contract({ startDate: '2024-12-30' }), '2024-12')), ['BASE_FEE 4.99 2024-12-30', 'WAIVER -4.99 2024-12-30'])
  const early = contract({ vehicle: { vin: 'X', model: 'i4', deliveryDate: '2021-01-18', isNew: true } })
  t.same(brief(fees(early, '2024-04')), ['BASE_FEE 4.99 2024-04-10'], 'delivered before 19.1.2021')
  // EE: no delivery date, cut-off 31.12.2025
  const ee = contract({
    homeMarket: 'EE',
    startDate: '2025-06-01',
    vehicle: { vin: 'X', model: 'X5 xDrive50e', deliveryDate: '2015-01-01', isNew: true },
  })
  t.same(brief(fees(ee, '2025-06')), ['BASE_FEE 4.99 2025-06-01', 'WAIVER -4.99 2025-06-01'])
})

t.test('Flex has no base fee', async (t) => {
  t.same(fees(contract({ tariff: 'FLEX' }), '2024-04').lines, [])
})

t.test('IONITY Plus: fee per home market per period; free for a year for eligible new models', async (t) => {
  const used = { vin: 'X', model: 'i4', deliveryDate: '2020-01-01', isNew: false }
  const de = contract({ tariff: 'FLEX', vehicle: used, packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-05-31' }] })
  t.same(brief(fees(de, '2024-05')), ['PACKAGE_FEE 7.49 2024-05-31'])
  t.same(brief(fees(de, '2024-06')), [], 'the period from 31 May runs to 30 June')
  t.same(brief(fees(de, '2024-07')), ['PACKAGE_FEE 7.49 2024-07-01', 'PACKAGE_FEE 7.49 2024-07-31'])
  const ee = contract({
    homeMarket: 'EE',
    tariff: 'FLEX',
    startDate: '2025-02-01',
    vehicle: used,
    packages: [{ code: 'IONITY_PLUS', bookedAt: '2025-02-01' }],
  })
  t.same(brief(fees(ee, '2025-03')), ['PACKAGE_FEE 5.99 2025-03-01'])
  // new i4 (DE): free for 12 months from registration, then 7.49
  const free = contract({ tariff: 'FLEX', packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-03-10' }] })
  t.same(brief(fees(free, '2025-02')), ['PACKAGE_FEE 7.49 2025-02-10', 'WAIVER -7.49 2025-02-10'])
  t.same(brief(fees(free, '2025-03')), ['PACKAGE_FEE 7.49 2025-03-10'])
  // a new X5 plug-in hybrid is not on the DE list
  const x5 = contract({
    tariff: 'FLEX',
    vehicle: { vin: 'X', model: 'X5 xDrive50e', deliveryDate: '2024-03-01', isNew: true },
    packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-03-10' }],
  })
  t.same(brief(fees(x5, '2024-04')), ['PACKAGE_FEE 7.49 2024-04-10'])
})

t.test('the package stops with its cancellation date or the end of the charging contract', async (t) => {
  const used = { vin: 'X', model: 'i4', deliveryDate: '2020-01-01', isNew: false }
  const cancelled = contract({
    tariff: 'FLEX',
    vehicle: used,
    packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-05-07', endsAt: '2024-07-06' }],
  })
  t.same(brief(fees(cancelled, '2024-06')), ['PACKAGE_FEE 7.49 2024-06-07'])
  t.same(brief(fees(cancelled, '2024-07')), [])
  const ended = contract({
    tariff: 'ACTIVE',
    vehicle: used,
    endDate: '2024-06-06',
    packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-05-07' }],
  })
  t.same(brief(fees(ended, '2024-06')), [], 'neither fee: the next periods begin after the end (7 and 10 June)')
})

t.test('eligible IONITY Plus models per list wording', async (t) => {
  const de = catalogOn('DE')('2024-06-01').newVehicleBenefits
  const ee = catalogOn('EE')('2025-06-01').newVehicleBenefits
  t.same(
    ['iX1', 'BMW iX', 'i5', 'i3', 'iX2', '330e'].map((m) => ionityPlusModelEligible(de, m)),
    [true, true, true, false, false, false],
  )
  t.same(
    ['iX2', 'i3', 'BMW i7', '330e', 'X5 xDrive50e'].map((m) => ionityPlusModelEligible(ee, m)),
    [true, true, true, false, false],
  )
})

t.test('voucher months waive base fees not already waived, one month per period', async (t) => {
  const used = contract({ vehicle: { vin: 'X', model: 'i4', deliveryDate: '2019-01-01', isNew: false }, startDate: '2025-01-31' })
  const r = fees(used, '2025-03', {
    feeMonthVouchers: [
      { redemptionId: 'r1', code: 'SPRING', monthsLeft: 1 },
      { redemptionId: 'r2', code: 'MORE', monthsLeft: 3 },
    ],
  })
  t.same(brief(r), ['BASE_FEE 4.99 2025-03-01', 'WAIVER -4.99 2025-03-01', 'BASE_FEE 4.99 2025-03-31', 'WAIVER -4.99 2025-03-31'])
  t.same(r.voucherMonthsUsed, [
    { redemptionId: 'r1', months: 1 },
    { redemptionId: 'r2', months: 1 },
  ])
  const waived = fees(contract(), '2024-04', { feeMonthVouchers: [{ redemptionId: 'r1', code: 'SPRING', monthsLeft: 1 }] })
  t.same(waived.voucherMonthsUsed, [], 'the new-vehicle waiver goes first; the voucher month is kept')
})

t.test('VAT contained per rate, effective-dated (EE 22 % → 24 % on 2025-07-01)', async (t) => {
  t.equal(vatRateOn('DE', '2025-01-01').toString(), '0.19')
  t.equal(vatRateOn('SI', '2025-01-01').toString(), '0.22')
  t.equal(vatRateOn('EE', '2025-06-30').toString(), '0.22')
  t.equal(vatRateOn('EE', '2025-07-01').toString(), '0.24')
  // 11.90 incl. 19 % = 10.00 + 1.90; 4.99 + 7.49 = 12.48 → 12.48 × 0.19/1.19 = 1.99265… → 1.99
  const [de] = vatSummary([
    { amount: D('4.99'), vatRate: D('0.19') },
    { amount: D('7.49'), vatRate: D('0.19') },
  ])
  t.same([de!.gross.toFixed(2), de!.vat.toFixed(2), de!.net.toFixed(2)], ['12.48', '1.99', '10.49'])
  // 12.40 at 24 % = 10.00 + 2.40; 12.20 at 22 % = 10.00 + 2.20
  const two = vatSummary([
    { amount: D('12.40'), vatRate: D('0.24') },
    { amount: D('12.20'), vatRate: D('0.22') },
  ])
  t.same(
    two.map((r) => [r.rate.toString(), r.vat.toFixed(2), r.net.toFixed(2)]),
    [
      ['0.22', '2.20', '10.00'],
      ['0.24', '2.40', '10.00'],
    ],
  )
})

t.test('FX: the rate in force on the day, amounts rounded to cents', async (t) => {
  const rates = [
    { base: 'EUR', quote: 'CZK', validFrom: '2025-01-01', rate: D('25.000') },
    { base: 'EUR', quote: 'CZK', validFrom: '2025-02-01', rate: D('24.000') },
  ]
  t.match(convert(rates, D('100'), 'CZK', 'EUR', '2025-01-31'), { ok: true, amount: D('4') })
  const feb = convert(rates, D('100'), 'CZK', 'EUR', '2025-02-01')
  t.ok(feb.ok && feb.amount.eq('4.17'), '100 / 24 = 4.1666… → 4.17')
  t.same(convert(rates, D('100'), 'CZK', 'EUR', '2024-12-31'), { ok: false, reason: 'no_rate', quote: 'CZK', day: '2024-12-31' })
})

t.test('credits pay oldest first up to the total; a negative total carries forward', async (t) => {
  const credits = [
    { id: 'a', source: 'VOUCHER' as const, sourceRef: 'WELCOME', currency: 'EUR', remaining: D('10') },
    { id: 'b', source: 'OVERPAYMENT' as const, sourceRef: 'inv1', currency: 'EUR', remaining: D('5') },
  ]
  const r = applyCredits(D('12.50'), credits)
  t.same(
    r.uses.map((u) => [u.creditId, u.amount.toFixed(2)]),
    [
      ['a', '10.00'],
      ['b', '2.50'],
    ],
  )
  t.equal(r.amountDue.toFixed(2), '0.00')
  t.equal(applyCredits(D('20'), credits).amountDue.toFixed(2), '5.00')
  const neg = applyCredits(D('-3.20'), credits)
  t.same([neg.uses.length, neg.amountDue.toFixed(2), neg.carryForward.toFixed(2)], [0, '0.00', '3.20'])
})

t.test('status from payments; the excess of a payment is an overpayment', async (t) => {
  t.equal(invoiceStatus(D('10'), D('0')), 'OPEN')
  t.equal(invoiceStatus(D('10'), D('4')), 'PARTIALLY_PAID')
  t.equal(invoiceStatus(D('10'), D('10')), 'PAID')
  t.equal(invoiceStatus(D('0'), D('0')), 'PAID')
  t.equal(overpayment(D('10'), D('4'), D('6')).toFixed(2), '0.00')
  t.equal(overpayment(D('10'), D('4'), D('9')).toFixed(2), '3.00')
  t.equal(overpayment(D('10'), D('12'), D('1')).toFixed(2), '1.00', 'after full payment everything is excess')
})

t.test('whole invoice: charging lines keep rated lines, foreign sessions show both amounts and the rate', async (t) => {
  const charge = (id: string, kind: 'CHARGE' | 'REVERSAL', currency: string, total: string, end: string) => ({
    id,
    cdrId: `CDR-${id}`,
    contractId: 'C',
    kind,
    rule: 'fixed',
    currency,
    total: D(total),
    lines: [{ dimension: 'ENERGY', amount: total }],
    catalogVersion: 'v',
    cdrStart: new Date(Date.parse(end) - 3_600_000),
    cdrEnd: new Date(end),
  })
  const r = calculateInvoice({
    contract: contract({ vehicle: { vin: 'X', model: 'i4', deliveryDate: '2019-01-01', isNew: false } }),
    month: '2025-04',
    currency: 'EUR',
    charges: [
      charge('1', 'CHARGE', 'EUR', '12.3456', '2025-04-02T10:00:00Z'),
      charge('2', 'CHARGE', 'DKK', '74.60', '2025-04-03T10:00:00Z'),
      charge('3', 'REVERSAL', 'EUR', '-2.00', '2025-04-04T10:00:00Z'),
    ],
    oneOffFees: [
      {
        id: 'f',
        kind: 'REPLACEMENT_CARD',
        description: 'Replacement card',
        label: 'DE-BMW-C12345678-2-02',
        amount: D('7.50'),
        occurredOn: '2025-04-05',
      },
    ],
    rates: [{ base: 'EUR', quote: 'DKK', validFrom: '2025-01-01', rate: D('7.46') }],
    credits: [],
    feeMonthVouchers: [],
    firstContractOfVehicle: true,
    catalogOn: catalogOn('DE'),
    vatRateOn: (d) => vatRateOn('DE', d),
  })
  t.ok(r.ok)
  if (!r.ok) return
  t.same(
    r.draft.lines.map((l) => `${l.kind} ${l.amount.toFixed(2)}`),
    ['BASE_FEE 4.99', 'ONE_OFF 7.50', 'CHARGING 12.35', 'CHARGING 10.00', 'REVERSAL -2.00'],
  )
  const dkk = r.draft.lines[3]!
  t.same([dkk.original?.amount.toFixed(2), dkk.original?.currency, dkk.original?.rate.toString()], ['74.60', 'DKK', '7.46'])
  t.same(r.draft.lines[2]!.details, [{ dimension: 'ENERGY', amount: '12.3456' }])
  // 4.99 + 7.50 + 12.35 + 10.00 − 2.00 = 32.84; VAT 32.84 × 19/119 = 5.2434 → 5.24
  t.equal(r.draft.total.toFixed(2), '32.84')
  t.same(
    r.draft.vat.map((v) => v.vat.toFixed(2)),
    ['5.24'],
  )
  const missing = calculateInvoice({
    ...{
      contract: contract(),
      month: '2025-04',
      currency: 'EUR',
      oneOffFees: [],
      credits: [],
      feeMonthVouchers: [],
      firstContractOfVehicle: true,
      catalogOn: catalogOn('DE'),
      vatRateOn: (d: string) => vatRateOn('DE', d),
    },
    charges: [charge('2', 'CHARGE', 'SEK', '100', '2025-04-03T10:00:00Z')],
    rates: [],
  })
  t.same(missing, { ok: false, reason: 'missing_exchange_rate', missingRates: [{ currency: 'SEK', day: '2025-04-03' }] })
})

t.test('charges already invoiced are skipped; a re-rated charge is billed as the difference', async (t) => {
  const c = (id: string, cdrId: string, total: string) => ({
    id,
    cdrId,
    contractId: 'C',
    kind: 'CHARGE' as const,
    rule: 'fixed',
    currency: 'EUR',
    total: D(total),
    lines: [],
    catalogVersion: 'v',
    cdrStart: new Date('2025-04-02T09:00:00Z'),
    cdrEnd: new Date('2025-04-02T10:00:00Z'),
  })
  const r = calculateInvoice({
    contract: contract({ tariff: 'FLEX' }),
    month: '2025-05',
    currency: 'EUR',
    charges: [c('ch1', 'cdr1', '9.20'), c('ch2b', 'cdr2', '1.21'), c('ch3b', 'cdr3', '5.00')],
    invoiced: new Map([
      ['cdr1', { chargeIds: new Set(['ch1']), amount: D('9.20') }],
      ['cdr2', { chargeIds: new Set(['ch2']), amount: D('9.20') }],
      ['cdr3', { chargeIds: new Set(['ch3']), amount: D('5.00') }],
    ]),
    oneOffFees: [],
    rates: [],
    credits: [],
    feeMonthVouchers: [],
    firstContractOfVehicle: true,
    catalogOn: catalogOn('DE'),
    vatRateOn: (d) => vatRateOn('DE', d),
  })
  t.ok(r.ok)
  if (!r.ok) return
  // cdr1: same charge, skipped; cdr2: 1.21 − 9.20 = −7.99; cdr3: re-rated to the same amount, no line
  t.same(
    r.draft.lines.map((l) => `${l.kind} ${l.amount.toFixed(2)} ${l.chargeId}`),
    ['CORRECTION -7.99 ch2b'],
  )
  t.same([r.draft.total.toFixed(2), r.draft.amountDue.toFixed(2), r.draft.carryForward.toFixed(2)], ['-7.99', '0.00', '7.99'])
})

t.test('lines keep what the invoice shows: session facts and rule, tariff, waiver, card, what a correction billed before', async (t) => {
  const c = (id: string, cdrId: string, total: string) => ({
    id,
    cdrId,
    contractId: 'C',
    kind: 'CHARGE' as const,
    rule: 'fixed_price',
    currency: 'EUR',
    total: D(total),
    lines: [],
    catalogVersion: 'v',
    cdrStart: new Date('2025-04-02T09:00:00Z'),
    cdrEnd: new Date('2025-04-02T10:00:00Z'),
  })
  const facts = {
    start: '2025-04-02T09:00:00.000Z',
    end: '2025-04-02T10:00:00.000Z',
    timeZone: 'Europe/Berlin',
    locationName: 'Ladepark',
    address: 'Hauptstraße 1',
    city: 'Köln',
    country: 'DEU',
    operator: null,
    evseId: null,
    powerType: 'DC',
    kwh: '40',
  }
  const r = calculateInvoice({
    contract: contract({ packages: [{ code: 'IONITY_PLUS', bookedAt: '2024-03-10' }] }),
    month: '2024-04',
    currency: 'EUR',
    charges: [c('ch1', 'cdr1', '22.59'), c('ch2b', 'cdr2', '1.21')],
    sessions: new Map([['cdr1', facts]]),
    invoiced: new Map([['cdr2', { chargeIds: new Set(['ch2']), amount: D('9.20') }]]),
    oneOffFees: [
      {
        id: 'f',
        kind: 'REPLACEMENT_CARD',
        description: 'Replacement card',
        label: 'DE-BMW-C12345678-2-02',
        amount: D('7.50'),
        occurredOn: '2024-04-05',
      },
    ],
    rates: [],
    credits: [],
    feeMonthVouchers: [],
    firstContractOfVehicle: true,
    catalogOn: catalogOn('DE'),
    vatRateOn: (d) => vatRateOn('DE', d),
  })
  t.ok(r.ok)
  if (!r.ok) return
  const [base, waiver, pkg, pkgWaiver, card, session, correction] = r.draft.lines
  t.match(base, { kind: 'BASE_FEE', tariff: 'ACTIVE' })
  t.match(waiver, { kind: 'WAIVER', waiver: { reason: 'NEW_VEHICLE', waives: 'BASE_FEE', months: 12 } })
  t.match(pkg, { kind: 'PACKAGE_FEE' })
  t.match(pkgWaiver, { kind: 'WAIVER', waiver: { reason: 'NEW_VEHICLE', waives: 'PACKAGE_FEE', months: 12 } })
  t.match(card, { kind: 'ONE_OFF', oneOff: { kind: 'REPLACEMENT_CARD', label: 'DE-BMW-C12345678-2-02' } })
  t.match(session, { kind: 'CHARGING', rule: 'fixed_price', session: facts })
  // a CDR whose facts were not found keeps its times (shown in UTC), nothing invented
  t.match(correction, {
    kind: 'CORRECTION',
    billedBefore: D('9.20'),
    session: { start: '2025-04-02T09:00:00.000Z', timeZone: 'UTC', locationName: null, kwh: '' },
  })
  t.equal(correction!.amount.toFixed(2), '-7.99')
})
