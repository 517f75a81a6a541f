// The tolerant reader of inbound OCPI objects ("strict in what we send, tolerant in what we accept").
// It is driven by the strict wire schema itself: a body the schema accepts costs one parse, exactly
// as before; a body it refuses is walked alongside the schema, every unambiguous deviation is
// repaired and named (kind, path, the value as received), and the repaired body is parsed again.
// What cannot be repaired without guessing is refused with the schema's own issues (2001 naming the
// field). The repairs, each one listed in src/ocpi/v221/README.md ("Tolerant intake"):
// - a number sent as a string ("4.40") becomes the number; a boolean sent as "true" the boolean
// - a string sent as a number (`connector_id: 1`) becomes its text
// - an enum value in another case ("ac_3_phase") or with `-`/space for `_` ("IEC-62196-T2") becomes
//   the spec's spelling
// - a single value where the spec has a list (`"parking_restrictions": "CUSTOMERS"`) becomes a list
// - a currency in lower case becomes upper case
// - a DateTime with an offset (+01:00, +0000), a lower-case t/z, a space for the T or no seconds
//   becomes the same instant in UTC (`YYYY-MM-DDTHH:MM:SS[.fff]Z`)
// - coordinates with fewer than 5 or more than 7 decimals (or sent as numbers) are re-scaled
// - unknown values in the enum lists the caller names (EVSE capabilities, facilities, parking
//   restrictions) are dropped, and so are list items whose `type` is such an enum (a CDR dimension
//   of a type the spec does not know, e.g. VOLTAGE)
// - strings over their length limit, when the caller allows it (CDR ids a few characters over),
//   are kept as sent up to `overLongUpTo` characters
import { z } from 'zod'
import { CurrencySchema, DateTimeSchema, GeoLocationSchema } from './common.schema.js'

export type DeviationKind =
  | 'number_as_string'
  | 'boolean_as_string'
  | 'string_as_number'
  | 'enum_case'
  | 'unknown_enum_dropped'
  | 'scalar_as_list'
  | 'currency_case'
  | 'datetime_offset'
  | 'datetime_format'
  | 'coordinates_rescaled'
  | 'too_long'
  // Resolved by a module from what we hold (see the modules' convert files):
  | 'token_party_resolved'
  | 'charging_periods_merged'
  | 'token_contract_resolved'
  | 'connector_resolved'
  | 'location_fields_resolved'
  | 'country_alpha2'
  | 'country_case'
  | 'country_resolved'
  | 'country_unresolved'
  | 'connector_unresolved'
  | 'start_end_swapped'
  | 'periods_from_totals'
  | 'totals_from_periods'
  | 'tariff_fields_from_cdr'
  | 'last_updated_missing'
  | 'missing_informational'
  | 'unknown_restriction'

/** One thing a partner sent that the spec does not allow, and that we read anyway. */
export interface Deviation {
  kind: DeviationKind
  /** Where, as in a 2001 message: `cdr_location.coordinates.latitude`, `evses[0].capabilities[2]`. */
  path: string
  /** The value as received, as text (shortened to 80 characters). */
  received?: string
}

export interface IntakeOptions {
  /** Enum schemas whose unknown values are dropped from lists (informational enums). */
  droppableEnums?: ReadonlySet<z.ZodType>
  /** Strings over their limit are kept as sent up to this length (0: refused). */
  overLongUpTo?: number
}

export type Issue = z.core.$ZodIssue
export type IntakeResult<T> = { ok: true; value: T; deviations: Deviation[] } | { ok: false; issues: Issue[] }

type Path = readonly (string | number)[]
interface Walk {
  deviations: Deviation[]
  opts: IntakeOptions
}

