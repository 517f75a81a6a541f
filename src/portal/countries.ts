// The countries a customer's address may be in (EU, EEA, Switzerland, United Kingdom), named in
// the page's language by Intl (no list of names to translate).
import { intlTag, type Locale } from '../i18n/index.js'
import type { Option } from '../web/form.js'

export const ADDRESS_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const

const names = new Map<Locale, Intl.DisplayNames>()
export const countryName = (code: string, locale: Locale): string => {
  let n = names.get(locale)
  if (!n) {
    n = new Intl.DisplayNames([intlTag(locale)], { type: 'region' })
    names.set(locale, n)
  }
  return n.of(code) ?? code
}

/** Options sorted by their name in the page's language. */
export const countryOptions = (locale: Locale, placeholder: string): Option[] => [
  { value: '', label: placeholder },
  ...ADDRESS_COUNTRIES.map((c) => ({ value: c, label: countryName(c, locale) })).sort((a, b) =>
    a.label.localeCompare(b.label, intlTag(locale)),
  ),
]
