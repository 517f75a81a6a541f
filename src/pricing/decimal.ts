import DecimalModule from 'decimal.js'
import type { Decimal as DecimalClass } from 'decimal.js'

/**
 * decimal.js ships a CommonJS-style .d.ts for an ESM build that has only a default export: under
 * NodeNext TypeScript types the default import as the module object, while at run time it is the
 * class. Re-typing it once here keeps that quirk out of every other file.
 */
const Decimal = DecimalModule as unknown as typeof DecimalClass

/**
 * The one decimal constructor of the pricing core. A private clone so that nothing else in the
 * process can change our precision or rounding mode. 40 significant digits keep every sum,
 * product and the single division by 3600 (seconds → hours) far beyond the 4 decimals we emit.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP })
export type Dec = DecimalClass

/**
 * The Decimal of a JSON number: its shortest decimal text, exactly `new Dec(String(n))` (the house
 * rule for OCPI numbers), without building and re-checking the string (decimal.js reads a number
 * through the same text, and small integers directly). The one difference, a negative zero, is
 * read as 0 as the string form does. Used per charging period of every CDR read.
 */
export const decOfNumber = (n: number): Dec => new Dec(n === 0 ? 0 : n)

export const ZERO = new Dec(0)
export const ONE = new Dec(1)
export const HUNDRED = new Dec(100)
export const SECONDS_PER_HOUR = new Dec(3600)
export const WH_PER_KWH = new Dec(1000)

/**
 * THE rounding policy of the pricing core, in one place: OCPI numbers carry 4 decimals, so every
 * amount and volume we emit is rounded to 4 decimals, half away from zero (ROUND_HALF_UP in
 * decimal.js rounds halves away from zero for negative numbers too). Nothing is rounded before
 * this edge: all intermediate values are exact (or 40 significant digits for a /3600).
 */
export function toOcpiNumber(value: DecimalClass): string {
  return value.toFixed(4, Decimal.ROUND_HALF_UP)
}
