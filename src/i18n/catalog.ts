import { IntlMessageFormat } from 'intl-messageformat'
import { intlTag, type Locale } from './locales.js'

/**
 * A namespace of messages in every locale. English is the source: the other locales must have
 * exactly its keys (the type checker says which one is missing). Messages are ICU MessageFormat:
 * `{name}` for a value, `{count, plural, one {# session} other {# sessions}}` for plurals.
 */
export type Catalog<K extends string = string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>

export const defineCatalog = <const E extends Record<string, string>>(
  catalog: { en: E } & { [L in Exclude<Locale, 'en'>]: Record<keyof E, string> },
): Catalog<Extract<keyof E, string>> => catalog as Catalog<Extract<keyof E, string>>

export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>

export type Translate<K extends string> = (key: K, values?: MessageValues) => string

const compiled = new Map<string, IntlMessageFormat>()

/** `t(key, values)` for one locale over one catalog; compiled messages are cached per locale and text. */
export const translator = <K extends string>(catalog: Catalog<K>, locale: Locale): Translate<K> => {
  const messages = catalog[locale]
  return (key, values) => {
    const text = messages[key]
    if (text === undefined) throw new Error(`no message ${key} in ${locale}`)
    const cacheKey = `${locale}\u0000${text}`
    let format = compiled.get(cacheKey)
    if (!format) {
      format = new IntlMessageFormat(text, intlTag(locale))
      compiled.set(cacheKey, format)
    }
    return String(format.format(values as Record<string, string | number | Date | boolean | null | undefined>))
  }
}
