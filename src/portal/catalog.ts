// The customer area's messages in English, German, Slovenian and Estonian (src/i18n's
// `defineCatalog`: a language lacking a key does not compile).
import { defineCatalog } from '../i18n/index.js'
import { de } from './messages/de.js'
import { en, type MessageKey } from './messages/en.js'
import { et } from './messages/et.js'
import { sl } from './messages/sl.js'

export const portalCatalog = defineCatalog({ en, de, sl, et })
export type MsgKey = MessageKey
