// The catalog holds every priced row of the three price lists, exactly as printed: the seed texts
// are parsed here independently (test/catalog/seed-parser.ts) and compared with the TypeScript
// catalog, in both directions (no row missing, no row invented). A transcription slip is a billing error.
import t, { type Test } from 'tap'
import { deCatalog20240101 } from '../../src/catalog/de-2024-01-01.js'
import { eeCatalog20250101 } from '../../src/catalog/ee-2025-01-01.js'
import { siCatalog20240101 } from '../../src/catalog/si-2024-01-01.js'
import { type CountryPrices, type MarketCatalog, operatorRegistrySeed, type PriceRow } from '../../src/catalog/index.js'
import { matchOperator } from '../../src/rating/engine/match-operator.js'
import {
  amount,
  between,
  countryBlocks,
  ESTONIAN_NAMES,
  GERMAN_NAMES,
  parseCountryBlock,
  parseEstonianRow,
  readSeed,
  type SeedRow,
  SLOVENIAN_NAMES,
  squash,
} from './seed-parser.js'

// Both sides are compared as plain numbers written canonically ("0.30" and "0.3" are one price).
const canon = (value: string): string => String(Number(value))

const canonRow = (row: PriceRow | SeedRow, currency: string) => ({
  currency,
  perKwh: row.perKwh === undefined ? undefined : canon(row.perKwh),
  perMinute: row.perMinute?.map((tier) => ({ fromMinute: tier.fromMinute, perMinute: canon(tier.perMinute) })),
  blocking: row.blocking && {
    afterMinutes: row.blocking.afterMinutes,
    perMinute: canon(row.blocking.perMinute),
    window: row.blocking.window && { from: row.blocking.window.from, to: row.blocking.window.to },
  },
  sessionFee: row.sessionFee === undefined ? undefined : canon(row.sessionFee),
})

const canonPrices = (prices: CountryPrices) => ({
  ac: canonRow(prices.ac, prices.currency),
  dc: canonRow(prices.dc, prices.currency),
})

const canonSeed = (parsed: { ac: SeedRow; dc: SeedRow }) => ({
  ac: canonRow(parsed.ac, parsed.ac.currency),
  dc: canonRow(parsed.dc, parsed.dc.currency),
})

interface FixedListSpec {
  file: string
  catalog: MarketCatalog
  names: Record<string, string>
  home: string
  active: [string, string]
  abroad: string
  packages: string
  acLabel: RegExp
  dcLabel: RegExp
  passThroughMarker: RegExp
}

const checkFixedPriceList = (t: Test, spec: FixedListSpec): void => {
  const text = readSeed(spec.file)
  const active = between(text, spec.active[0], spec.active[1])
  const abroad = between(active, spec.abroad, spec.packages)
  const domestic = squash(between(active, spec.acLabel, /EnBW|IONITY/))

  const parsed = new Map<string, { ac: SeedRow; dc: SeedRow }>()
  parsed.set(spec.home, parseCountryBlock(domestic, spec.acLabel, spec.dcLabel))
  for (const [code, block] of countryBlocks(abroad, spec.names)) {
    parsed.set(code, parseCountryBlock(block, spec.acLabel, spec.dcLabel))
  }

  t.same([...parsed.keys()].sort(), Object.keys(spec.catalog.countries).sort(), 'the same charging countries')
  for (const [code, seedRow] of parsed) {
    const prices = spec.catalog.countries[code]
    t.ok(prices, `${code} is in the catalog`)
    if (prices) t.same(canonPrices(prices), canonSeed(seedRow), `${code}: AC and DC rows as printed`)
  }

  const heading = spec.passThroughMarker.exec(squash(abroad))
  t.ok(heading, 'the pass-through countries heading is found')
  const passThrough = (heading?.[1] ?? '').split(' / ').map((name) => spec.names[name.trim()])
  t.same([...passThrough].sort(), [...spec.catalog.passThroughCountries].sort(), 'pass-through countries')

  const blocks = countryBlocks(abroad, spec.names)
  const merCountries = [...blocks].filter(([, block]) => /\bMer (Die Preise|Cene)/.test(block)).map(([code]) => code)
  t.same(merCountries, ['NO'], 'Mer is named only in Norway')
  // Issue 15 item 9: the price list prints the IONITY clause per country row; where a row has none
  // (Greece in both lists), IONITY sessions there get that country's fixed price.
  const domesticBlock = between(active, spec.acLabel, spec.abroad)
  const ionityRows = [
    ...(/IONITY (Die Preise|Cene)/.test(domesticBlock) ? [spec.home] : []),
    ...[...blocks].filter(([, block]) => /\bIONITY (Die Preise|Cene)/.test(block)).map(([code]) => code),
  ]
  const withoutClause = [...blocks.keys()].filter((code) => !ionityRows.includes(code))
  t.same(withoutClause, ['GR'], 'only Greece prints no IONITY clause')
  t.same(
    spec.catalog.passThroughOperators,
    [
      { operatorId: 'ionity', countries: ionityRows },
      { operatorId: 'mer', countries: ['NO'] },
    ],
    'IONITY passes through exactly in the rows that print its clause, Mer in Norway',
  )
}

