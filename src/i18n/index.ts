export { DEFAULT_LOCALE, LOCALES, intlTag, isLocale, localeOfMarket, negotiateLocale, type Locale } from './locales.js'
export { defineCatalog, translator, type Catalog, type MessageValues, type Translate } from './catalog.js'
export { formatDate, formatDateTime, formatIsoDay, formatKwh, formatMoney, formatNumber, formatTime } from './format.js'
