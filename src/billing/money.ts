// The one Decimal constructor and the one rounding rule of billing.
// Amounts stay exact until they become an invoice line; there (and only there) they are rounded
// to cents, half away from zero (ROUND_HALF_UP), which is how the price lists print their prices.
// The pricing core's Decimal: the same decimal.js configuration as rating's (precision 40, ROUND_HALF_UP),
// and every clone shares one prototype, so `instanceof` holds for the amounts rating hands over.
import { Dec as Decimal } from '../pricing/index.js'

export { Decimal }

/** Rounds to the currency's minor unit (every currency billed here has 2 decimals). */
export const toCents = (d: Decimal): Decimal => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)

export const sum = (values: readonly Decimal[]): Decimal => values.reduce((a, b) => a.plus(b), new Decimal(0))

/** A numeric column (string) or a JSON number from OCPI as a Decimal. */
export const dec = (v: string | number | Decimal): Decimal => (v instanceof Decimal ? v : new Decimal(String(v)))

/** `12.30`: the text form stored in numeric columns and shown on the PDF. */
export const fixed2 = (d: Decimal): string => d.toFixed(2)
