// The invoice currency of each home market (the issue: "EUR for DE, SI, EE"). The EE catalog has
// no domestic fixed-price row to read it from, so it is stated here once.
import type { HomeMarket } from '../customers/index.js'

export const INVOICE_CURRENCY: Readonly<Record<HomeMarket, string>> = { DE: 'EUR', SI: 'EUR', EE: 'EUR' }
