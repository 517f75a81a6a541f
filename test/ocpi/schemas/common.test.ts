// The shared OCPI data types (spec "Types"; OCPI notes §2.9) on their own.
import t from 'tap'
import {
  CountryCodeSchema,
  CurrencySchema,
  DateTimeSchema,
  DisplayTextSchema,
  EnvelopeSchema,
  GeoLocationSchema,
  PartyIdSchema,
  UrlSchema,
  ciString,
  listOf,
  nonEmptyList,
  string,
} from '../../../src/ocpi/v221/common.schema.js'
import { describeZodError } from '../../../src/ocpi/v221/validation.js'
import { z } from 'zod'

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success
const problem = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value)
  return result.success ? 'accepted' : describeZodError(result.error)
}

t.test('DateTime: the four forms the spec lists are accepted', async (t) => {
  for (const value of ['2015-06-29T20:39:09Z', '2015-06-29T20:39:09', '2016-12-29T17:45:09.2Z', '2018-01-01T01:08:01.123']) {
    t.ok(accepts(DateTimeSchema, value), value)
  }
  t.ok(accepts(DateTimeSchema, '2020-02-29T23:59:59Z'), 'leap day')
  t.ok(accepts(DateTimeSchema, '2015-06-29T20:39:09.123456Z'), 'microseconds (longer than string(25); see README)')
})

t.test('DateTime: offsets and malformed values are refused', async (t) => {
  t.equal(problem(DateTimeSchema, '2015-06-29T22:39:09+02:00'), '(root): UTC offsets are not allowed, use Z')
  t.equal(problem(DateTimeSchema, '2015-06-29T20:39:09.5-00:00'), '(root): UTC offsets are not allowed, use Z')
  const format = '(root): not an OCPI DateTime (YYYY-MM-DDTHH:MM:SS[.fff][Z])'
  for (const value of [
    '2015-06-29 20:39:09Z', // space instead of T
    '2015-06-29', // date only
    '2015-06-29T20:39Z', // no seconds
    '1970-1-1T00:00:00Z', // the spec's own "unknown time" placeholder
    '2015-06-29t20:39:09z', // lower-case designators
    '2015-06-29T20:39:09.Z', // empty fraction
    '2015-06-29T20:39:09.1234567890Z', // more than nanoseconds
  ]) {
    t.equal(problem(DateTimeSchema, value), format, value)
  }
  const calendar = '(root): not a real calendar date and time'
  for (const value of [
    '2015-02-29T10:00:00Z',
    '2015-13-01T10:00:00Z',
    '2015-06-31T10:00:00Z',
    '2015-06-29T24:00:00Z',
    '2015-06-29T23:60:00Z',
    '2016-12-31T23:59:60Z',
  ]) {
    t.equal(problem(DateTimeSchema, value), calendar, value)
  }
  t.equal(problem(DateTimeSchema, 1435610349), '(root): expected string, got number')
})

t.test('string(n): printable UTF-8 up to n characters', async (t) => {
  const s = string(5)
  t.ok(accepts(s, 'Köln!'))
  t.ok(accepts(s, ''))
  t.equal(problem(s, 'Kölner'), '(root): must be at most 5 characters long')
  for (const bad of ['a\rb', 'a\nb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b', 'a\u2028b']) {
    const label = `U+${bad.codePointAt(1)!.toString(16).padStart(4, '0')}` // raw, some would break TAP lines
    t.equal(problem(s, bad), '(root): contains non-printable characters', label)
  }
})

t.test('CiString(n): printable ASCII up to n characters, case kept', async (t) => {
  const s = ciString(4)
  t.equal(s.parse('aBc '), 'aBc ', 'case and inner/trailing space are kept as sent')
  t.equal(problem(s, 'abcde'), '(root): must be at most 4 characters long')
  t.equal(problem(s, 'Köln'), '(root): must be printable ASCII')
  t.equal(problem(s, 'a\tb'), '(root): must be printable ASCII')
})

