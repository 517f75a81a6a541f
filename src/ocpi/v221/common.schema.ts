// OCPI 2.2.1 wire types shared by every module (spec section "Types", OCPI notes §2.9).
// Shapes mirror the spec field for field; no transforms, so the same schema validates
// inbound bodies, builds outbound bodies and documents both in OpenAPI.
// Every leniency or strictness choice is listed in src/ocpi/v221/README.md ("Wire schemas").
import { z } from 'zod'
import { missingOrNull } from './validation.js'

// string(n): case-sensitive, printable UTF-8. Control characters (CR, LF, TAB, C1) and
// the Unicode line/paragraph separators are refused.
const PRINTABLE = /^[^\p{Cc}\p{Zl}\p{Zp}]*$/u
// CiString(n): printable ASCII, compared case-insensitively by the consumers.
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/

/** OCPI `string(n)`: printable UTF-8, at most n characters (UTF-16 code units, see README). */
export const string = (n: number) => z.string().max(n).regex(PRINTABLE, { error: 'contains non-printable characters' })

/** OCPI `CiString(n)`: printable ASCII, at most n characters. Case is kept as sent. */
export const ciString = (n: number) => z.string().max(n).regex(PRINTABLE_ASCII, { error: 'must be printable ASCII' })

/** An OCPI enum; a missing or null value is reported as such (see validation.ts). */
export const ocpiEnum = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: missingOrNull })

/** Cardinality `*`: absent, null and [] all mean "empty". */
export const listOf = <T extends z.ZodType>(item: T) => z.array(item).nullish()

/** Cardinality `+`: at least one element. */
export const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item).min(1)

// --- DateTime -------------------------------------------------------------------------

// UTC only; `Z` optional; 1-9 fractional digits (see README on the string(25) limit).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/
const HAS_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}(:?\d{2})?$/

function isRealInstant(value: string): boolean {
  const m = DATE_TIME.exec(value)
  if (!m) return true // the format check reports this one
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (h > 23 || mi > 59 || s > 59) return false // leap second 60 refused: Date cannot hold it
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/**
 * OCPI `DateTime`: RFC 3339 in UTC. Accepts `2015-06-29T20:39:09Z`, `2015-06-29T20:39:09`,
 * `2016-12-29T17:45:09.2Z`, `2018-01-01T01:08:01.123`. Refuses offsets (`+00:00`, `+02:00`):
 * OCPI times are UTC and a silent shift would move billing periods.
 */
export const DateTimeSchema = z
  .string()
  .regex(DATE_TIME, {
    error: (issue) =>
      typeof issue.input === 'string' && HAS_OFFSET.test(issue.input)
        ? 'UTC offsets are not allowed, use Z'
        : 'not an OCPI DateTime (YYYY-MM-DDTHH:MM:SS[.fff][Z])',
  })
  .refine(isRealInstant, { error: 'not a real calendar date and time' })
export type DateTime = z.infer<typeof DateTimeSchema>

// --- Small shared classes ---------------------------------------------------------------

/** OCPI `URL`: string(255); we require an absolute http(s) URL. */
export const UrlSchema = z.url({ protocol: /^https?$/, error: 'not an absolute http(s) URL' }).max(255)
export type Url = z.infer<typeof UrlSchema>

// The fixed-format codes below use one regex that also implies the length and the
// character set, so a bad value yields one issue instead of three.

/** ISO 3166-1 alpha-2, a CiString(2). */
export const CountryCodeSchema = z.string().regex(/^[A-Za-z]{2}$/, { error: 'must be 2 letters' })
export type CountryCode = z.infer<typeof CountryCodeSchema>

/** ISO 15118 party id, a CiString(3). */
export const PartyIdSchema = z.string().regex(/^[A-Za-z0-9]{3}$/, { error: 'must be 3 letters or digits' })
export type PartyId = z.infer<typeof PartyIdSchema>

/** ISO 4217 currency code, a string(3). */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, { error: 'must be 3 upper-case letters' })
export type Currency = z.infer<typeof CurrencySchema>

/** ISO 639-1 language code, a string(2). */
export const LanguageSchema = z.string().regex(/^[A-Za-z]{2}$/, { error: 'must be 2 letters' })

export const DisplayTextSchema = z.object({
  language: LanguageSchema,
  text: string(512),
})
export type DisplayText = z.infer<typeof DisplayTextSchema>

/** Money as JSON numbers; converters turn them into Decimal via `String(n)`. */
export const PriceSchema = z.object({
  excl_vat: z.number(),
  incl_vat: z.number().nullish(),
})
export type Price = z.infer<typeof PriceSchema>

/** WGS 84 coordinates as strings; the spec's regexes imply string(10) and string(11). */
export const GeoLocationSchema = z.object({
  latitude: z.string().regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/, { error: 'latitude must look like 51.047599' }),
  longitude: z.string().regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/, { error: 'longitude must look like 3.729944' }),
})
export type GeoLocation = z.infer<typeof GeoLocationSchema>

export const ImageCategorySchema = ocpiEnum(['CHARGER', 'ENTRANCE', 'LOCATION', 'NETWORK', 'OPERATOR', 'OTHER', 'OWNER'])
export type ImageCategory = z.infer<typeof ImageCategorySchema>

/** int(5): a non-negative integer of at most 5 digits. */
const int5 = z.int().min(0).max(99999)

export const ImageSchema = z.object({
  url: UrlSchema,
  thumbnail: UrlSchema.nullish(),
  category: ImageCategorySchema,
  type: ciString(4),
  width: int5.nullish(),
  height: int5.nullish(),
})
export type Image = z.infer<typeof ImageSchema>

export const BusinessDetailsSchema = z.object({
  name: string(100),
  website: UrlSchema.nullish(),
  logo: ImageSchema.nullish(),
})
export type BusinessDetails = z.infer<typeof BusinessDetailsSchema>

// --- Shared enums -------------------------------------------------------------------------

export const RoleSchema = ocpiEnum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP'])
export type Role = z.infer<typeof RoleSchema>

export const VersionNumberSchema = ocpiEnum(['2.0', '2.1', '2.1.1', '2.2', '2.2.1'])
export type VersionNumber = z.infer<typeof VersionNumberSchema>

export const ModuleIdSchema = ocpiEnum([
  'cdrs',
  'chargingprofiles',
  'commands',
  'credentials',
  'hubclientinfo',
  'locations',
  'sessions',
  'tariffs',
  'tokens',
])
export type ModuleId = z.infer<typeof ModuleIdSchema>

export const InterfaceRoleSchema = ocpiEnum(['SENDER', 'RECEIVER'])
export type InterfaceRole = z.infer<typeof InterfaceRoleSchema>

// --- Response envelope ------------------------------------------------------------------------

/**
 * The OCPI response envelope around `dataSchema`. `data` may be absent or null (errors,
 * and answers whose data the spec leaves undefined). On a non-1xxx `status_code` the spec
 * leaves `data` unspecified: parse such answers with `EnvelopeSchema(z.unknown())` first.
 */
export const EnvelopeSchema = <T extends z.ZodType>(dataSchema: T) =>
  z.object({
    data: dataSchema.nullish(),
    status_code: z.int().min(1000).max(4999),
    // Free debugging text from the peer: no printable or length check on purpose.
    status_message: z.string().nullish(),
    timestamp: DateTimeSchema,
  })
export type EnvelopeOf<T extends z.ZodType> = z.infer<ReturnType<typeof EnvelopeSchema<T>>>
