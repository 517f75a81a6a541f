// DE and SI Active fixed prices, computed by hand from the price lists (seeds 003 and 002).
// Times: CEST = UTC+2 (end of March to end of October), CET = UTC+1. Minutes are started minutes.
import t from 'tap'
import { checkTableCase, type TableCase } from './helpers.js'

const DE = { home_market: 'DE', tariff: 'ACTIVE' } as const
const SI = { home_market: 'SI', tariff: 'ACTIVE' } as const
const berlin = { country: 'DEU', timeZone: 'Europe/Berlin' }

const cases: TableCase[] = [
  {
    // 08:00-12:05:30 local = 245.5 min → 246 started minutes; minutes 180..245 (66) all inside 08-21
    name: 'rule 3: DE domestic AC, blocking minutes inside the window',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T06:00:00Z', end: '2025-05-06T10:05:30Z', kwh: 22.5 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '12.65',
    lines: [
      ['energy', '22.5', '8.10'],
      ['blocking_fee', '66', '3.96'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 21:30-05:30 local, 480 min; minutes from 180 start at 00:30 local, none inside 08-21
    name: 'rule 3: DE domestic AC, long session entirely outside the window',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T19:30:00Z', end: '2025-05-07T03:30:00Z', kwh: 30 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '11.39',
    lines: [
      ['energy', '30', '10.80'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 20:00-09:00 local, 780 min; from minute 180 (23:00) only 08:00-08:59 next morning is inside: 60 min
    name: 'rule 3: DE domestic AC over midnight into the next morning window',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T18:00:00Z', end: '2025-05-07T07:00:00Z', kwh: 40 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '18.59',
    lines: [
      ['energy', '40', '14.40'],
      ['blocking_fee', '60', '3.60'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 16:00-23:00 local, 420 min; minute 180 = 19:00; window ends 21:00 (exclusive): 120 min
    name: 'rule 3: DE domestic AC across the end of the window',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T14:00:00Z', end: '2025-05-06T21:00:00Z', kwh: 11 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '11.75',
    lines: [
      ['energy', '11', '3.96'],
      ['blocking_fee', '120', '7.20'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 22:30 CET-09:30 CEST (spring forward 30 March), 600 min; 08:00 CEST = 06:00Z, so 06:00Z-07:29Z: 90 min
    name: 'rule 3: blocking window across the spring daylight-saving change',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-03-29T21:30:00Z', end: '2025-03-30T07:30:00Z', kwh: 25 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '14.99',
    lines: [
      ['energy', '25', '9.00'],
      ['blocking_fee', '90', '5.40'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 22:00 CEST-09:00 CET (fall back 26 October), 720 min; 08:00 CET = 07:00Z, so 07:00Z-07:59Z: 60 min
    name: 'rule 3: blocking window across the autumn daylight-saving change',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-10-25T20:00:00Z', end: '2025-10-26T08:00:00Z', kwh: 20 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '11.39',
    lines: [
      ['energy', '20', '7.20'],
      ['blocking_fee', '60', '3.60'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 100 min 20 s → 101 started minutes, 11 after minute 90; 45.5 × 0.55 = 25.025 → 25.03 (half-up)
    name: 'rules 2, 11: DE domestic DC, started minutes and half-up rounding',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:40:20Z', kwh: 45.5, power: 'DC' },
    location: { ...berlin, power: 'DC', maxPowerW: 50_000 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '27.82',
    lines: [
      ['energy', '45.5', '25.03'],
      ['blocking_fee', '11', '2.20'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 5: HPC at a non-IONITY operator pays the DC price',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:30:00Z', kwh: 40, power: 'DC' },
    location: { ...berlin, power: 'DC', maxPowerW: 300_000 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '22.59',
    lines: [
      ['energy', '40', '22.00'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // No Location: Paris is the zone. 21:00-02:00 local, minutes 180+ start 00:00 local, outside 07-23.
    // (Read in UTC, 22:00Z-22:59Z would have been charged.)
    name: 'rule 3: without a Location the charging country zone is used (France)',
    contract: DE,
    cdr: { country: 'FRA', start: '2025-06-10T19:00:00Z', end: '2025-06-11T00:00:00Z', kwh: 18 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '6.89',
    lines: [
      ['energy', '18', '6.30'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 10:00-14:10 local, 250 min, minutes 240..249 inside 08-21; 3.49 × 12.3 = 42.927 → 42.93
    name: 'DKK: Denmark AC with blocking fee',
    contract: DE,
    cdr: { country: 'DNK', start: '2025-05-06T08:00:00Z', end: '2025-05-06T12:10:00Z', kwh: 12.3, currency: 'DKK' },
    location: { country: 'DNK', timeZone: 'Europe/Copenhagen' },
    rule: 'fixed_price',
    currency: 'DKK',
    total: '50.92',
    lines: [
      ['energy', '12.3', '42.93'],
      ['blocking_fee', '10', '3.50'],
      ['session_fee', '1', '4.49'],
    ],
  },
  {
    name: 'CZK: Czechia DC, 75 min, 15 after minute 60',
    contract: DE,
    cdr: { country: 'CZE', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:15:00Z', kwh: 30, power: 'DC', currency: 'CZK' },
    rule: 'fixed_price',
    currency: 'CZK',
    total: '629.99',
    lines: [
      ['energy', '30', '315.00'],
      ['blocking_fee', '15', '300.00'],
      ['session_fee', '1', '14.99'],
    ],
  },
  {
    name: 'HUF: Hungary AC below the blocking threshold',
    contract: DE,
    cdr: { country: 'HUN', start: '2025-05-06T10:00:00Z', end: '2025-05-06T12:00:00Z', kwh: 10, currency: 'HUF' },
    rule: 'fixed_price',
    currency: 'HUF',
    total: '1379.00',
    lines: [
      ['energy', '10', '1150.00'],
      ['session_fee', '1', '229.00'],
    ],
  },
  {
    name: 'NOK: Norway DC at an operator other than Mer',
    contract: DE,
    cdr: { country: 'NOR', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:35:00Z', kwh: 50, power: 'DC', currency: 'NOK' },
    rule: 'fixed_price',
    currency: 'NOK',
    total: '211.49',
    lines: [
      ['energy', '50', '199.50'],
      ['blocking_fee', '5', '5.00'],
      ['session_fee', '1', '6.99'],
    ],
  },
  {
    // Poland's AC fee has no window: night minutes count too (00:00-03:20 local, 200 min, 20 after 180)
    name: 'PLN: Poland AC blocking fee without a window',
    contract: DE,
    cdr: { country: 'POL', start: '2025-05-06T22:00:00Z', end: '2025-05-07T01:20:00Z', kwh: 15, currency: 'PLN' },
    location: { country: 'POL', timeZone: 'Europe/Warsaw' },
    rule: 'fixed_price',
    currency: 'PLN',
    total: '26.64',
    lines: [
      ['energy', '15', '16.05'],
      ['blocking_fee', '20', '8.00'],
      ['session_fee', '1', '2.59'],
    ],
  },
  {
    // 5.69 × 33.3 = 189.477 → 189.48
    name: 'SEK: Sweden DC',
    contract: DE,
    cdr: { country: 'SWE', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:00:00Z', kwh: 33.3, power: 'DC', currency: 'SEK' },
    rule: 'fixed_price',
    currency: 'SEK',
    total: '196.47',
    lines: [
      ['energy', '33.3', '189.48'],
      ['session_fee', '1', '6.99'],
    ],
  },
  {
    name: 'CHF: Switzerland AC',
    contract: SI,
    cdr: { country: 'CHE', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:40:00Z', kwh: 11, currency: 'CHF' },
    rule: 'fixed_price',
    currency: 'CHF',
    total: '6.09',
    lines: [
      ['energy', '11', '5.50'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // 75 min 30 s → 76 started minutes × 0.08; no kWh price in Portugal
    name: 'rule 4: Portugal AC per started minute',
    contract: DE,
    cdr: { country: 'PRT', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:15:30Z', kwh: 9 },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '6.67',
    lines: [
      ['time', '76', '6.08'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 4: Portugal DC, 120 minutes: 90 at 0.49 and 30 at 0.59',
    contract: SI,
    cdr: { country: 'PRT', start: '2025-05-06T10:00:00Z', end: '2025-05-06T12:00:00Z', kwh: 60, power: 'DC' },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '62.39',
    lines: [
      ['time', '90', '44.10'],
      ['time', '30', '17.70'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 4: Portugal DC, exactly 90 minutes stays in the first tier',
    contract: DE,
    cdr: { country: 'PRT', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:30:00Z', kwh: 50, power: 'DC' },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '44.69',
    lines: [
      ['time', '90', '44.10'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rules 2, 4: Portugal DC, 90 minutes and 1 second starts minute 91',
    contract: DE,
    cdr: { country: 'PRT', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:30:01Z', kwh: 50, power: 'DC' },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '45.28',
    lines: [
      ['time', '90', '44.10'],
      ['time', '1', '0.59'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // party DE/EBW; EnBW's fee has no window: 22:00-00:30 local, 150 min, 30 after minute 120
    name: 'EnBW mobility+ AC for a German contract (by CPO party)',
    contract: DE,
    cdr: { country: 'DEU', party: ['DE', 'EBW'], start: '2025-05-06T20:00:00Z', end: '2025-05-06T22:30:00Z', kwh: 20 },
    location: berlin,
    rule: 'operator_deal',
    currency: 'EUR',
    total: '13.39',
    lines: [
      ['energy', '20', '11.00'],
      ['blocking_fee', '30', '1.80'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'EnBW mobility+ DC recognised by the Location operator name',
    contract: DE,
    cdr: { country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:45:00Z', kwh: 30, power: 'DC' },
    location: { ...berlin, power: 'DC', maxPowerW: 150_000, operatorName: 'enbw' },
    rule: 'operator_deal',
    currency: 'EUR',
    total: '26.09',
    lines: [
      ['energy', '30', '22.50'],
      ['blocking_fee', '15', '3.00'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    name: 'rule 12: a Slovenian contract pays the general German price at EnBW',
    contract: SI,
    cdr: { country: 'DEU', party: ['DE', 'EBW'], start: '2025-05-06T08:00:00Z', end: '2025-05-06T10:30:00Z', kwh: 20 },
    location: berlin,
    rule: 'fixed_price',
    currency: 'EUR',
    total: '7.79',
    lines: [
      ['energy', '20', '7.20'],
      ['session_fee', '1', '0.59'],
    ],
  },
  {
    // Slovenia is the home country of a SI contract: 0.50/kWh DC, 60 min threshold (70 min → 10)
    name: 'rule 1: SI domestic DC',
    contract: SI,
    cdr: { country: 'SVN', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:10:00Z', kwh: 35, power: 'DC' },
    rule: 'fixed_price',
    currency: 'EUR',
    total: '20.09',
    lines: [
      ['energy', '35', '17.50'],
      ['blocking_fee', '10', '2.00'],
      ['session_fee', '1', '0.59'],
    ],
  },
]

for (const c of cases) t.test(c.name, async (t) => checkTableCase(t, c))