t.test('German list: every country row, pass-through countries and operators', async (t) => {
  checkFixedPriceList(t, {
    file: '003_609d48ac14725002.txt',
    catalog: deCatalog20240101,
    names: GERMAN_NAMES,
    home: 'DE',
    active: ['Tarif: Active', 'Tarif: Flex'],
    abroad: 'Ladekosten im Ausland',
    packages: 'Optionale Pakete',
    acLabel: /AC-Laden/,
    dcLabel: /DC-Laden/,
    passThroughMarker: /beginnen\. (.+?) AC-Laden \/ DC-Laden/,
  })
})

t.test('Slovenian list: every country row, pass-through countries and operators', async (t) => {
  checkFixedPriceList(t, {
    file: '002_741668e1361fd510.txt',
    catalog: siCatalog20240101,
    names: SLOVENIAN_NAMES,
    home: 'SI',
    active: ['Tarifa: Active', 'Tarifa: Flex'],
    abroad: 'Polnjenje v tujini',
    packages: 'Izbirni paketi',
    acLabel: /Polnjenje na izmenični tok/,
    dcLabel: /Polnjenje na enosmerni tok/,
    passThroughMarker: /polnjenjem\. (.+?) Polnjenje na izmenični tok \/ Polnjenje na enosmerni tok/,
  })
  t.same(siCatalog20240101.operatorDeals, [], 'the Slovenian list names no operator deal')
})

t.test('German list: the EnBW mobility+ deal', async (t) => {
  const text = squash(readSeed('003_609d48ac14725002.txt'))
  const m =
    /EnBW mobility\+ AC: ([\d,]+) EUR Ladevorgangsgebühr \+ ([\d,]+) EUR\/kWh \+ ([\d,]+) EUR\/min nach (\d+) Minuten DC: ([\d,]+) EUR Ladevorgangsgebühr \+ ([\d,]+) EUR\/kWh \+ ([\d,]+) EUR\/min nach (\d+) Minuten/.exec(
      text,
    )
  t.ok(m, 'the EnBW paragraph is found')
  if (!m) return
  const seed = (fee: string, kwh: string, perMin: string, after: string): SeedRow => ({
    currency: 'EUR',
    perKwh: amount(kwh),
    sessionFee: amount(fee),
    blocking: { afterMinutes: Number(after), perMinute: amount(perMin) },
  })
  const [deal] = deCatalog20240101.operatorDeals
  t.equal(deCatalog20240101.operatorDeals.length, 1, 'one deal')
  t.same(deal?.operatorIds, ['enbw'])
  t.equal(deal?.country, 'DE', 'a domestic deal')
  if (deal) {
    t.same(canonPrices(deal.prices), canonSeed({ ac: seed(m[1]!, m[2]!, m[3]!, m[4]!), dc: seed(m[5]!, m[6]!, m[7]!, m[8]!) }))
  }
})

const checkTerms = (t: Test, catalog: MarketCatalog, text: string, re: Record<string, RegExp>): void => {
  const flat = squash(text)
  const pick = (key: string, group = 1): string => {
    const m = re[key]!.exec(flat)
    if (!m) throw new Error(`${catalog.homeMarket}: ${key} not found`)
    return m[group]!
  }
  t.equal(canon(catalog.tariffs.ACTIVE.monthlyBaseFee), canon(amount(pick('activeFee'))), 'Active base fee')
  t.equal(canon(catalog.tariffs.ACTIVE.newVehicleBaseFee!.monthlyBaseFee), canon(amount(pick('newVehicleFee'))), 'new-vehicle base fee')
  t.equal(catalog.tariffs.ACTIVE.newVehicleBaseFee!.months, Number(pick('newVehicleMonths')), 'new-vehicle months')
  t.equal(canon(catalog.tariffs.FLEX.monthlyBaseFee), canon(amount(pick('flexFee'))), 'Flex base fee')
  for (const tariff of ['ACTIVE', 'FLEX'] as const) {
    t.equal(canon(catalog.tariffs[tariff].replacementCardFee), canon(amount(pick('card'))), `${tariff} replacement card`)
    t.equal(catalog.tariffs[tariff].minimumTermMonths, Number(pick('term')), `${tariff} minimum term`)
  }
  t.equal(canon(catalog.ionityPlus.monthlyBaseFee), canon(amount(pick('ionityFee'))), 'IONITY Plus base fee')
}

