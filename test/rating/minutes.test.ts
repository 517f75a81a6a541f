// Rule 2 (started minutes), rule 3 (blocking windows in local time), rule 4 (minute tiers).
import t from 'tap'
import { localMsOfDay, utcOffsetMs } from '../../src/rating/engine/local-time.js'
import { blockingMinutes, minutesInTier, startedMinutes } from '../../src/rating/engine/minutes.js'

const at = (iso: string) => Date.parse(iso)
const hhmm = (ms: number) =>
  `${String(Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}`

t.test('started minutes: the last, partial minute counts', async (t) => {
  const start = at('2025-05-06T10:00:00Z')
  t.equal(startedMinutes(start, start), 0, 'no time, no minute')
  t.equal(startedMinutes(start, start + 1), 1)
  t.equal(startedMinutes(start, start + 60_000), 1, 'exactly one minute')
  t.equal(startedMinutes(start, start + 60_001), 2)
  t.equal(startedMinutes(start, start - 5), 0, 'an end before the start is no time')
})

t.test('minute tiers', async (t) => {
  t.equal(minutesInTier(120, 0, 90), 90)
  t.equal(minutesInTier(120, 90), 30)
  t.equal(minutesInTier(89, 90), 0)
  t.equal(minutesInTier(91, 90), 1)
})

t.test('local time through daylight-saving changes', async (t) => {
  t.equal(hhmm(localMsOfDay('Europe/Berlin', at('2025-03-30T00:59:00Z'))), '01:59', 'last minute of CET')
  t.equal(hhmm(localMsOfDay('Europe/Berlin', at('2025-03-30T01:00:00Z'))), '03:00', 'first minute of CEST')
  t.equal(hhmm(localMsOfDay('Europe/Berlin', at('2025-10-26T00:59:00Z'))), '02:59')
  t.equal(hhmm(localMsOfDay('Europe/Berlin', at('2025-10-26T01:00:00Z'))), '02:00', 'the repeated hour')
  t.equal(utcOffsetMs('Europe/Lisbon', at('2025-01-15T12:00:00Z')), 0)
  t.equal(utcOffsetMs('Atlantic/Azores', at('2025-01-15T12:00:00Z')), -3_600_000)
  t.equal(utcOffsetMs('Europe/Helsinki', at('2025-07-15T12:00:00Z')), 3 * 3_600_000)
  t.equal(hhmm(localMsOfDay('Europe/Berlin', at('2025-05-06T22:30:45Z'))), '00:30', 'over midnight')
})

t.test('blocking minutes', async (t) => {
  const start = at('2025-05-06T06:00:00Z') // 08:00 in Berlin
  t.equal(blockingMinutes(start, 100, { afterMinutes: 90 }, 'Europe/Berlin'), 10, 'no window: every minute from N')
  t.equal(blockingMinutes(start, 90, { afterMinutes: 90 }, 'Europe/Berlin'), 0, 'minute 90 is the first charged one')
  const window = { from: '08:00', to: '21:00' }
  // minute k starts at 08:00 + k; the window ends at 21:00 = minute 780 (exclusive)
  t.equal(blockingMinutes(start, 800, { afterMinutes: 180, window }, 'Europe/Berlin'), 600)
  // a start at 07:59:30 local: minute 0 starts outside, minute 1 (08:00:30) inside
  t.equal(blockingMinutes(at('2025-05-06T05:59:30Z'), 2, { afterMinutes: 0, window }, 'Europe/Berlin'), 1)
  // a window over midnight (none in the lists today, supported): 22:00-06:00
  const night = { from: '22:00', to: '06:00' }
  t.equal(blockingMinutes(at('2025-05-06T19:00:00Z'), 600, { afterMinutes: 0, window: night }, 'Europe/Berlin'), 480)
})
