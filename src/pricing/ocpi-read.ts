import { Dec } from './decimal.js'

/**
 * Small readers for OCPI-shaped plain objects. They throw InputProblem, which never leaves the
 * input adapter: `readOcpi` turns it into a typed error naming the field. (Throwing here keeps
 * every reader one line instead of a Result check per field.)
 */
export class InputProblem extends Error {
  constructor(readonly field: string, message: string) {
    super(message)
  }
}

export type Obj = Record<string, unknown>

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`

export function asObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputProblem(path, 'must be an object')
  return value as Obj
}

export function optObject(obj: Obj, key: string, path: string): Obj | undefined {
  const value = obj[key]
  return value === undefined || value === null ? undefined : asObject(value, join(path, key))
}

export function array(obj: Obj, key: string, path: string, required = true): unknown[] {
  const value = obj[key]
  if ((value === undefined || value === null) && !required) return []
  if (!Array.isArray(value)) throw new InputProblem(join(path, key), 'must be an array')
  return value
}

export function optString(obj: Obj, key: string, path: string): string | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new InputProblem(join(path, key), 'must be a string')
  return value
}

export function string(obj: Obj, key: string, path: string): string {
  const value = optString(obj, key, path)
  if (value === undefined || value === '') throw new InputProblem(join(path, key), 'is required')
  return value
}

/** OCPI numbers are JSON numbers; parse through their decimal text, never through float math. */
export function optDecimal(obj: Obj, key: string, path: string): Dec | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputProblem(join(path, key), 'must be a number')
  return new Dec(String(value))
}

export function decimal(obj: Obj, key: string, path: string): Dec {
  const value = optDecimal(obj, key, path)
  if (value === undefined) throw new InputProblem(join(path, key), 'is required')
  return value
}

export function optInteger(obj: Obj, key: string, path: string, min = 0): number | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InputProblem(join(path, key), `must be an integer ≥ ${min}`)
  }
  return value
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/

/** OCPI DateTime: UTC, the `Z` may be missing (the spec's own examples vary). */
export function optDateTime(obj: Obj, key: string, path: string): number | undefined {
  const text = optString(obj, key, path)
  if (text === undefined) return undefined
  const match = DATE_TIME.exec(text)
  const ms = match ? Date.parse(match[2] ? text : `${text}Z`) : NaN
  if (Number.isNaN(ms)) throw new InputProblem(join(path, key), `"${text}" is not an OCPI DateTime`)
  return ms
}

export function dateTime(obj: Obj, key: string, path: string): number {
  const ms = optDateTime(obj, key, path)
  if (ms === undefined) throw new InputProblem(join(path, key), 'is required')
  return ms
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputProblem(field, `"${value}" is not one of ${allowed.join(', ')}`)
  return value as T
}