t.test('DE and SI: tariff terms, IONITY Plus and new-vehicle benefits', async (t) => {
  const isoDate = (d: string, m: string, y: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  const lists: [MarketCatalog, string, Record<string, RegExp>][] = [
    [
      deCatalog20240101,
      '003_609d48ac14725002.txt',
      {
        activeFee: /Grundgebühr1\) ([\d,]+) EUR \/ Monat/,
        newVehicleFee: /([\d,]+) EUR\/Monat für \d+ Monate/,
        newVehicleMonths: /EUR\/Monat für (\d+) Monate/,
        flexFee: /Tarif: Flex .*? Grundgebühr ([\d,]+) EUR \/ Monat/,
        card: /Ersatzkarte ([\d,]+) EUR/,
        term: /Mindestvertragslaufzeit (\d+) Monat/,
        registeredBefore: /vor dem (\d+)\.(\d+)\.(\d{4})/,
        ionityFee: /Ladevorgangsgebühr entfällt\).*? Grundgebühr ([\d,]+) EUR \/ Monat/,
      },
    ],
    [
      siCatalog20240101,
      '002_741668e1361fd510.txt',
      {
        activeFee: /Osnovno nadomestilo1\) ([\d,]+) EUR \/ mesec/,
        newVehicleFee: /\d+ mesecev ([\d,]+) EUR\/mesec/,
        newVehicleMonths: /(\d+) mesecev [\d,]+ EUR\/mesec/,
        flexFee: /Tarifa: Flex .*? Osnovno nadomestilo ([\d,]+) EUR \/ mesec/,
        card: /Nadomestna kartica ([\d,]+) EUR/,
        term: /Najkrajše pogodbeno obdobje (\d+) mesec/,
        registeredBefore: /pred (\d+)\. (\d+)\. (\d{4})/,
        ionityFee: /odpovedano\).*? Osnovno nadomestilo ([\d,]+) EUR \/ mesec/,
      },
    ],
  ]
  for (const [catalog, file, re] of lists) {
    const text = readSeed(file)
    const flat = squash(text)
    // the regex groups are day, month, year; the catalog keeps the date as ISO
    const deadline = re.registeredBefore!.exec(flat)!
    t.equal(
      catalog.newVehicleBenefits.registeredBefore,
      isoDate(deadline[1]!, deadline[2]!, deadline[3]!),
      `${catalog.homeMarket} offer deadline`,
    )
    checkTerms(t, catalog, text, re)
    const discounts = [...flat.matchAll(/-([\d,]+) EUR\/kWh \((?:Ladevorgangsgebühr entfällt|nadomestilo za polnjenje je odpovedano)\)/g)]
    t.equal(discounts.length, 2, `${catalog.homeMarket}: IONITY Plus printed under Active and Flex`)
    const plus = catalog.ionityPlus
    t.equal(plus.kind, 'DISCOUNT_PER_KWH')
    if (plus.kind === 'DISCOUNT_PER_KWH') {
      for (const d of discounts) t.equal(canon(plus.discountPerKwh), canon(amount(d[1]!)), 'IONITY Plus discount per kWh')
    }
    t.match(flat, /(19\.1\.2021|19\. 1\. 2021)/, 'delivery date of the new-vehicle offer is printed')
    t.equal(catalog.newVehicleBenefits.deliveredFrom, '2021-01-19')
    // Flex abroad has no fixed price at all: every price is the operator's
    t.notMatch(between(text, /Tarifa?: Flex/, /Optionale Pakete|Izbirni paketi/), /\/ kWh/, 'Flex prints no kWh price')
  }
})

