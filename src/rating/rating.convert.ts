// The rating's view of the one typed CDR (src/pricing/cdr.ts) and of a stored Location, the rating
// case of `npm run rate` read with the CDR intake's own readers, and the rating result as JSON.
// Nothing here parses OCPI JSON by hand: the OCPI adapter reads it once, at the edge.
import { z } from 'zod'
import { CDR_INTAKE, CdrIntakeObject, fromOcpiCdr, resolveCdr, type CdrIntake } from '../ocpi/cdrs/index.js'
import { LocationSchema, readLocationsBody, type Location } from '../ocpi/locations/index.js'
import { describeZodIssues, pathText, readTolerant, type Issue } from '../ocpi/wire.js'
import { alpha2FromAlpha3, type ChargeDetailRecord } from '../pricing/index.js'
import type { Decimal } from './engine/decimal.js'
import { isKnownTimeZone } from './engine/local-time.js'
import type { Contract, RatedCdr, RatingCdr, RatingLocation } from './engine/rating.types.js'

export interface RatingInputError {
  readonly code: 'invalid_rating_input' | 'missing_charging_country' | 'missing_power_type' | 'unknown_time_zone'
  readonly field: string
  readonly message: string
}

export type ConvertResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RatingInputError }

const failure = (code: RatingInputError['code'], field: string, message: string) => ({
  ok: false as const,
  error: { code, field, message },
})

/**
 * What the engine reads of a CDR. Fails, naming the field, when the CDR (completed from the stored
 * Location) still has no charging country or no connector power type: the CDR is then held as
 * unrated until the Location arrives, and a bulk re-rate brings it back.
 */
export const ratingCdrOf = (cdr: ChargeDetailRecord): ConvertResult<RatingCdr> => {
  const alpha3 = cdr.location.country
  if (alpha3 === null)
    return failure(
      'missing_charging_country',
      'cdr.cdr_location.country',
      `CDR ${cdr.id} names no charging country and its Location ${cdr.location.id} is not held`,
    )
  const powerType = cdr.location.powerType
  if (powerType === null)
    return failure(
      'missing_power_type',
      'cdr.cdr_location.connector_power_type',
      `CDR ${cdr.id} names no connector power type and its Location ${cdr.location.id} does not describe the connector`,
    )
  const country = alpha2FromAlpha3(alpha3)
  const price = (p: { exclVat: Decimal; inclVat: Decimal | null }) => ({
    exclVat: p.exclVat,
    ...(p.inclVat === null ? {} : { inclVat: p.inclVat }),
  })
  return {
    ok: true,
    value: {
      id: cdr.id,
      cpoCountryCode: cdr.countryCode.toUpperCase(),
      cpoPartyId: cdr.partyId.toUpperCase(),
      startMs: cdr.startMs,
      endMs: cdr.endMs,
      currency: cdr.currency,
      totalCost: price(cdr.totalCost),
      ...(cdr.totalFixedCost ? { totalFixedCost: price(cdr.totalFixedCost) } : {}),
      totalEnergyKwh: cdr.totalEnergyKwh,
      countryAlpha3: alpha3,
      ...(country ? { country } : {}),
      powerType,
      credit: cdr.credit,
      ...(cdr.creditReferenceId !== null ? { creditReferenceId: cdr.creditReferenceId } : {}),
    },
  }
}

const same = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && a.toUpperCase() === b.toUpperCase()

/** Max power of a connector in W: `max_electric_power`, else voltage × amperage (OCPI sets the former only when lower). */
export const connectorMaxPowerW = (location: Location, evseUid: string | null, connectorId: string | null): number | undefined => {
  const connector = location.evses?.find((e) => same(e.uid, evseUid))?.connectors.find((c) => same(c.id, connectorId))
  if (!connector) return undefined
  return connector.max_electric_power ?? connector.max_voltage * connector.max_amperage
}

/** What the engine reads of the CPO's Location: its zone, operator and the connector's power. */
export const ratingLocationOf = (
  location: Location,
  at: { evseUid: string | null; connectorId: string | null },
): ConvertResult<RatingLocation> => {
  if (!isKnownTimeZone(location.time_zone))
    return failure('unknown_time_zone', 'location.time_zone', `"${location.time_zone}" is not a known IANA time zone`)
  const maxPower = connectorMaxPowerW(location, at.evseUid, at.connectorId)
  const operatorName = location.operator?.name
  return {
    ok: true,
    value: {
      timeZone: location.time_zone,
      ...(operatorName !== undefined ? { operatorName } : {}),
      ...(maxPower !== undefined ? { connectorMaxPowerW: maxPower } : {}),
    },
  }
}

