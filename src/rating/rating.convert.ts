// OCPI-shaped input (snake_case JSON) → rating domain input, and rating result → output JSON.
// Parsing may fail and returns a typed error naming the field; the `to…` direction is total.
import type { HomeMarket, TariffName } from './catalog/catalog.types.js'
import { alpha2FromAlpha3 } from './engine/countries.js'
import type { Decimal } from './engine/decimal.js'
import { isKnownTimeZone } from './engine/local-time.js'
import type { Contract, ContractPackage, PowerType, Price, RatedCdr, RatingCdr, RatingLocation } from './engine/rating.types.js'
import {
  InvalidRatingInput,
  type JsonObject,
  readDateTime,
  readDecimal,
  readEnum,
  readObject,
  readOptionalBoolean,
  readOptionalNumber,
  readOptionalObject,
  readOptionalString,
  readString,
} from './json-reader.js'

/** The fields of an OCPI 2.2.1 CDR the rating reads (structural; the full CDR fits). */
export interface OcpiCdrLike {
  country_code: string
  party_id: string
  id: string
  start_date_time: string
  end_date_time: string
  currency: string
  cdr_location: { id: string; country: string; evse_uid: string; connector_id: string; connector_power_type: string }
  total_cost: { excl_vat: number; incl_vat?: number }
  total_fixed_cost?: { excl_vat: number; incl_vat?: number }
  total_energy: number
  credit?: boolean
  credit_reference_id?: string
}

/** The fields of an OCPI 2.2.1 Location the rating reads. */
export interface OcpiLocationLike {
  id: string
  time_zone: string
  operator?: { name: string }
  evses?: { uid: string; connectors: { id: string; power_type: string; max_voltage: number; max_amperage: number; max_electric_power?: number }[] }[]
}

export interface RatingCaseJson {
  contract: { home_market: HomeMarket; tariff: TariffName; packages?: ContractPackage[] }
  cdr: OcpiCdrLike
  location?: OcpiLocationLike
  /** For a credit CDR: the CDR it credits, rated first and then reversed. */
  original_cdr?: OcpiCdrLike
}

export interface RatingCase {
  readonly contract: Contract
  readonly cdr: RatingCdr
  readonly location?: RatingLocation
  readonly originalCdr?: RatingCdr
}

export interface RatingInputError {
  readonly code: 'invalid_rating_input'
  readonly field: string
  readonly message: string
}

export type ConvertResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RatingInputError }

const POWER_TYPES: readonly PowerType[] = ['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']

const readPrice = (obj: JsonObject, field: string): Price => {
  const inclVat = obj.incl_vat === undefined || obj.incl_vat === null ? undefined : readDecimal(obj, 'incl_vat', field)
  return { exclVat: readDecimal(obj, 'excl_vat', field), ...(inclVat ? { inclVat } : {}) }
}

const readContract = (raw: unknown): Contract => {
  const obj = readObject(raw, 'contract')
  const packages = obj.packages ?? []
  if (!Array.isArray(packages)) throw new InvalidRatingInput('contract.packages', 'must be an array')
  packages.forEach((pkg, i) => {
    if (pkg !== 'IONITY_PLUS') throw new InvalidRatingInput(`contract.packages[${i}]`, `"${String(pkg)}" is not IONITY_PLUS`)
  })
  return {
    homeMarket: readEnum(obj, 'home_market', 'contract', ['DE', 'SI', 'EE'] as const),
    tariff: readEnum(obj, 'tariff', 'contract', ['ACTIVE', 'FLEX'] as const),
    packages: packages as ContractPackage[],
  }
}

const readCdr = (raw: unknown, field: string): RatingCdr => {
  const obj = readObject(raw, field)
  const location = readObject(obj.cdr_location, `${field}.cdr_location`)
  const startMs = readDateTime(obj, 'start_date_time', field)
  const endMs = readDateTime(obj, 'end_date_time', field)
  if (endMs < startMs) throw new InvalidRatingInput(`${field}.end_date_time`, 'is before start_date_time')
  const countryAlpha3 = readString(location, 'country', `${field}.cdr_location`, /^[A-Za-z]{3}$/).toUpperCase()
  const credit = readOptionalBoolean(obj, 'credit', field) ?? false
  const creditReferenceId = readOptionalString(obj, 'credit_reference_id', field)
  if (credit && creditReferenceId === undefined) {
    throw new InvalidRatingInput(`${field}.credit_reference_id`, 'is required when credit is true')
  }
  const fixed = readOptionalObject(obj.total_fixed_cost, `${field}.total_fixed_cost`)
  const country = alpha2FromAlpha3(countryAlpha3)
  return {
    id: readString(obj, 'id', field),
    cpoCountryCode: readString(obj, 'country_code', field, /^[A-Za-z]{2}$/).toUpperCase(),
    cpoPartyId: readString(obj, 'party_id', field, /^[A-Za-z0-9]{3}$/).toUpperCase(),
    startMs,
    endMs,
    currency: readString(obj, 'currency', field, /^[A-Z]{3}$/),
    totalCost: readPrice(readObject(obj.total_cost, `${field}.total_cost`), `${field}.total_cost`),
    ...(fixed ? { totalFixedCost: readPrice(fixed, `${field}.total_fixed_cost`) } : {}),
    totalEnergyKwh: readDecimal(obj, 'total_energy', field),
    countryAlpha3,
    ...(country ? { country } : {}),
    powerType: readEnum(location, 'connector_power_type', `${field}.cdr_location`, POWER_TYPES),
    credit,
    ...(creditReferenceId !== undefined ? { creditReferenceId } : {}),
  }
}