t.test('codes: country (2 letters), party (3 alphanumerics), currency (ISO 4217)', async (t) => {
  t.ok(accepts(CountryCodeSchema, 'NL'))
  t.ok(accepts(CountryCodeSchema, 'nl'), 'CiString: lower case is accepted')
  t.equal(problem(CountryCodeSchema, 'NLD'), '(root): must be 2 letters')
  t.equal(problem(CountryCodeSchema, 'N1'), '(root): must be 2 letters')
  t.ok(accepts(PartyIdSchema, 'TNM'))
  t.ok(accepts(PartyIdSchema, 'b2c'))
  t.equal(problem(PartyIdSchema, 'TN'), '(root): must be 3 letters or digits')
  t.equal(problem(PartyIdSchema, 'T-M'), '(root): must be 3 letters or digits')
  t.ok(accepts(CurrencySchema, 'EUR'))
  t.equal(problem(CurrencySchema, 'eur'), '(root): must be 3 upper-case letters')
  t.equal(problem(CurrencySchema, 'EURO'), '(root): must be 3 upper-case letters')
})

t.test('URL: absolute http(s), at most 255 characters', async (t) => {
  t.ok(accepts(UrlSchema, 'https://example.com/ocpi/versions'))
  t.ok(accepts(UrlSchema, 'http://example.com'))
  t.equal(problem(UrlSchema, 'www.example.com'), '(root): not an absolute http(s) URL')
  t.equal(problem(UrlSchema, 'ftp://example.com/file'), '(root): not an absolute http(s) URL')
  t.equal(problem(UrlSchema, `https://example.com/${'a'.repeat(236)}`), '(root): must be at most 255 characters long')
  t.ok(accepts(UrlSchema, `https://example.com/${'a'.repeat(235)}`), '255 characters fit')
})

t.test('GeoLocation: strings matching the spec regexes', async (t) => {
  t.ok(accepts(GeoLocationSchema, { latitude: '51.047599', longitude: '3.729944' }))
  t.ok(accepts(GeoLocationSchema, { latitude: '-33.86882', longitude: '-151.2092955' }))
  t.equal(problem(GeoLocationSchema, { latitude: '51.04', longitude: '3.729944' }), 'latitude: latitude must look like 51.047599')
  t.equal(problem(GeoLocationSchema, { latitude: '51.047599', longitude: 3.729944 }), 'longitude: expected string, got number')
  t.equal(
    problem(GeoLocationSchema, { latitude: '151.047599', longitude: '1234.729944' }),
    'latitude: latitude must look like 51.047599\nlongitude: longitude must look like 3.729944',
  )
})

t.test('DisplayText: ISO 639-1 language and string(512) text', async (t) => {
  t.ok(accepts(DisplayTextSchema, { language: 'en', text: 'x'.repeat(512) }))
  t.equal(problem(DisplayTextSchema, { language: 'eng', text: 'Hi' }), 'language: must be 2 letters')
  t.equal(problem(DisplayTextSchema, { language: 'en', text: 'x'.repeat(513) }), 'text: must be at most 512 characters long')
})

t.test('cardinality: * accepts absent, null and []; + needs one', async (t) => {
  const star = z.object({ items: listOf(z.string()) })
  t.ok(accepts(star, {}))
  t.ok(accepts(star, { items: null }))
  t.ok(accepts(star, { items: [] }))
  const plus = z.object({ items: nonEmptyList(z.string()) })
  t.equal(problem(plus, { items: [] }), 'items: must not be empty')
  t.equal(problem(plus, {}), 'items: required')
})

t.test('envelope: status_code and timestamp required, data optional', async (t) => {
  const schema = EnvelopeSchema(z.object({ id: z.string() }))
  t.ok(accepts(schema, { status_code: 2001, status_message: 'bad', timestamp: '2015-06-30T21:59:59Z' }))
  t.ok(accepts(schema, { data: null, status_code: 3000, timestamp: '2015-06-30T21:59:59Z' }))
  t.equal(
    problem(schema, { data: { id: 1 }, status_code: 1000, timestamp: '2015-06-30T21:59:59Z' }),
    'data.id: expected string, got number',
  )
  t.equal(problem(schema, { status_code: '1000', timestamp: '2015-06-30T21:59:59Z' }), 'status_code: expected number, got string')
  t.equal(problem(schema, { status_code: 1000.5, timestamp: '2015-06-30T21:59:59Z' }), 'status_code: expected an integer, got number')
  t.equal(problem(schema, { status_code: 200, timestamp: '2015-06-30T21:59:59Z' }), 'status_code: must be at least 1000')
  t.equal(problem(schema, { status_code: 1000 }), 'timestamp: required')
})
