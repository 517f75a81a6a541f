// Estonian contracts (seed 004): 70% of the operator's price, partner networks, IONITY Plus HPC.
import t from 'tap'
import { checkTableCase, type TableCase } from './helpers.js'

const EE = { home_market: 'EE', tariff: 'ACTIVE' } as const
const EE_PLUS = { home_market: 'EE', tariff: 'ACTIVE', packages: ['IONITY_PLUS'] } as const
const day = { start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:40:00Z' }

const cases: TableCase[] = [
  {
    // 0.7 × 10.05 = 7.035 → 7.04 (one line, rounded once)
    name: 'rule 9: EE Active at home, outside the partner network: 70% of the operator total',
    contract: EE,
    cdr: { country: 'EST', ...day, kwh: 20, totalExcl: 8.24, totalIncl: 10.05 },
    rule: 'flex_discount',
    currency: 'EUR',
    total: '7.04',
    lines: [['operator_price_share', '10.05', '7.04']],
  },
  {
    name: 'rule 9: EE Active abroad at a non-partner (EnBW in Germany): 70%',
    contract: EE,
    cdr: { country: 'DEU', party: ['DE', 'EBW'], ...day, kwh: 20, totalExcl: 10, totalIncl: 11.9 },
    rule: 'flex_discount',
    currency: 'EUR',
    total: '8.33',
    lines: [['operator_price_share', '11.9', '8.33']],
  },
  {
    name: 'rule 9: a partner in another country is not a partner here (Allego in Spain): 70%',
    contract: EE,
    cdr: { country: 'ESP', ...day, kwh: 20, totalExcl: 10, totalIncl: 12.1 },
    location: { country: 'ESP', timeZone: 'Europe/Madrid', operatorName: 'Allego' },
    rule: 'flex_discount',
    currency: 'EUR',
    total: '8.47',
    lines: [['operator_price_share', '12.1', '8.47']],
  },
  {
    // 16:00-21:00 local, 300 min; minutes 240..299 = 20:00-20:59, outside 08:00-20:00
    name: 'rule 9: partner network Germany (Allego) AC, blocking minutes after the window',
    contract: EE,
    cdr: { country: 'DEU', start: '2025-05-06T14:00:00Z', end: '2025-05-06T19:00:00Z', kwh: 22 },
    location: { country: 'DEU', timeZone: 'Europe/Berlin', operatorName: 'Allego' },
    rule: 'partner_network',
    currency: 'EUR',
    total: '7.70',
    lines: [['energy', '22', '7.70']],
  },
  {
    // 10:00-15:00 local; minutes 240..299 = 14:00-14:59, inside 08:00-20:00: 60 × 0.06
    name: 'rule 9: partner network Germany (Allego) AC, blocking minutes inside the window',
    contract: EE,
    cdr: { country: 'DEU', start: '2025-05-06T08:00:00Z', end: '2025-05-06T13:00:00Z', kwh: 22 },
    location: { country: 'DEU', timeZone: 'Europe/Berlin', operatorName: 'Allego' },
    rule: 'partner_network',
    currency: 'EUR',
    total: '11.30',
    lines: [
      ['energy', '22', '7.70'],
      ['blocking_fee', '60', '3.60'],
    ],
  },
  {
    // 21:30-23:30 Rome; minutes 60..119 = 22:30-23:29, inside 07:00-23:00 until 22:59: 30 × 0.10
    name: 'rule 9: partner network Italy (Enel) AC window 07:00-23:00',
    contract: EE,
    cdr: { country: 'ITA', start: '2025-05-06T19:30:00Z', end: '2025-05-06T21:30:00Z', kwh: 10 },
    location: { country: 'ITA', timeZone: 'Europe/Rome', operatorName: 'Enel' },
    rule: 'partner_network',
    currency: 'EUR',
    total: '7.90',
    lines: [
      ['energy', '10', '4.90'],
      ['blocking_fee', '30', '3.00'],
    ],
  },
  {
    name: 'NOK: partner network Norway (Mer, by CPO party) DC',
    contract: EE,
    cdr: { country: 'NOR', party: ['NO', 'MER'], ...day, kwh: 30, power: 'DC', currency: 'NOK', totalExcl: 150, totalIncl: 187.5 },
    rule: 'partner_network',
    currency: 'NOK',
    total: '135.00',
    lines: [['energy', '30', '135.00']],
  },
  {
    name: 'PLN: partner network Poland ("Powerdot") DC at 2 PLN/kWh',
    contract: EE,
    cdr: { country: 'POL', ...day, kwh: 25.5, power: 'DC', currency: 'PLN' },
    location: { country: 'POL', timeZone: 'Europe/Warsaw', operatorName: 'Powerdot', power: 'DC' },
    rule: 'partner_network',
    currency: 'PLN',
    total: '51.00',
    lines: [['energy', '25.5', '51.00']],
  },
  {
    // 11.9 × 20 = 238.00; 70 min, 10 after minute 60 at 2 CZK
    name: 'CZK: partner network Czechia (Prazska energetika) DC',
    contract: EE,
    cdr: { country: 'CZE', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:10:00Z', kwh: 20, power: 'DC', currency: 'CZK' },
    location: { country: 'CZE', timeZone: 'Europe/Prague', operatorName: 'Prazska energetika', power: 'DC' },
    rule: 'partner_network',
    currency: 'CZK',
    total: '258.00',
    lines: [
      ['energy', '20', '238.00'],
      ['blocking_fee', '10', '20.00'],
    ],
  },
  {
    // 07:00-12:00 local, 300 min; minutes 240..299 = 11:00-11:59 inside 09:00-22:00: 60 × 1 DKK
    name: 'DKK: partner network Denmark (E.ON Drive Infrastructure) AC window 09:00-22:00',
    contract: EE,
    cdr: { country: 'DNK', start: '2025-05-06T05:00:00Z', end: '2025-05-06T10:00:00Z', kwh: 11, currency: 'DKK' },
    location: { country: 'DNK', timeZone: 'Europe/Copenhagen', operatorName: 'E.ON Drive Infrastructure' },
    rule: 'partner_network',
    currency: 'DKK',
    total: '103.89',
    lines: [
      ['energy', '11', '43.89'],
      ['blocking_fee', '60', '60.00'],
    ],
  },
  {
    name: 'CHF: partner network Switzerland (GOFAST) AC',
    contract: EE,
    cdr: { country: 'CHE', ...day, kwh: 10, currency: 'CHF' },
    location: { country: 'CHE', timeZone: 'Europe/Zurich', operatorName: 'GOFAST' },
    rule: 'partner_network',
    currency: 'CHF',
    total: '3.90',
    lines: [['energy', '10', '3.90']],
  },
  {
    name: 'rule 9: no discount at IONITY',
    contract: EE,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 40, power: 'DC', totalExcl: 25.21, totalIncl: 30 },
    rule: 'pass_through_operator',
    currency: 'EUR',
    total: '30.00',
    lines: [['operator_price', '1', '30.00']],
  },
  {
    name: 'rule 8: EE Active in Bulgaria: operator price without discount',
    contract: EE,
    cdr: { country: 'BGR', ...day, kwh: 20, currency: 'BGN', totalExcl: 16.67, totalIncl: 20 },
    rule: 'pass_through_country',
    currency: 'BGN',
    total: '20.00',
    lines: [['operator_price', '1', '20.00']],
  },
  {
    name: 'rule 8: EE Flex pays the operator price',
    contract: { home_market: 'EE', tariff: 'FLEX' },
    cdr: { country: 'EST', ...day, kwh: 20, totalExcl: 10.11, totalIncl: 12.34 },
    rule: 'pass_through_flex',
    currency: 'EUR',
    total: '12.34',
    lines: [['operator_price', '1', '12.34']],
  },
  {
    // 45.5 × 0.42 = 19.11, nothing else
    name: 'rules 5, 10: EE IONITY Plus at an IONITY HPC (350 kW)',
    contract: EE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 45.5, power: 'DC', totalExcl: 30, totalIncl: 35.7 },
    location: { country: 'DEU', timeZone: 'Europe/Berlin', power: 'DC', maxPowerW: 350_000 },
    rule: 'ionity_plus_hpc',
    currency: 'EUR',
    total: '19.11',
    lines: [['energy', '45.5', '19.11']],
  },
  {
    // the EE package price is in EUR wherever IONITY is, also when IONITY bills in NOK
    name: 'rule 10: EE IONITY Plus HPC in Norway is priced in EUR',
    contract: EE_PLUS,
    cdr: { country: 'NOR', party: ['NO', 'ION'], ...day, kwh: 20, power: 'DC', currency: 'NOK', totalExcl: 160, totalIncl: 200 },
    location: { country: 'NOR', timeZone: 'Europe/Oslo', power: 'DC', maxPowerW: 150_000 },
    rule: 'ionity_plus_hpc',
    currency: 'EUR',
    total: '8.40',
    lines: [['energy', '20', '8.40']],
  },
  {
    // no max_electric_power: 920 V × 500 A = 460 kW
    name: 'rule 5: HPC from max_voltage × max_amperage when max_electric_power is absent',
    contract: EE_PLUS,
    cdr: { country: 'FIN', party: ['FI', 'ION'], ...day, kwh: 10, power: 'DC', totalExcl: 5, totalIncl: 6.2 },
    location: { country: 'FIN', timeZone: 'Europe/Helsinki', power: 'DC' },
    rule: 'ionity_plus_hpc',
    currency: 'EUR',
    total: '4.20',
    lines: [['energy', '10', '4.20']],
  },
  {
    name: 'rule 5: a 50 kW IONITY charger is not HPC: no EE IONITY Plus price',
    contract: EE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 20, power: 'DC', totalExcl: 21.01, totalIncl: 25 },
    location: { country: 'DEU', timeZone: 'Europe/Berlin', power: 'DC', maxPowerW: 50_000 },
    rule: 'pass_through_operator',
    currency: 'EUR',
    total: '25.00',
    lines: [['operator_price', '1', '25.00']],
  },
  {
    name: 'rule 5: without a Location HPC is unknown: no EE IONITY Plus price',
    contract: EE_PLUS,
    cdr: { country: 'DEU', party: ['DE', 'ION'], ...day, kwh: 20, power: 'DC', totalExcl: 21.01, totalIncl: 25 },
    rule: 'pass_through_operator',
    currency: 'EUR',
    total: '25.00',
    lines: [['operator_price', '1', '25.00']],
  },
]

for (const c of cases) t.test(c.name, async (t) => checkTableCase(t, c))