// ---- The case file of `npm run rate` ----

export const RatingContractSchema = z.object({
  home_market: z.enum(['DE', 'SI', 'EE']),
  tariff: z.enum(['ACTIVE', 'FLEX']),
  packages: z.array(z.literal('IONITY_PLUS')).nullish(),
})

export interface RatingCase {
  readonly contract: Contract
  readonly cdr: RatingCdr
  readonly location?: RatingLocation
  readonly originalCdr?: RatingCdr
}

const inputError = (prefix: string, issues: readonly Issue[]) =>
  failure(
    'invalid_rating_input',
    `${prefix}${issues[0] ? pathText(issues[0].path as (string | number)[]) : ''}`,
    describeZodIssues(issues).replace(/^/gm, prefix),
  )

/**
 * The CDR of a rating case: as a CPO sends it, or partial with only what rating needs (times,
 * currency, total_cost, and the location's country and power type unless the case's Location has them).
 */
const RatingCaseCdrSchema = CdrIntakeObject.partial()
  .extend({
    start_date_time: CdrIntakeObject.shape.start_date_time,
    end_date_time: CdrIntakeObject.shape.end_date_time,
    currency: CdrIntakeObject.shape.currency,
    total_cost: CdrIntakeObject.shape.total_cost,
    cdr_location: CdrIntakeObject.shape.cdr_location.partial().nullish(),
  })
  .refine((c) => c.credit !== true || c.credit_reference_id != null, {
    error: 'required when credit is true',
    path: ['credit_reference_id'],
  })

/** A CDR of the case, read as the intake reads it and completed from the case's Location. */
const caseCdr = (raw: unknown, field: string, location: Location | undefined): ConvertResult<ChargeDetailRecord> => {
  const read = readTolerant(RatingCaseCdrSchema, raw, CDR_INTAKE)
  if (!read.ok) return inputError(`${field}.`, read.issues)
  const c = read.value
  // What rating does not read gets a placeholder, so the CDR has the one typed form.
  const cdr: CdrIntake = {
    ...c,
    country_code: c.country_code ?? 'XX',
    party_id: c.party_id ?? 'ZZZ',
    id: c.id ?? 'CASE',
    cdr_token: c.cdr_token ?? { uid: 'CASE', type: 'OTHER', contract_id: 'CASE' },
    cdr_location: { ...c.cdr_location, id: c.cdr_location?.id ?? location?.id ?? 'CASE' },
  }
  const resolved = resolveCdr(cdr, { receiver: { countryCode: 'XX', partyId: 'ZZZ' }, location, receivedAt: new Date(0) })
  return { ok: true, value: fromOcpiCdr(resolved.cdr) }
}

/**
 * Reads a rating case: `contract`, an OCPI `cdr` (as a CPO sends it: the intake's tolerance applies),
 * optionally the OCPI `location` and, for a credit, the `original_cdr`.
 */
export const readRatingCase = (raw: unknown): ConvertResult<RatingCase> => {
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return failure('invalid_rating_input', 'case', 'must be an object')
  const contract = RatingContractSchema.safeParse(obj.contract)
  if (!contract.success) return inputError('contract.', contract.error.issues)
  let location: Location | undefined
  if (obj.location != null) {
    const read = readLocationsBody(LocationSchema, obj.location)
    if (!read.ok) return inputError('location.', read.issues)
    location = read.value
  }
  const cdr = caseCdr(obj.cdr, 'cdr', location)
  if (!cdr.ok) return cdr
  if (location && !same(location.id, cdr.value.location.id))
    return failure('invalid_rating_input', 'location.id', `"${location.id}" is not the CDR's location "${cdr.value.location.id}"`)
  const rating = ratingCdrOf(cdr.value)
  if (!rating.ok) return rating
  const ratingLocation = location ? ratingLocationOf(location, cdr.value.location) : undefined
  if (ratingLocation && !ratingLocation.ok) return ratingLocation
  let originalCdr: RatingCdr | undefined
  if (obj.original_cdr !== undefined) {
    const original = caseCdr(obj.original_cdr, 'original_cdr', location)
    if (!original.ok) return original
    const projected = ratingCdrOf(original.value)
    if (!projected.ok) return projected
    originalCdr = projected.value
  }
  const c = contract.data
  return {
    ok: true,
    value: {
      contract: { homeMarket: c.home_market, tariff: c.tariff, packages: c.packages ?? [] },
      cdr: rating.value,
      ...(ratingLocation ? { location: ratingLocation.value } : {}),
      ...(originalCdr ? { originalCdr } : {}),
    },
  }
}

// ---- Output ----

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
