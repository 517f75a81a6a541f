// The languages the customer-facing surfaces speak: each home market's own language and English.

export const LOCALES = ['en', 'de', 'sl', 'et'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value)

/** The BCP 47 tag `Intl` formats with (a market's conventions: `1.234,50 €` in Germany, `1 234,50 €` in Estonia). */
export const intlTag = (locale: Locale): string => ({ en: 'en-GB', de: 'de-DE', sl: 'sl-SI', et: 'et-EE' })[locale]

/** The language of a home market's customers (DE, SI, EE); English for anything else. */
export const localeOfMarket = (market: string): Locale =>
  (({ DE: 'de', SI: 'sl', EE: 'et' }) as Record<string, Locale>)[market.toUpperCase()] ?? DEFAULT_LOCALE

/**
 * The best of our locales for an `Accept-Language` header (RFC 9110 §12.5.4: quality values,
 * `de-AT` matches `de`), or `fallback` when the header names none of them or cannot be read.
 */
export const negotiateLocale = (acceptLanguage: string | undefined, fallback: Locale = DEFAULT_LOCALE): Locale => {
  if (!acceptLanguage) return fallback
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.map((r) => r.language).find(isLocale) ?? fallback
}
