// The one Decimal constructor of the rating engine.
// decimal.js ships CommonJS-style typings: under NodeNext its default import is typed as the module
// namespace, while at runtime (decimal.mjs) it is the class. Resolving it once here keeps every
// other file on the plain `Decimal` name, correctly typed.
import * as decimalModule from 'decimal.js'

type DecimalClass = typeof decimalModule.Decimal
const loaded = decimalModule as unknown as { default?: DecimalClass; Decimal?: DecimalClass }

// A private clone, so no other code in the process can change our precision or rounding mode;
// 40 significant digits are far beyond any price × quantity here.
export const Decimal: DecimalClass = (loaded.Decimal ?? loaded.default ?? (decimalModule as unknown as DecimalClass)).clone({
  precision: 40,
  rounding: 4, // ROUND_HALF_UP: halves away from zero, also for negative amounts
})
export type Decimal = decimalModule.Decimal
