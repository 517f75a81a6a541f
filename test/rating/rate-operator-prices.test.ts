// Pass-through, IONITY, IONITY Plus (DE/SI) and free stations, computed by hand from the lists.
import t from 'tap'
import { checkTableCase, type TableCase } from './helpers.js'

const DE = { home_market: 'DE', tariff: 'ACTIVE' } as const
const DE_PLUS = { home_market: 'DE', tariff: 'ACTIVE', packages: ['IONITY_PLUS'] } as const
const SI_FLEX_PLUS = { home_market: 'SI', tariff: 'FLEX', packages: ['IONITY_PLUS'] } as const
const day = { start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:40:00Z' }

const cases: TableCase[] = [
  {
    name: 'rule 8: Flex pays the operator total incl. VAT',
    contract: { home_market: 'DE', tariff: 'FLEX' },
    cdr: { country: 'DEU', ...day, kwh: 30, totalExcl: 14.58, totalIncl: 17.35 },
    rule: 'pass_through_flex',
    currency: 'EUR',
    total: '17.35',
    lines: [['operator_price', '1', '17.35']],
  },
  {
    name: 'rule 8: Bulgaria is a pass-through country (BGN)',
    contract: DE,
    cdr: { country: 'BGR', ...day, kwh: 20, currency: 'BGN', totalExcl: 29.58, totalIncl: 35.5 },
    rule: 'pass_through_country',
    currency: 'BGN',
    total: '35.50',
    lines: [['operator_price', '1', '35.50']],
  },
  {
    // 20.457 → 20.46 (rule 11 applies to pass-through lines too)
    name: 'rules 8, 11: United Kingdom passes through, rounded to 2 decimals',
    contract: { home_market: 'SI', tariff: 'ACTIVE' },
    cdr: { country: 'GBR', ...day, kwh: 20, currency: 'GBP', totalExcl: 17.0475, totalIncl: 20.457 },
    rule: 'pass_through_country',
    currency: 'GBP',
    total: '20.46',
    lines: [['operator_price', '1', '20.46']],
  },
  {
    name: 'rule 8: Croatia and Romania pass through',
    contract: DE,
    cdr: { country: 'HRV', ...day, kwh: 20, totalExcl: 10, totalIncl: 12.5 },
    rule: 'pass_through_country',
    currency: 'EUR',
    total: '12.50',
    lines: [['operator_price', '1', '12.50']],
  },
  {
    name: 'rule 8: Mer in Norway passes through (CPO party MER)',
    contract: DE,
    cdr: { country: 'NOR', party: ['NO', 'MER'], ...day, kwh: 40, power: 'DC', currency: 'NOK', totalExcl: 200, totalIncl: 250 },
    rule: 'pass_through_operator',
    currency: 'NOK',
    total: '250.00',
    lines: [['operator_price', '1', '250.00']],
  },
  {
    name: 'rule 8: Mer in Norway recognised by operator name',
    contract: DE,
    cdr: { country: 'NOR', ...day, kwh: 40, currency: 'NOK', totalExcl: 160, totalIncl: 200 },
    location: { country: 'NOR', timeZone: 'Europe/Oslo', operatorName: 'MER NORWAY' },
    rule: 'pass_through_operator',
    currency: 'NOK',
    total: '200.00',
    lines: [['operator_price', '1', '200.00']],
  },
  {
    // Mer outside Norway is an ordinary operator for DE/SI contracts: the German row applies
    name: 'rule 8: Mer in Germany pays the Active price',
    contract: DE,
    cdr: { country: 'DEU', party: ['DE', 'MER'], ...day, kwh: 10 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '4.19',
    lines: [
      ['energy', '10', '3.60'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 8: IONITY passes through for Active without IONITY Plus',
    contract: DE,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 40, power: 'DC', totalExcl: 23.87, totalIncl: 28.4 },
    rule: 'pass_through_operator',
    currency: 'EUR',
    total: '28.40',
    lines: [['operator_price', '1', '28.40']],
  },
  {
    // Issue 15 item 9: the Greek row prints no IONITY clause, so the price list's Greek DC price
    // applies: 40 × 0.35 = 14.00, + 0.59 session fee = 14.59 (de-2024-01-01 GR).
    name: 'rule 8: IONITY in Greece gets the Greek fixed price, as that row has no IONITY clause (DE)',
    contract: DE,
    cdr: { country: 'GRC', party: ['GR', 'ION'], ...day, kwh: 40, power: 'DC', totalExcl: 20, totalIncl: 24.8 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '14.59',
    lines: [
      ['energy', '40', '14.00'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // The same in the Slovenian list (Grčija): 40 × 0.35 + 0.59
    name: 'rule 8: IONITY in Greece gets the Greek fixed price (SI)',
    contract: { home_market: 'SI', tariff: 'ACTIVE' },
    cdr: { country: 'GRC', party: ['DE', 'ION'], ...day, kwh: 40, power: 'DC', totalExcl: 20, totalIncl: 24.8 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '14.59',
    lines: [
      ['energy', '40', '14.00'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 8: a country not in the list passes through (Iceland, ISK)',
    contract: DE,
    cdr: { country: 'ISL', ...day, kwh: 30, currency: 'ISK', totalExcl: 4000, totalIncl: 4960 },
    rule: 'pass_through_unlisted_country',
    currency: 'ISK',
    total: '4960.00',
    lines: [['operator_price', '1', '4960.00']],
  },
  {
    // 35.00 − 1.19 (session fee incl. VAT) − 40 × 0.15
    name: 'rule 10: IONITY Plus (DE) removes the session fee and 0.15 EUR/kWh',
    contract: DE_PLUS,
    cdr: {
      country: 'DEU',
      party: ['DE', 'ION'],
      ...day,
      kwh: 40,
      power: 'DC',
      totalExcl: 29.41,
      totalIncl: 35,
      fixed: { excl_vat: 1, incl_vat: 1.19 },
    },
    rule: 'ionity_plus',
    currency: 'EUR',
    total: '27.81',
    lines: [
      ['operator_price', '1', '35.00'],
      ['session_fee_waived', '1', '-1.19'],
      ['ionity_plus_discount', '40', '-6.00'],
    ],
  },
  {
    name: 'rule 10: IONITY Plus with the Flex tariff (SI contract, IONITY in Austria)',
    contract: SI_FLEX_PLUS,
    cdr: { country: 'AUT', party: ['AT', 'ION'], ...day, kwh: 20, power: 'DC', totalExcl: 11.58, totalIncl: 13.9 },
    rule: 'ionity_plus',
    currency: 'EUR',
    total: '10.90',
    lines: [
      ['operator_price', '1', '13.90'],
      ['ionity_plus_discount', '20', '-3.00'],
    ],
  },
  {
    // fixed cost stated excl. VAT only: 1.00 × 36.00 / 30.00 = 1.20 incl.; 36.00 − 1.20 − 3.00
    name: 'rule 10: IONITY Plus takes the VAT ratio of the CDR when the fixed cost has no incl_vat',
    contract: DE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 20, power: 'DC', totalExcl: 30, totalIncl: 36, fixed: { excl_vat: 1 } },
    rule: 'ionity_plus',
    currency: 'EUR',
    total: '31.80',
    lines: [
      ['operator_price', '1', '36.00'],
      ['session_fee_waived', '1', '-1.20'],
      ['ionity_plus_discount', '20', '-3.00'],
    ],
  },
  {
    // 1.00 − 10 × 0.15 = −0.50 → never below 0
    name: 'rule 10: IONITY Plus never goes below 0',
    contract: DE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 10, power: 'DC', totalExcl: 0.84, totalIncl: 1 },
    rule: 'ionity_plus',
    currency: 'EUR',
    total: '0.00',
    lines: [
      ['operator_price', '1', '1.00'],
      ['ionity_plus_discount', '10', '-1.50'],
      ['minimum_zero', '1', '0.50'],
    ],
  },
  {
    name: 'rule 10: IONITY Plus (DE) does not apply outside EUR countries (Switzerland)',
    contract: DE_PLUS,
    cdr: { country: 'CHE', party: ['CH', 'ION'], ...day, kwh: 40, power: 'DC', currency: 'CHF', totalExcl: 41.63, totalIncl: 45 },
    rule: 'pass_through_operator',
    currency: 'CHF',
    total: '45.00',
    lines: [['operator_price', '1', '45.00']],
  },
  {
    // the blocking fee and session fee that would apply (300 min at night) are not charged
    name: 'rule 7: a free station stays free',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T06:00:00Z', end: '2025-05-06T11:00:00Z', kwh: 25, totalExcl: 0, totalIncl: 0 },
    rule: 'free_station',
    currency: 'EUR',
    total: '0.00',
    lines: [['free_station', '1', '0.00']],
  },
  {
    name: 'rule 7: a free IONITY session stays free with IONITY Plus (no negative total)',
    contract: DE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 25, power: 'DC', totalExcl: 0, totalIncl: 0 },
    rule: 'free_station',
    currency: 'EUR',
    total: '0.00',
    lines: [['free_station', '1', '0.00']],
  },
  {
    name: 'rule 7: free is decided on excl_vat when incl_vat is absent',
    contract: { home_market: 'SI', tariff: 'FLEX' },
    cdr: { country: 'SVN', ...day, kwh: 5, totalExcl: 0, totalIncl: null },
    rule: 'free_station',
    currency: 'EUR',
    total: '0.00',
    lines: [['free_station', '1', '0.00']],
  },
]

for (const c of cases) t.test(c.name, async (t) => checkTableCase(t, c))
