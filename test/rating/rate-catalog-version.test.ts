// A CDR is rated with the catalog version valid at its start (the lookup itself: test/catalog/catalog-lookup.test.ts).
import t from 'tap'
import { type Catalog, defaultCatalog, type MarketCatalog } from '../../src/catalog/index.js'
import { ocpiCdr, rateToJson } from './helpers.js'
import { deCatalog20240101 } from '../../src/catalog/de-2024-01-01.js'

const de = deCatalog20240101
const de2025: MarketCatalog = {
  ...de,
  validFrom: '2025-07-01T00:00:00Z',
  countries: { ...de.countries, DE: { ...de.countries.DE!, ac: { ...de.countries.DE!.ac, perKwh: '0.40' } } },
}
const catalog: Catalog = [de2025, ...defaultCatalog]

t.test('a session across the version change is rated with the version at its start', async (t) => {
  const contract = { home_market: 'DE', tariff: 'ACTIVE' } as const
  // 10 kWh AC, 60 min: 10 × 0.36 + 0.59 = 4.19 before; 10 × 0.40 + 0.59 = 4.59 after
  const across = ocpiCdr({ country: 'DEU', start: '2025-06-30T23:30:00Z', end: '2025-07-01T00:30:00Z', kwh: 10 })
  const after = ocpiCdr({ country: 'DEU', start: '2025-07-01T00:00:00Z', end: '2025-07-01T01:00:00Z', kwh: 10 })
  t.equal(rateToJson({ contract, cdr: across }, catalog).total, '4.19')
  t.equal(rateToJson({ contract, cdr: after }, catalog).total, '4.59')
})