t.test('Estonian list: 30% countries, pass-through countries, partner networks, IONITY Plus', async (t) => {
  const text = readSeed('004_42fb4a564069e942.txt')
  const active = between(text, 'Tariif: Active', 'Tariif: Flex')
  const discounted: string[] = []
  const plain: string[] = []
  const partners: { country: string; operators: string[]; ac: SeedRow; dc: SeedRow }[] = []
  let current = ''
  for (const line of active.split('\n')) {
    const domestic = /^AC laadimine ²⁾\tPaindlikud hinnad Täiendav 30% allahindlus/.test(line)
    if (domestic) discounted.push('EE')
    const row = /^([^\t]+)\tAC laadimine( ²⁾)?\tPaindlikud hinnad( Täiendav 30% allahindlus)?/.exec(line)
    if (row && !domestic) {
      current = ESTONIAN_NAMES[row[1]!.trim()] ?? `unknown:${row[1]}`
      ;(row[3] ? discounted : plain).push(current)
    }
    if (line.includes('Eelistatud partnerite võrgustik')) {
      const m = /Laadige (.+?) jaamades järgmiste hindadega: AC laadimine (.+?) DC laadimine (.+)$/.exec(squash(line))
      t.ok(m, `partner line of ${current} parses`)
      if (m) {
        const operators = m[1]!.split(/, | ja /)
        partners.push({ country: current, operators, ac: parseEstonianRow(m[2]!), dc: parseEstonianRow(m[3]!) })
      }
    }
  }
  const catalog = eeCatalog20250101
  t.same([...discounted].sort(), [...catalog.flexDiscount!.countries].sort(), 'countries with 30% off')
  t.match(squash(active), /30% allahindlus/, 'the discount is 30%')
  t.equal(canon(catalog.flexDiscount!.customerShare), canon(String(1 - 0.3)), 'the customer pays 70%')
  t.same([...plain].sort(), [...catalog.passThroughCountries].sort(), 'countries without discount')
  t.same(Object.keys(catalog.countries), [], 'no fixed country prices outside the partners')

  t.equal(partners.length, catalog.operatorDeals.length, 'as many partner networks as printed')
  for (const p of partners) {
    const deal = catalog.operatorDeals.find((d) => d.country === p.country)
    t.ok(deal, `${p.country} partner network is in the catalog`)
    if (!deal) continue
    t.equal(deal.kind, 'partner_network')
    const ids = p.operators.map(
      (name) => matchOperator(operatorRegistrySeed, { cpoCountryCode: 'XX', cpoPartyId: 'ZZZ', operatorName: name })?.operator.id,
    )
    t.same(ids, deal.operatorIds, `${p.country}: partner names resolve through the operator registry`)
    t.same(canonPrices(deal.prices), canonSeed(p), `${p.country}: partner prices as printed`)
  }

  const flat = squash(text)
  const plus = catalog.ionityPlus
  const m = /Põhitasu ([\d,]+) EUR \/ kuu HPC laadimine ([\d,]+) EUR \/ kWh/.exec(flat)
  t.ok(m, 'IONITY Plus terms found')
  t.equal(plus.kind, 'HPC_PRICE_PER_KWH')
  if (m && plus.kind === 'HPC_PRICE_PER_KWH') {
    t.equal(canon(plus.monthlyBaseFee), canon(amount(m[1]!)))
    t.equal(canon(plus.hpcPerKwh), canon(amount(m[2]!)))
  }
  t.equal(canon(catalog.tariffs.ACTIVE.monthlyBaseFee), canon(amount(/Põhitasu ¹⁾ ([\d,]+) EUR \/ kuu/.exec(flat)![1]!)))
  t.equal(catalog.tariffs.ACTIVE.newVehicleBaseFee?.months, Number(/0,00 EUR kuus (\d+) kuu jooksul/.exec(flat)![1]))
  t.equal(canon(catalog.tariffs.FLEX.monthlyBaseFee), canon(amount(/Tariif: Flex .*? Põhitasu ([\d,]+) EUR \/ kuu/.exec(flat)![1]!)))
  for (const tariff of ['ACTIVE', 'FLEX'] as const) {
    t.equal(canon(catalog.tariffs[tariff].replacementCardFee), canon(amount(/Asenduskaart ([\d,]+) EUR/.exec(flat)![1]!)))
    t.equal(catalog.tariffs[tariff].minimumTermMonths, Number(/Minimaalne lepinguperiood (\d+) kuu/.exec(flat)![1]))
  }
  t.match(flat, /enne 31\. detsembrit 2025/)
  t.equal(catalog.newVehicleBenefits.registeredBefore, '2025-12-31')
  const ionityRows = [
    ...(/^AC laadimine ²⁾\tPaindlikud hinnad .*\(välja arvatud IONITY\)/m.test(active) ? ['EE'] : []),
    ...[...active.matchAll(/^([^\t\n]+)\tAC laadimine[^\n]*\(välja arvatud IONITY\)/gm)].map((m) => ESTONIAN_NAMES[m[1]!.trim()]),
  ]
  t.same(ionityRows, catalog.flexDiscount!.countries, 'every 30% row, and only those, excepts IONITY')
  t.same(
    catalog.passThroughOperators,
    [{ operatorId: 'ionity', countries: ionityRows }],
    'no discount at IONITY where the row says "välja arvatud IONITY"',
  )
})
