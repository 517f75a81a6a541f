// Builders of OCPI 2.2.1 CDRs and Locations for the rating tests. They produce complete objects
// that pass the wire schemas, so the same cases can go through the CLI unchanged. The expected
// prices live in the tests, computed by hand from the price lists, never from the engine.
import type { Test } from 'tap'
import { type Catalog, defaultCatalog, operatorRegistrySeed } from '../../src/catalog/index.js'
import { rateCdr } from '../../src/rating/engine/rate-cdr.js'
import type { RatedCdr, RatingResult } from '../../src/rating/engine/rating.types.js'
import { readRatingCase, type RatingJson, toRatingJson } from '../../src/rating/rating.convert.js'

export type PowerType = 'AC_1_PHASE' | 'AC_3_PHASE' | 'DC'

export interface CdrSpec {
  id?: string
  /** CPO party [country_code, party_id]; defaults to an operator no registry knows. */
  party?: [string, string]
  /** ISO alpha-3 of cdr_location.country. */
  country: string
  start: string
  end: string
  kwh: number
  power?: PowerType
  currency?: string
  totalExcl?: number
  /** null leaves incl_vat out. */
  totalIncl?: number | null
  fixed?: { excl_vat: number; incl_vat?: number }
  credit?: { referenceId: string }
  locationId?: string
}

export const ocpiCdr = (spec: CdrSpec): Record<string, unknown> => {
  const [countryCode, partyId] = spec.party ?? ['XX', 'ZZZ']
  const hours = (Date.parse(spec.end) - Date.parse(spec.start)) / 3_600_000
  const incl = spec.totalIncl === undefined ? 10 : spec.totalIncl
  return {
    country_code: countryCode,
    party_id: partyId,
    id: spec.id ?? 'CDR-1',
    start_date_time: spec.start,
    end_date_time: spec.end,
    cdr_token: { country_code: 'DE', party_id: 'BMW', uid: '0123456789', type: 'RFID', contract_id: 'DE-BMW-C12345678-X' },
    auth_method: 'WHITELIST',
    cdr_location: {
      id: spec.locationId ?? 'LOC-1',
      address: 'Main street 1',
      city: 'Somewhere',
      country: spec.country,
      coordinates: { latitude: '48.137154', longitude: '11.576124' },
      evse_uid: 'EVSE-1',
      evse_id: 'XX*ZZZ*E1',
      connector_id: '1',
      connector_standard: spec.power === 'DC' ? 'IEC_62196_T2_COMBO' : 'IEC_62196_T2',
      connector_format: spec.power === 'DC' ? 'CABLE' : 'SOCKET',
      connector_power_type: spec.power ?? 'AC_3_PHASE',
    },
    currency: spec.currency ?? 'EUR',
    charging_periods: [{ start_date_time: spec.start, dimensions: [{ type: 'ENERGY', volume: spec.kwh }] }],
    total_cost: { excl_vat: spec.totalExcl ?? (incl === null ? 8 : incl), ...(incl === null ? {} : { incl_vat: incl }) },
    ...(spec.fixed ? { total_fixed_cost: spec.fixed } : {}),
    total_energy: spec.kwh,
    total_time: Number(hours.toFixed(4)),
    ...(spec.credit ? { credit: true, credit_reference_id: spec.credit.referenceId } : {}),
    last_updated: spec.end,
  }
}

export interface LocationSpec {
  id?: string
  country: string
  timeZone: string
  operatorName?: string
  power?: PowerType
  /** Connector max_electric_power in W. */
  maxPowerW?: number
}

export const ocpiLocation = (spec: LocationSpec): Record<string, unknown> => ({
  country_code: 'XX',
  party_id: 'ZZZ',
  id: spec.id ?? 'LOC-1',
  publish: true,
  address: 'Main street 1',
  city: 'Somewhere',
  country: spec.country,
  coordinates: { latitude: '48.137154', longitude: '11.576124' },
  evses: [
    {
      uid: 'EVSE-1',
      status: 'AVAILABLE',
      connectors: [
        {
          id: '1',
          standard: spec.power === 'DC' ? 'IEC_62196_T2_COMBO' : 'IEC_62196_T2',
          format: spec.power === 'DC' ? 'CABLE' : 'SOCKET',
          power_type: spec.power ?? 'AC_3_PHASE',
          max_voltage: spec.power === 'DC' ? 920 : 230,
          max_amperage: spec.power === 'DC' ? 500 : 32,
          ...(spec.maxPowerW !== undefined ? { max_electric_power: spec.maxPowerW } : {}),
          last_updated: '2025-01-01T00:00:00Z',
        },
      ],
      last_updated: '2025-01-01T00:00:00Z',
    },
  ],
  ...(spec.operatorName ? { operator: { name: spec.operatorName } } : {}),
  time_zone: spec.timeZone,
  last_updated: '2025-01-01T00:00:00Z',
})

/** Parses a case like the CLI does and rates it with the real catalog and operator seed. */
export const rateCase = (kase: Record<string, unknown>, catalog: Catalog = defaultCatalog): RatingResult => {
  const parsed = readRatingCase(kase)
  if (!parsed.ok) throw new Error(`test case does not parse: ${parsed.error.field}: ${parsed.error.message}`)
  const shared = { contract: parsed.value.contract, location: parsed.value.location, catalog, operators: operatorRegistrySeed }
  let original: RatedCdr | undefined
  if (parsed.value.originalCdr) {
    const rated = rateCdr({ ...shared, cdr: parsed.value.originalCdr })
    if (!rated.ok) return rated
    original = rated
  }
  return rateCdr({ ...shared, cdr: parsed.value.cdr, ...(original ? { original } : {}) })
}

/** The CLI's JSON for a case; fails loudly when the case is not rated. */
export const rateToJson = (kase: Record<string, unknown>, catalog?: Catalog): RatingJson => {
  const result = rateCase(kase, catalog)
  if (!result.ok) throw new Error(`not rated: ${result.code}: ${result.message}`)
  return toRatingJson(result)
}

export type Contract = { home_market: 'DE' | 'SI' | 'EE'; tariff: 'ACTIVE' | 'FLEX'; packages?: readonly 'IONITY_PLUS'[] }

export interface TableCase {
  name: string
  contract: Contract
  cdr: CdrSpec
  location?: LocationSpec
  rule: string
  currency: string
  total: string
  /** [kind, quantity, amount] of every line, in order; computed by hand from the price list. */
  lines: [string, string, string][]
}

/** Rates a table case and compares rule, currency, total and every line with the hand-computed values. */
export const checkTableCase = (t: Test, c: TableCase): void => {
  const json = rateToJson({
    contract: c.contract,
    cdr: ocpiCdr(c.cdr),
    ...(c.location ? { location: ocpiLocation(c.location) } : {}),
  })
  t.equal(json.rule, c.rule, 'rule')
  t.equal(json.currency, c.currency, 'currency')
  t.equal(json.total, c.total, 'total')
  t.same(
    json.lines.map((line) => [line.kind, line.quantity, line.amount]),
    c.lines,
    'lines',
  )
}