const sameId = (a: unknown, b: string): boolean => typeof a === 'string' && a.toUpperCase() === b.toUpperCase()

/** Max power of the connector the CDR used: `max_electric_power`, else voltage × amperage (OCPI: set only when lower). */
const objectsIn = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : []

const connectorMaxPowerW = (location: JsonObject, cdrLocation: JsonObject): number | undefined => {
  const evse = objectsIn(location.evses).find((e) => sameId(e.uid, String(cdrLocation.evse_uid)))
  const connector = objectsIn(evse?.connectors).find((c) => sameId(c.id, String(cdrLocation.connector_id)))
  if (!connector) return undefined
  const field = 'location.evses[].connectors[]'
  const explicit = readOptionalNumber(connector, 'max_electric_power', field)
  if (explicit !== undefined) return explicit
  const volts = readOptionalNumber(connector, 'max_voltage', field)
  const amps = readOptionalNumber(connector, 'max_amperage', field)
  return volts !== undefined && amps !== undefined ? volts * amps : undefined
}

const readLocation = (raw: unknown, cdrRaw: JsonObject): RatingLocation | undefined => {
  const obj = readOptionalObject(raw, 'location')
  if (!obj) return undefined
  const cdrLocation = readObject(cdrRaw.cdr_location, 'cdr.cdr_location')
  if (!sameId(obj.id, String(cdrLocation.id))) {
    throw new InvalidRatingInput('location.id', `"${String(obj.id)}" is not the CDR's location "${String(cdrLocation.id)}"`)
  }
  const timeZone = readString(obj, 'time_zone', 'location')
  if (!isKnownTimeZone(timeZone)) throw new InvalidRatingInput('location.time_zone', `"${timeZone}" is not a known IANA time zone`)
  const operator = readOptionalObject(obj.operator, 'location.operator')
  const operatorName = operator ? readString(operator, 'name', 'location.operator') : undefined
  const maxPower = connectorMaxPowerW(obj, cdrLocation)
  return {
    timeZone,
    ...(operatorName !== undefined ? { operatorName } : {}),
    ...(maxPower !== undefined ? { connectorMaxPowerW: maxPower } : {}),
  }
}

const guard = <T>(parse: () => T): ConvertResult<T> => {
  try {
    return { ok: true, value: parse() }
  } catch (error) {
    if (!(error instanceof InvalidRatingInput)) throw error
    return { ok: false, error: { code: 'invalid_rating_input', field: error.field, message: error.message } }
  }
}

/** Parses a rating case (`contract`, OCPI `cdr`, optional OCPI `location` and `original_cdr`). */
export const fromOcpiRatingCase = (raw: RatingCaseJson | unknown): ConvertResult<RatingCase> =>
  guard(() => {
    const obj = readObject(raw, 'case')
    const cdr = readCdr(obj.cdr, 'cdr')
    const location = readLocation(obj.location, obj.cdr as JsonObject)
    const originalCdr = obj.original_cdr === undefined ? undefined : readCdr(obj.original_cdr, 'original_cdr')
    return {
      contract: readContract(obj.contract),
      cdr,
      ...(location ? { location } : {}),
      ...(originalCdr ? { originalCdr } : {}),
    }
  })

/** One OCPI CDR alone, e.g. for a service that has the contract and Location from storage. */
export const fromOcpiCdr = (raw: OcpiCdrLike | unknown): ConvertResult<RatingCdr> => guard(() => readCdr(raw, 'cdr'))

export interface RatingLineJson {
  kind: string
  quantity: string
  unit: string
  unit_price: string
  amount: string
  text: string
}

export interface RatingJson {
  currency: string
  total: string
  rule: string
  lines: RatingLineJson[]
}

// Decimal strings without exponent; unit prices keep at least 2 decimals, amounts exactly 2.
const plain = (value: Decimal): string => value.toFixed()
const atLeast2 = (value: Decimal): string => value.toFixed(Math.max(2, value.decimalPlaces()))

export const toRatingJson = (rated: RatedCdr): RatingJson => ({
  currency: rated.currency,
  total: rated.total.toFixed(2),
  rule: rated.rule,
  lines: rated.lines.map((line) => ({
    kind: line.kind,
    quantity: plain(line.quantity),
    unit: line.unit,
    unit_price: atLeast2(line.unitPrice),
    amount: line.amount.toFixed(2),
    text: line.text,
  })),
})
