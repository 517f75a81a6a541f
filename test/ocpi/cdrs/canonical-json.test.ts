// The content hash of every stored CDR is the SHA-256 of canonicalJson: its text must never change.
// The reference below is the first, plain definition (entries, sort, join); the production one is
// written for speed and must agree with it byte for byte.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { canonicalJson, contentHashOf, fromOcpiCdr } from '../../../src/ocpi/cdrs/cdrs.convert.js'
import { CdrSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'

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
  fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 })
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.option(fc.oneof(fc.integer(), fc.string(), fc.array(fc.double())), { nil: undefined })), (v) => canonicalJson(v) === reference(v)),
    { numRuns: 1000 },
  )
  t.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], 'é': null, A: true }), '{"A":true,"a":[1,{"c":"x"}],"b":1,"é":null}')
})

t.test('the hash of the spec example CDR is that of the reference text, whatever the key order or spacing of the body', async (t) => {
  const text = readFileSync(new URL('../../fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8')
  const cdr = CdrSchema.parse(JSON.parse(text))
  const reversed = CdrSchema.parse(JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text)).reverse()), null, 4)))
  const received = fromOcpiCdr(cdr)
  t.equal(received.contentHash, contentHashOf(reference(cdr)), 'hash of the reference text')
  t.equal(fromOcpiCdr(reversed).contentHash, received.contentHash, 'key order and spacing do not matter')
  t.same(JSON.parse(received.json), cdr, 'the canonical text is the validated CDR')
})
