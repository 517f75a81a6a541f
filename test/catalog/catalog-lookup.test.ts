// The catalog version valid at an instant (a CDR is rated with the one valid at its start:
// test/rating/rate-catalog-version.test.ts).
import t from 'tap'
import { type Catalog, catalogVersionAt, defaultCatalog, type MarketCatalog } from '../../src/catalog/index.js'
import { deCatalog20240101 } from '../../src/catalog/de-2024-01-01.js'

const de = deCatalog20240101
const de2025: MarketCatalog = {
  ...de,
  validFrom: '2025-07-01T00:00:00Z',
  countries: { ...de.countries, DE: { ...de.countries.DE!, ac: { ...de.countries.DE!.ac, perKwh: '0.40' } } },
}
const catalog: Catalog = [de2025, ...defaultCatalog]

t.test('catalogVersionAt picks the latest version that started at or before the instant', async (t) => {
  t.equal(catalogVersionAt(catalog, 'DE', Date.parse('2025-06-30T23:59:59Z')), de)
  t.equal(catalogVersionAt(catalog, 'DE', Date.parse('2025-07-01T00:00:00Z')), de2025)
  t.equal(catalogVersionAt(catalog, 'DE', Date.parse('2023-12-31T23:59:59Z')), undefined)
  t.equal(catalogVersionAt(catalog, 'SI', Date.parse('2025-07-02T00:00:00Z'))?.homeMarket, 'SI', 'per home market')
})
