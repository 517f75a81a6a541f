// Small readers for untyped JSON that name the offending field in their error. Used by
// rating.convert.ts only; they throw InvalidRatingInput, which the converter turns into a result.
import { Decimal } from './engine/decimal.js'

export class InvalidRatingInput extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

export type JsonObject = Record<string, unknown>

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value)

export const readObject = (value: unknown, field: string): JsonObject => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRatingInput(field, `must be an object, got ${describe(value)}`)
  }
  return value as JsonObject
}

export const readOptionalObject = (value: unknown, field: string): JsonObject | undefined =>
  value === undefined || value === null ? undefined : readObject(value, field)

export const readString = (obj: JsonObject, key: string, field: string, pattern?: RegExp): string => {
  const value = obj[key]
  if (typeof value !== 'string') throw new InvalidRatingInput(`${field}.${key}`, `must be a string, got ${describe(value)}`)
  if (pattern && !pattern.test(value)) throw new InvalidRatingInput(`${field}.${key}`, `"${value}" does not match ${pattern}`)
  return value
}

export const readOptionalString = (obj: JsonObject, key: string, field: string): string | undefined =>
  obj[key] === undefined || obj[key] === null ? undefined : readString(obj, key, field)

export const readEnum = <T extends string>(obj: JsonObject, key: string, field: string, allowed: readonly T[]): T => {
  const value = readString(obj, key, field)
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidRatingInput(`${field}.${key}`, `"${value}" is not one of ${allowed.join(', ')}`)
  }
  return value as T
}

/** An OCPI JSON number as a Decimal, through its shortest decimal text (never float arithmetic). */
export const readDecimal = (obj: JsonObject, key: string, field: string): Decimal => {
  const value = obj[key]
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidRatingInput(`${field}.${key}`, `must be a number, got ${describe(value)}`)
  }
  return new Decimal(String(value))
}

export const readOptionalNumber = (obj: JsonObject, key: string, field: string): number | undefined => {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidRatingInput(`${field}.${key}`, `must be a number, got ${describe(value)}`)
  }
  return value
}

export const readOptionalBoolean = (obj: JsonObject, key: string, field: string): boolean | undefined => {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw new InvalidRatingInput(`${field}.${key}`, `must be a boolean, got ${describe(value)}`)
  return value
}

// OCPI DateTime: RFC 3339 in UTC, "Z" optional, fractional seconds allowed, no offsets.
const OCPI_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/

export const readDateTime = (obj: JsonObject, key: string, field: string): number => {
  const text = readString(obj, key, field)
  const ms = OCPI_DATE_TIME.test(text) ? Date.parse(text.endsWith('Z') ? text : `${text}Z`) : Number.NaN
  if (Number.isNaN(ms)) throw new InvalidRatingInput(`${field}.${key}`, `"${text}" is not an OCPI DateTime (UTC, e.g. 2025-01-31T12:00:00Z)`)
  return ms
}
