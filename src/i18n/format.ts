import { intlTag, type Locale } from './locales.js'

// Amounts and quantities are formatted from their decimal text, never from a float: Intl on Node 20
// formats a numeric string at full precision (`'12345678901234567.125'` stays exact).

type DecimalLike = string | { toFixed(decimals: number): string }
const text = (value: DecimalLike, decimals: number) => (typeof value === 'string' ? value : value.toFixed(decimals))

const numberFormats = new Map<string, Intl.NumberFormat>()
const numberFormat = (locale: Locale, options: Intl.NumberFormatOptions) => {
  const key = `${locale}|${JSON.stringify(options)}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(intlTag(locale), options)
    numberFormats.set(key, format)
  }
  return format
}
// `format` accepts a decimal string at run time (ES2023 Intl.NumberFormat v3); lib.es2023 types only number | bigint.
const formatText = (format: Intl.NumberFormat, value: string) => format.format(value as unknown as number)

/** `1.234,50 €` (de), `€1,234.50` (en): an amount in its currency's minor units. */
export const formatMoney = (amount: DecimalLike, currency: string, locale: Locale): string => {
  const format = numberFormat(locale, { style: 'currency', currency })
  return formatText(format, text(amount, format.resolvedOptions().maximumFractionDigits ?? 2))
}

/** A plain number with between `min` and `max` decimals: `12,345` kWh (de). */
export const formatNumber = (value: DecimalLike, locale: Locale, decimals: { min?: number; max?: number } = {}): string => {
  const max = decimals.max ?? 3
  return formatText(numberFormat(locale, { minimumFractionDigits: decimals.min ?? 0, maximumFractionDigits: max }), text(value, max))
}

/** A unit value (`kilowatt-hour` is not an Intl unit, so the symbol is appended): `12,35 kWh`. */
export const formatKwh = (value: DecimalLike, locale: Locale): string => `${formatNumber(value, locale, { max: 3 })}\u00a0kWh`

const dateFormats = new Map<string, Intl.DateTimeFormat>()
const dateFormat = (locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`
  let format = dateFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(intlTag(locale), { ...options, timeZone })
    dateFormats.set(key, format)
  }
  return format
}

/** `7. Dezember 2026` style long date, or `07.12.2026` with `style: 'short'`, in the given zone. */
export const formatDate = (date: Date, locale: Locale, timeZone = 'UTC', style: 'short' | 'long' = 'short'): string =>
  dateFormat(locale, timeZone, style === 'long' ? { dateStyle: 'long' } : { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    date,
  )

/** Local date and time: `07.12.2026, 18:05`. */
export const formatDateTime = (date: Date, locale: Locale, timeZone = 'UTC'): string =>
  dateFormat(locale, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(date)

/** Local time of day: `18:05`. */
export const formatTime = (date: Date, locale: Locale, timeZone = 'UTC'): string =>
  dateFormat(locale, timeZone, { hour: '2-digit', minute: '2-digit' }).format(date)

/** A calendar date given as `YYYY-MM-DD` (a contract or period date, no zone): formatted as that day. */
export const formatIsoDay = (day: string, locale: Locale, style: 'short' | 'long' = 'short'): string =>
  formatDate(new Date(`${day}T12:00:00Z`), locale, 'UTC', style)