/** `['evses', 0, 'uid']` → `evses[0].uid`. */
export const pathText = (path: Path): string => {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`
  return out || '(root)'
}

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

export const deviation = (kind: DeviationKind, path: Path | string, received?: unknown): Deviation => ({
  kind,
  path: typeof path === 'string' ? path : pathText(path),
  ...(received === undefined ? {} : { received: shown(received) }),
})

const def = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def

const LATITUDE = GeoLocationSchema.shape.latitude as z.ZodType
const LONGITUDE = GeoLocationSchema.shape.longitude as z.ZodType
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/

// 2015-06-29T20:39:09Z, 2015-06-29 20:39, 2015-06-29t20:39:09.123+01:00, ...T20:39:09+0100
const LOOSE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/

/** A DateTime in any unambiguous RFC 3339 spelling, as the OCPI form of the same instant; undefined if none. */
export const normaliseDateTime = (value: string): { text: string; offset: boolean } | undefined => {
  const m = LOOSE_DATE_TIME.exec(value)
  if (!m) return undefined
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined
  const day = new Date(Date.UTC(y, mo - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined
  const zone = m[8]
  const offsetMin =
    !zone || /^[Zz]$/.test(zone)
      ? 0
      : Number(zone.slice(0, 3)) * 60 + Math.sign(Number(`${zone[0]}1`)) * Number(zone.slice(3).replace(':', '') || '0')
  const fraction = m[7] ?? ''
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000)
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 0 || at.getUTCFullYear() > 9999) return undefined
  const base = at.toISOString().slice(0, 19)
  return { text: `${base}${fraction}Z`, offset: zone !== undefined && !/^[Zz]$/.test(zone) }
}

/** "51.0476" → "51.04760", "51.047599123" → "51.0475991" (half away from zero), 51.04 → "51.04000". */
export const rescaleCoordinate = (value: string): string | undefined => {
  const m = /^\s*(-?)(\d{1,3})(?:\.(\d*))?\s*$/.exec(value)
  if (!m) return undefined
  const [, sign, whole, fraction = ''] = m as unknown as [string, string, string, string | undefined]
  if (fraction.length >= 5 && fraction.length <= 7) return `${sign}${whole}.${fraction}`
  if (fraction.length < 5) return `${sign}${whole}.${fraction.padEnd(5, '0')}`
  // round to 7 decimals on the digits, never through a binary float
  const digits = BigInt(`${whole}${fraction.slice(0, 7)}`) + (Number(fraction[7]) >= 5 ? 1n : 0n)
  const text = digits.toString().padStart(8, '0')
  return `${sign}${text.slice(0, -7)}.${text.slice(-7)}`
}

function repairString(schema: z.ZodType, value: unknown, path: Path, w: Walk): unknown {
  if (schema === LATITUDE || schema === LONGITUDE) {
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
    if (typeof text !== 'string' || schema.safeParse(text).success) return text
    const rescaled = rescaleCoordinate(text)
    if (rescaled === undefined) return value
    w.deviations.push(deviation('coordinates_rescaled', path, value))
    return rescaled
  }
  if (typeof value === 'number' && Number.isFinite(value) && schema !== DateTimeSchema) {
    w.deviations.push(deviation('string_as_number', path, value))
    return String(value)
  }
  if (typeof value !== 'string') return value
  if (schema === DateTimeSchema) {
    if (schema.safeParse(value).success) return value
    const normal = normaliseDateTime(value)
    if (!normal) return value
    w.deviations.push(deviation(normal.offset ? 'datetime_offset' : 'datetime_format', path, value))
    return normal.text
  }
  if (schema === CurrencySchema && /^[A-Za-z]{3}$/.test(value) && value !== value.toUpperCase()) {
    w.deviations.push(deviation('currency_case', path, value))
    return value.toUpperCase()
  }
  return value
}

const enumValues = (schema: z.ZodType): string[] => Object.values(def(schema).entries as Record<string, string>)

/** An enum spelling reduced to what carries its meaning: case, and `-` or a space for `_` (OCHP's `IEC-62196-T2`). */
const enumKey = (value: string) =>
  value
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, '_')

/** The enum value in the spec's spelling for a match in another case or with `-`/space for `_`, else undefined. */
const enumMatch = (schema: z.ZodType, value: string): string | undefined => {
  const key = enumKey(value)
  return enumValues(schema).find((v) => enumKey(v) === key)
}

function repairEnum(schema: z.ZodType, value: unknown, path: Path, w: Walk): unknown {
  if (typeof value !== 'string' || enumValues(schema).includes(value)) return value
  const match = enumMatch(schema, value)
  if (match === undefined) return value
  w.deviations.push(deviation('enum_case', path, value))
  return match
}

function repairNumber(value: unknown, path: Path, w: Walk): unknown {
  if (typeof value !== 'string' || !NUMERIC.test(value)) return value
  const n = Number(value)
  if (!Number.isFinite(n)) return value
  w.deviations.push(deviation('number_as_string', path, value))
  return n
}

function repairBoolean(value: unknown, path: Path, w: Walk): unknown {
  if (typeof value !== 'string' || !/^(true|false)$/i.test(value.trim())) return value
  w.deviations.push(deviation('boolean_as_string', path, value))
  return value.trim().toLowerCase() === 'true'
}

/** The schema under optional/nullable wrappers. */
const unwrapped = (schema: z.ZodType): z.ZodType => {
  let s = schema
  while (def(s).type === 'optional' || def(s).type === 'nullable') s = def(s).innerType as z.ZodType
  return s
}

/** The droppable enum an array item is judged by: the item itself, or an object item's `type`. */
const droppableEnumOf = (element: z.ZodType, w: Walk): { schema: z.ZodType; of: (item: unknown) => unknown } | undefined => {
  const inner = unwrapped(element)
  if (w.opts.droppableEnums?.has(inner)) return { schema: inner, of: (item) => item }
  const type = def(inner).type === 'object' ? (def(inner).shape as Record<string, z.ZodType>).type : undefined
  const typeSchema = type && unwrapped(type)
  if (typeSchema && w.opts.droppableEnums?.has(typeSchema))
    return { schema: typeSchema, of: (item) => (item as { type?: unknown } | null)?.type }
  return undefined
}

function repairArray(element: z.ZodType, value: unknown[], path: Path, w: Walk): unknown[] {
  const droppable = droppableEnumOf(element, w)
  const out: unknown[] = []
  value.forEach((item, i) => {
    const judged = droppable?.of(item)
    if (
      droppable &&
      typeof judged === 'string' &&
      !enumValues(droppable.schema).includes(judged) &&
      enumMatch(droppable.schema, judged) === undefined
    ) {
      w.deviations.push(deviation('unknown_enum_dropped', [...path, i], judged))
      return
    }
    out.push(repair(element, item, [...path, i], w))
  })
  return out
}

function repairObject(schema: z.ZodType, value: unknown, path: Path, w: Walk): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const d = def(schema)
  const shape = d.shape as Record<string, z.ZodType>
  const loose = d.catchall !== undefined
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    const field = shape[key]
    if (field) {
      if (source[key] !== undefined) out[key] = repair(field, source[key], [...path, key], w)
    } else if (loose) out[key] = source[key]
  }
  return out
}

function repair(schema: z.ZodType, value: unknown, path: Path, w: Walk): unknown {
  const d = def(schema)
  switch (d.type) {
    case 'optional':
    case 'nullable':
      return value === undefined || value === null ? value : repair(d.innerType as z.ZodType, value, path, w)
    case 'object':
      return repairObject(schema, value, path, w)
    case 'array':
      if (Array.isArray(value)) return repairArray(d.element as z.ZodType, value, path, w)
      if (value === undefined || value === null) return value
      // One value where the spec has a list (`"parking_restrictions": "CUSTOMERS"`, one tariff object): a list of it.
      w.deviations.push(deviation('scalar_as_list', path, value))
      return repairArray(d.element as z.ZodType, [value], path, w)
    case 'enum':
      return repairEnum(schema, value, path, w)
    case 'number':
      return repairNumber(value, path, w)
    case 'boolean':
      return repairBoolean(value, path, w)
    case 'string':
      return repairString(schema, value, path, w)
    default:
      return value
  }
}

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), root)

/**
 * Reads `raw` as `schema` describes it, tolerating the unambiguous deviations listed above; the
 * value has the schema's output shape (unknown fields stripped, as the strict parse does).
 */
export function readTolerant<S extends z.ZodType>(schema: S, raw: unknown, opts: IntakeOptions = {}): IntakeResult<z.output<S>> {
  const strict = schema.safeParse(raw)
  if (strict.success) return { ok: true, value: strict.data, deviations: [] }
  const w: Walk = { deviations: [], opts }
  const repaired = repair(schema, raw, [], w)
  const again = schema.safeParse(repaired)
  if (again.success) return { ok: true, value: again.data, deviations: w.deviations }
  const limit = opts.overLongUpTo ?? 0
  const tolerated = (i: Issue) =>
    i.code === 'too_big' &&
    i.origin === 'string' &&
    typeof valueAt(repaired, i.path) === 'string' &&
    (valueAt(repaired, i.path) as string).length <= limit
  const refused = again.error.issues.filter((i) => !tolerated(i))
  if (refused.length > 0) return { ok: false, issues: refused }
  // Only over-long strings remain: the walked value is the strict output (stripped, repaired).
  for (const i of again.error.issues) w.deviations.push(deviation('too_long', i.path as Path, valueAt(repaired, i.path)))
  return { ok: true, value: repaired as z.output<S>, deviations: w.deviations }
}

// ---- Handing the deviations on with the value they were read for ----

const deviationsByValue = new WeakMap<object, readonly Deviation[]>()

/** Remembers what was tolerated to read `value` (an object), for whoever stores it next. */
export const rememberDeviations = (value: unknown, deviations: readonly Deviation[]): void => {
  if (deviations.length > 0 && typeof value === 'object' && value !== null) deviationsByValue.set(value, deviations)
}

/** The deviations tolerated to read `value`; none when it was read strictly (or not by the intake). */
export const deviationsOf = (value: unknown): readonly Deviation[] =>
  (typeof value === 'object' && value !== null ? deviationsByValue.get(value) : undefined) ?? []

/** A body reader: the tolerant intake of one wire schema. */
export type BodyReader = (raw: unknown) => IntakeResult<unknown>

/**
 * A zod schema that reads like `reader` (for the pull engine, which validates each pulled object
 * with a schema): the value is the tolerantly read object, its deviations remembered with it.
 */
export const tolerantSchema = (reader: BodyReader) =>
  z.unknown().transform((raw, ctx) => {
    const read = reader(raw)
    if (!read.ok) {
      for (const issue of read.issues) ctx.issues.push({ ...issue, input: raw } as never)
      return z.NEVER
    }
    rememberDeviations(read.value, read.deviations)
    return read.value
  })
