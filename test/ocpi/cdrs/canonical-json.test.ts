// The content hash of every stored CDR is the SHA-256 of canonicalJson of the CDR as read with its
// CiStrings upper-cased: its text must never change. The reference below is the first, plain
// definition (entries, sort, join); the production one is written for speed and must agree with it
// byte for byte.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { canonicalJson, caseFolded, contentHashOf, identityHashOf } from '../../../src/ocpi/cdrs/cdrs.convert.js'
import { CdrIntakeSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'

const reference = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

t.test('agrees with the reference on any JSON value, undefined members included', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)),
    { numRuns: 2000 },
  )
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), fc.option(fc.oneof(fc.integer(), fc.string(), fc.array(fc.double())), { nil: undefined })),
      (v) => canonicalJson(v) === reference(v),
    ),
    { numRuns: 1000 },
  )
  t.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], é: null, A: true }), '{"A":true,"a":[1,{"c":"x"}],"b":1,"é":null}')
})

t.test('the hash of the spec example CDR is that of the reference text, whatever the key order or spacing of the body', async (t) => {
  const text = readFileSync(new URL('../../fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8')
  const cdr = CdrIntakeSchema.parse(JSON.parse(text))
  const reversed = CdrIntakeSchema.parse(
    JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text)).reverse()), null, 4)),
  )
  const hash = identityHashOf(cdr)
  t.equal(hash, contentHashOf(reference(caseFolded(cdr))), 'hash of the reference text of the case-folded CDR')
  // Its ids are upper-case already: the hash is the one stored before the identity was case-folded.
  t.equal(hash, contentHashOf(reference(cdr)), 'unchanged for a CDR sent with upper-case ids')
  t.equal(identityHashOf(reversed), hash, 'key order and spacing do not matter')
})

t.test('the same CDR with its ids, party or token in another case has the same hash (CiString); other content does not', async (t) => {
  const cdr = CdrIntakeSchema.parse(JSON.parse(readFileSync(new URL('../../fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8')))
  const lower = {
    ...cdr,
    country_code: 'be',
    party_id: 'bec',
    id: 'abc-1',
    cdr_token: { ...cdr.cdr_token, uid: 'aBcD' },
    cdr_location: { ...cdr.cdr_location, id: 'loc1', evse_uid: '3256a' },
  }
  const upper = {
    ...cdr,
    country_code: 'BE',
    party_id: 'BEC',
    id: 'ABC-1',
    cdr_token: { ...cdr.cdr_token, uid: 'ABCD' },
    cdr_location: { ...cdr.cdr_location, id: 'LOC1', evse_uid: '3256A' },
  }
  t.equal(identityHashOf(lower), identityHashOf(upper))
  t.not(identityHashOf({ ...upper, remark: 'different' }), identityHashOf(upper), 'a free-text field is not a CiString')
  t.not(identityHashOf({ ...upper, total_energy: 15.343 }), identityHashOf(upper))
})
