// The rating case, read by the CDRs Receiver's own readers: typed errors that name the field, what
// the intake tolerates tolerated, and the spec's own examples unmodified.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { defaultCatalog, type MarketCatalog } from '../../src/catalog/index.js'
import { deCatalog20240101 } from '../../src/catalog/de-2024-01-01.js'
import { readRatingCase } from '../../src/rating/rating.convert.js'
import { ocpiCdr, ocpiLocation, rateCase, rateToJson } from './helpers.js'

const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/ocpi/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>
const contract = { home_market: 'DE', tariff: 'ACTIVE' }
const good = () => ({
  contract,
  cdr: ocpiCdr({ country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:30:00Z', kwh: 41.12 }),
  location: ocpiLocation({ country: 'DEU', timeZone: 'Europe/Berlin' }),
})

const fieldOf = (raw: unknown): string | undefined => {
  const parsed = readRatingCase(raw)
  return parsed.ok ? undefined : parsed.error.field
}

t.test('numbers become Decimals through their decimal text', async (t) => {
  const parsed = readRatingCase(good())
  t.equal(parsed.ok, true)
  if (parsed.ok) {
    t.equal(parsed.value.cdr.totalEnergyKwh.toString(), '41.12')
    t.equal(parsed.value.cdr.country, 'DE', 'alpha-3 DEU → alpha-2 DE')
    t.equal(parsed.value.location?.connectorMaxPowerW, 230 * 32, 'voltage × amperage without max_electric_power')
  }
})

t.test('bad input names the field', async (t) => {
  const edit = (change: (c: ReturnType<typeof good>) => void) => {
    const c = good()
    change(c)
    return c
  }
  t.equal(fieldOf(null), 'case')
  t.equal(fieldOf(edit((c) => delete (c.cdr as Record<string, unknown>).total_cost)), 'cdr.total_cost')
  t.equal(fieldOf(edit((c) => ((c.cdr.total_cost as Record<string, unknown>).incl_vat = 'twelve'))), 'cdr.total_cost.incl_vat')
  t.equal(
    fieldOf(edit((c) => ((c.cdr.cdr_location as Record<string, unknown>).connector_power_type = 'HPC'))),
    'cdr.cdr_location.connector_power_type',
  )
  t.equal(fieldOf(edit((c) => (c.cdr.start_date_time = '2025-02-30T12:00:00Z'))), 'cdr.start_date_time')
  t.equal(fieldOf(edit((c) => (c.cdr.total_energy = 'a lot'))), 'cdr.total_energy')
  t.equal(fieldOf(edit((c) => (c.cdr.credit = true))), 'cdr.credit_reference_id')
  t.equal(fieldOf({ ...good(), contract: { home_market: 'AT', tariff: 'ACTIVE' } }), 'contract.home_market')
  t.equal(fieldOf({ ...good(), contract: { ...contract, packages: ['FASTNED_GOLD'] } }), 'contract.packages[0]')
  t.equal(fieldOf(edit((c) => (c.location.id = 'OTHER'))), 'location.id')
  t.equal(fieldOf(edit((c) => (c.location.time_zone = 'Europe/Atlantis'))), 'location.time_zone')
  // without a Location, a country or power type the CDR does not name cannot be resolved
  const bare = { contract, cdr: ocpiCdr({ country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:30:00Z', kwh: 1 }) }
  t.equal(
    fieldOf({ ...bare, cdr: { ...bare.cdr, cdr_location: { ...(bare.cdr.cdr_location as object), country: '' } } }),
    'cdr.cdr_location.country',
  )
  const parsed = readRatingCase(edit((c) => ((c.cdr.total_cost as Record<string, unknown>).incl_vat = 'twelve')))
  t.match(parsed, { ok: false, error: { code: 'invalid_rating_input', message: /expected number/ } })
})

t.test('a CDR as CPOs send it is rated like the conforming one (the intake tolerance)', async (t) => {
  const conforming = rateToJson(good())
  const c = good()
  const cdr = c.cdr as Record<string, unknown>
  const at = cdr.cdr_location as Record<string, unknown>
  cdr.start_date_time = '2025-05-06T12:00:00+02:00'
  cdr.total_energy = '41.12'
  cdr.currency = 'eur'
  at.country = 'DE'
  delete at.connector_power_type
  delete at.connector_standard
  ;(cdr.total_cost as Record<string, unknown>).incl_vat = '10'
  t.same(rateToJson(c), conforming, 'offset, strings, alpha-2 country, power type from the Location')
  const parsed = readRatingCase(c)
  t.equal(parsed.ok && parsed.value.cdr.country, 'DE')
  t.equal(parsed.ok && parsed.value.cdr.startMs, Date.parse('2025-05-06T10:00:00Z'))
})

t.test('a partial CDR with only what rating needs is rated', async (t) => {
  const partial = {
    start_date_time: '2025-05-06T10:00:00Z',
    end_date_time: '2025-05-06T10:30:00Z',
    currency: 'EUR',
    total_cost: { excl_vat: 8, incl_vat: 10 },
    total_energy: 41.12,
    cdr_location: { country: 'DEU', connector_power_type: 'AC_3_PHASE' },
  }
  t.same(rateToJson({ contract, cdr: partial }), rateToJson({ contract, cdr: good().cdr }))
})

t.test('the spec example CDR and Location, unmodified', async (t) => {
  const cdr = example('cdrs/cdr_example.json')
  const location = example('locations/location_example.json')
  // the example is from 2015, before our first price list
  const now = rateCase({ contract, cdr, location })
  t.match(now, { ok: false, code: 'no_catalog_version' })
  // with the German list back-dated: Belgium AC, 15.342 kWh × 0.42 = 6.44364 → 6.44;
  // 21:39:09-23:37:32 = 119 started minutes, below the 300-minute blocking threshold; + 0.59
  const backdated: MarketCatalog = { ...deCatalog20240101, validFrom: '2015-01-01T00:00:00Z' }
  const json = rateToJson({ contract, cdr, location }, [backdated, ...defaultCatalog])
  t.equal(json.rule, 'fixed_price')
  t.same(
    json.lines.map((l) => [l.kind, l.quantity, l.amount]),
    [
      ['energy', '15.342', '6.44'],
      ['session_fee', '1', '0.59'],
    ],
  )
  t.equal(json.total, '7.03')
})
