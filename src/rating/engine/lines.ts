// Building result lines. Rounding happens here and only here: each line amount is rounded half-up
// (away from zero) to 2 decimals; a total is always the sum of its rounded lines.
import { Decimal } from './decimal.js'
import type { LineKind, RatingLine } from './rating.types.js'

export const ZERO = new Decimal(0)
export const ONE = new Decimal(1)

export const roundAmount = (value: Decimal): Decimal => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)

export const makeLine = (kind: LineKind, quantity: Decimal, unit: string, unitPrice: Decimal, text: string): RatingLine => ({
  kind,
  quantity,
  unit,
  unitPrice,
  amount: roundAmount(quantity.times(unitPrice)),
  text,
})

export const sumLines = (lines: readonly RatingLine[]): Decimal => lines.reduce((sum, line) => sum.plus(line.amount), ZERO)

/** "12.34 EUR" for support texts. */
export const money = (amount: Decimal, currency: string): string => `${amount.toFixed(2)} ${currency}`

/** A catalog price as printed for a customer: at least 2 decimals ("2" → "2.00", "0.055" stays). */
export const priceText = (price: Decimal): string => price.toFixed(Math.max(2, price.decimalPlaces()))
