// Conversion of sessions rated in another currency (CZK, DKK, …) into the invoice currency with
// the effective-dated rates operators maintain. A rate is "units of the foreign currency per 1 unit
// of the invoice currency" (as central banks publish them: 1 EUR = 24.35 CZK).
import { type Decimal, toCents } from './money.js'

export interface ExchangeRate {
  base: string
  quote: string
  /** First day the rate applies (inclusive). */
  validFrom: string
  /** Units of `quote` for one unit of `base`. */
  rate: Decimal
}

/** The rate in force on `day`: the latest `validFrom` on or before it. */
export const rateOn = (rates: readonly ExchangeRate[], base: string, quote: string, day: string): ExchangeRate | undefined => {
  let best: ExchangeRate | undefined
  for (const r of rates) if (r.base === base && r.quote === quote && r.validFrom <= day && (!best || r.validFrom > best.validFrom)) best = r
  return best
}

export type Conversion = { ok: true; amount: Decimal; rate: ExchangeRate } | { ok: false; reason: 'no_rate'; quote: string; day: string }

/** Converts `amount` in `quote` to `base`, rounded to cents; `no_rate` when no rate covers the day. */
export const convert = (rates: readonly ExchangeRate[], amount: Decimal, quote: string, base: string, day: string): Conversion => {
  const rate = rateOn(rates, base, quote, day)
  if (!rate) return { ok: false, reason: 'no_rate', quote, day }
  return { ok: true, amount: toCents(amount.div(rate.rate)), rate }
}
