// What every page of the customer area is rendered with: the language, its translator, the
// visitor's CSRF token and login, and formatting for the locale (amounts, dates, distances).
import { formatDateTime, formatIsoDay, formatMoney, intlTag, type Locale, type Translate } from '../i18n/index.js'
import type { MsgKey } from './catalog.js'

export interface PageContext {
  locale: Locale
  t: Translate<MsgKey>
  /** The token of the visitor's forms. */
  csrf: string
  customerId: string | null
  /** Path and query of this page (the language switch comes back to it). */
  path: string
  authMode: 'local' | 'oidc'
}

type DecimalText = string | { toFixed(decimals: number): string }
const decimalText = (d: DecimalText, decimals: number) => (typeof d === 'string' ? d : d.toFixed(decimals))

const unitFormats = new Map<string, Intl.NumberFormat>()
/**
 * A unit price with 2 to 4 decimals (`0,3625 €`), from decimal text: price lists and operator
 * tariffs carry up to 4 decimals, which an amount in minor units would round away.
 */
export const formatUnitPrice = (amount: DecimalText, currency: string, locale: Locale): string => {
  const key = `${locale}|${currency}`
  let format = unitFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(intlTag(locale), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 })
    unitFormats.set(key, format)
  }
  return format.format(decimalText(amount, 4) as unknown as number)
}

/** Formatting in the page's locale. */
export const formatters = (locale: Locale) => ({
  money: (amount: DecimalText, currency: string) => formatMoney(amount, currency, locale),
  unitPrice: (amount: DecimalText, currency: string) => formatUnitPrice(amount, currency, locale),
  day: (isoDay: string) => formatIsoDay(isoDay, locale, 'long'),
  shortDay: (isoDay: string) => formatIsoDay(isoDay, locale, 'short'),
  dateTime: (at: Date, timeZone = 'Europe/Berlin') => formatDateTime(at, locale, timeZone),
  month: (yyyyMm: string) =>
    new Intl.DateTimeFormat(intlTag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${yyyyMm}-15T12:00:00Z`),
    ),
  distance: (meters: number) =>
    meters < 1000
      ? new Intl.NumberFormat(intlTag(locale), { style: 'unit', unit: 'meter', maximumFractionDigits: 0 }).format(
          Math.round(meters / 10) * 10,
        )
      : new Intl.NumberFormat(intlTag(locale), { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(meters / 1000),
  kw: (kw: string) => `${new Intl.NumberFormat(intlTag(locale), { maximumFractionDigits: 1 }).format(kw as unknown as number)}\u00a0kW`,
  percent: (share: number) => new Intl.NumberFormat(intlTag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(share),
})

export type Formatters = ReturnType<typeof formatters>
