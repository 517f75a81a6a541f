// The fixed-position fast path of parseOcpiDateTime (issue 20 item 2) answers exactly as the general
// reader (regex + the platform's ISO parser) on every shape: the common ones it reads itself and the
// odd ones it hands over.
import t, { type Test } from 'tap'
import { ocpiDateTimeMs, ocpiDateTimeMsFast, parseOcpiDateTime, parseOcpiDateTimeGeneral } from '../../src/ocpi/v221/pagination.js'

const general = (s: string): number | undefined => parseOcpiDateTimeGeneral(s)?.getTime()

const agrees = (t: Test, s: string) => {
  const want = general(s)
  t.equal(parseOcpiDateTime(s)?.getTime(), want, `parseOcpiDateTime(${JSON.stringify(s)})`)
  t.equal(ocpiDateTimeMs(s), want, `ocpiDateTimeMs(${JSON.stringify(s)})`)
  const fast = ocpiDateTimeMsFast(s)
  if (fast !== undefined) t.equal(fast, want, `fast path on ${JSON.stringify(s)}`)
}

const SHAPES = [
  // the common shapes: Z, no zone, fractions of 1 to 9 digits
  '2024-01-01T06:30:00Z',
  '2024-01-01T06:30:00',
  '2024-01-01T06:30:00.1Z',
  '2024-01-01T06:30:00.12Z',
  '2024-01-01T06:30:00.123Z',
  '2024-01-01T06:30:00.1234Z',
  '2024-01-01T06:30:00.9999Z',
  '2024-01-01T06:30:00.999999999Z',
  '2024-01-01T06:30:00.123456789',
  '2024-01-01T06:30:00.000Z',
  '2024-01-01T06:30:00.0',
  '1999-12-31T23:59:59.999Z',
  '2026-12-07T17:02:09Z',
  '9999-12-31T23:59:59Z',
  '1000-01-01T00:00:00Z',
  // calendar edges: leap days, a day past the month's end (rolls over), the 24th hour
  '2024-02-29T12:00:00Z',
  '2023-02-29T12:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-04-31T00:00:00Z',
  '2024-02-31T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T24:00:00.000Z',
  '2024-01-01T24:00:01Z',
  // out of range
  '2024-00-01T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-00T00:00:00Z',
  '2024-01-32T00:00:00Z',
  '2024-01-01T25:00:00Z',
  '2024-01-01T23:60:00Z',
  '2024-01-01T23:59:60Z',
  '0999-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0099-06-15T12:00:00Z',
  // offsets (not OCPI: refused by both)
  '2024-01-01T06:30:00+01:00',
  '2024-01-01T06:30:00+0100',
  '2024-01-01T06:30:00-05:00',
  '2024-01-01T06:30:00.123+01:00',
  '2024-01-01T06:30:00Z+01:00',
  // odd spelling and spacing
  '2024-01-01 06:30:00Z',
  '2024-01-01t06:30:00z',
  '2024-01-01T06:30:00z',
  '2024-01-01T06:30Z',
  '2024-01-01T06:30',
  ' 2024-01-01T06:30:00Z',
  '2024-01-01T06:30:00Z ',
  '2024-01-01T06:30:00 Z',
  '2024-01-01T06:30:00.Z',
  '2024-01-01T06:30:00.',
  '2024-01-01T06:30:00.1234567890Z',
  '2024-01-01T06:30:00ZZ',
  '2024-01-01T06:30:00.5ZZ',
  '2024-01-01T06:30:00.5x',
  '2024-1-01T06:30:00Z',
  '2024-01-1T06:30:00Z',
  '2024/01/01T06:30:00Z',
  '2024-01-01T06-30-00Z',
  '+2024-01-01T06:30:00Z',
  '20240101T063000Z',
  '2024-01-01',
  '2024-01-01T06:3a:00Z',
  '2024-01-01T06:30:0aZ',
  '2024-01-01T06:30:00.1a3Z',
  '２０２４-01-01T06:30:00Z',
  '',
  'Z',
  'not a date',
]

t.test('the fast path agrees with the general reader on every listed shape', async (t) => {
  for (const s of SHAPES) agrees(t, s)
  t.ok(SHAPES.filter((s) => ocpiDateTimeMsFast(s) !== undefined).length >= 20, 'the common shapes take the fast path')
  t.equal(ocpiDateTimeMsFast('2024-01-01T24:00:00Z'), undefined, 'hour 24 is left to the general reader')
  t.equal(
    ocpiDateTimeMsFast('0099-06-15T12:00:00Z'),
    undefined,
    'two-digit years are left to the general reader (Date.UTC maps them to 19xx)',
  )
})

t.test('the fast path agrees with the general reader on generated date-times', async (t) => {
  let seed = 202
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed % n
  }
  const pad = (v: number, width: number) => String(v).padStart(width, '0')
  const suffixes = ['', 'Z', 'z', '+01:00', ' ', 'ZZ', '.', '.Z']
  let fast = 0
  let checked = 0
  for (let k = 0; k < 20_000; k++) {
    // mostly in range, sometimes just past it
    const s =
      `${pad(900 + random(9200), 4)}-${pad(random(14), 2)}-${pad(random(33), 2)}T` +
      `${pad(random(26), 2)}:${pad(random(61), 2)}:${pad(random(61), 2)}` +
      (random(3) === 0 ? '' : `.${String(random(1_000_000_000)).slice(0, 1 + random(10))}`) +
      suffixes[random(4) === 0 ? random(suffixes.length) : 1]
    const want = general(s)
    if (ocpiDateTimeMs(s) !== want || parseOcpiDateTime(s)?.getTime() !== want) t.fail(`disagree on ${JSON.stringify(s)}`)
    if (ocpiDateTimeMsFast(s) !== undefined) fast++
    checked++
  }
  t.equal(checked, 20_000)
  t.ok(fast > 5_000, `many took the fast path (${fast})`)
})

t.test('an instant and its ISO text round-trip through the fast path', async (t) => {
  const wrong: string[] = []
  let count = 0
  for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2100, 0, 1); ms += 86_400_000 * 97 + 3_600_000 * 5 + 61_001) {
    const text = new Date(ms).toISOString()
    if (ocpiDateTimeMsFast(text) !== ms || ocpiDateTimeMsFast(text.replace('Z', '')) !== ms) wrong.push(text)
    count++
  }
  t.same(wrong, [], `${count} instants`)
})
