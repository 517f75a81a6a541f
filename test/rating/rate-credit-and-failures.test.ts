// Credit CDRs (reversals) and the business outcomes that cannot be rated.
import t from 'tap'
import { ocpiCdr, ocpiLocation, rateCase, rateToJson } from './helpers.js'

const DE = { home_market: 'DE', tariff: 'ACTIVE' } as const
// The first fixed-price case of rate-fixed-prices.test.ts: 8.10 + 3.96 + 0.59 = 12.65
const original = { country: 'DEU', start: '2025-05-06T06:00:00Z', end: '2025-05-06T10:05:30Z', kwh: 22.5, id: 'CDR-1' }
const location = ocpiLocation({ country: 'DEU', timeZone: 'Europe/Berlin' })
const credit = { ...original, id: 'CDR-1-C', totalExcl: -8.4, totalIncl: -10, credit: { referenceId: 'CDR-1' } }

t.test('a credit CDR with its original reverses the original rating line by line', async (t) => {
  const json = rateToJson({ contract: DE, cdr: ocpiCdr(credit), original_cdr: ocpiCdr(original), location })
  t.equal(json.rule, 'credit:fixed_price')
  t.equal(json.total, '-12.65')
  t.same(
    json.lines.map((l) => [l.kind, l.quantity, l.unit_price, l.amount]),
    [
      ['energy', '-22.5', '0.36', '-8.10'],
      ['blocking_fee', '-66', '0.06', '-3.96'],
      ['session_fee', '-1', '0.59', '-0.59'],
    ],
  )
  t.match(json.lines[0]?.text, /^Credit \(CDR CDR-1-C, reversing the rating of CDR CDR-1\)/)
  const debit = rateToJson({ contract: DE, cdr: ocpiCdr(original), location })
  t.equal(Number(debit.total) + Number(json.total), 0, 'original and credit cancel out')
})

t.test('a credit CDR alone is rated from its own figures, with the sign reversed', async (t) => {
  const json = rateToJson({ contract: DE, cdr: ocpiCdr(credit), location })
  t.equal(json.rule, 'credit:fixed_price')
  t.equal(json.total, '-12.65', 'the fixed price from its own energy and times, negated')

  const ee = rateToJson({
    contract: { home_market: 'EE', tariff: 'ACTIVE' },
    cdr: ocpiCdr({
      country: 'EST',
      start: '2025-05-06T10:00:00Z',
      end: '2025-05-06T10:40:00Z',
      kwh: 20,
      id: 'E-2-C',
      totalExcl: -8.24,
      totalIncl: -10.05,
      credit: { referenceId: 'E-2' },
    }),
  })
  t.equal(ee.rule, 'credit:flex_discount')
  t.same(
    ee.lines.map((l) => [l.kind, l.quantity, l.amount]),
    [['operator_price_share', '-10.05', '-7.04']],
    '70% of 10.05 = 7.035 → 7.04, negated',
  )
  t.equal(ee.total, '-7.04')
})

t.test('a credit of a free session is 0', async (t) => {
  const json = rateToJson({
    contract: DE,
    cdr: ocpiCdr({ ...credit, totalExcl: 0, totalIncl: 0 }),
  })
  t.equal(json.rule, 'credit:free_station')
  t.equal(json.total, '0.00')
})

t.test('a credit CDR with the rating of another CDR is refused', async (t) => {
  const result = rateCase({
    contract: DE,
    cdr: ocpiCdr({ ...credit, credit: { referenceId: 'SOMETHING-ELSE' } }),
    original_cdr: ocpiCdr(original),
  })
  t.equal(result.ok, false)
  if (!result.ok) t.equal(result.code, 'credit_original_mismatch')
})

t.test('pass-through without incl_vat cannot be rated; fixed prices do not need it', async (t) => {
  const noIncl = { country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:30:00Z', kwh: 10, totalIncl: null }
  const flex = rateCase({ contract: { home_market: 'DE', tariff: 'FLEX' }, cdr: ocpiCdr(noIncl) })
  t.equal(flex.ok, false)
  if (!flex.ok) t.equal(flex.code, 'missing_incl_vat')
  const active = rateToJson({ contract: DE, cdr: ocpiCdr(noIncl) })
  t.equal(active.total, '4.19', '10 × 0.36 + 0.59')
})

t.test('a CDR that started before the first price list of its home market is not rated', async (t) => {
  const de = rateCase({ contract: DE, cdr: ocpiCdr({ ...original, start: '2023-12-31T23:59:59Z', end: '2024-01-01T00:30:00Z' }) })
  t.equal(de.ok, false)
  if (!de.ok) t.equal(de.code, 'no_catalog_version')
  const ee = rateCase({
    contract: { home_market: 'EE', tariff: 'ACTIVE' },
    cdr: ocpiCdr({ ...original, start: '2024-06-01T10:00:00Z', end: '2024-06-01T11:00:00Z' }),
  })
  t.equal(ee.ok, false, 'the Estonian list is valid from 2025 only')
  const deOk = rateCase({ contract: DE, cdr: ocpiCdr({ ...original, start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:30:00Z' }) })
  t.equal(deOk.ok, true, 'validFrom itself is inside the version')
})
