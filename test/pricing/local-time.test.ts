import t from 'tap'
import { dayNumber, formatLocal, localTime, zoneClock } from '../../src/pricing/local-time.js'

const clock = (zone: string) => {
  const c = zoneClock(zone)
  if (!c) throw new Error(`no zone ${zone}`)
  return c
}
const wall = (zone: string, iso: string) => formatLocal(localTime(clock(zone), Date.parse(iso)))

t.test('Berlin across both DST changes of 2024', async (t) => {
  t.equal(wall('Europe/Berlin', '2024-03-31T00:59:59Z'), '2024-03-31T01:59:59')
  t.equal(wall('Europe/Berlin', '2024-03-31T01:00:00Z'), '2024-03-31T03:00:00', 'spring forward skips 02:00-03:00')
  t.equal(wall('Europe/Berlin', '2024-10-27T00:59:59Z'), '2024-10-27T02:59:59')
  t.equal(wall('Europe/Berlin', '2024-10-27T01:00:00Z'), '2024-10-27T02:00:00', 'fall back repeats 02:00-03:00')
})

t.test("a zone with a half-hour offset changes at a quarter-hour instant (St. John's, 2024-03-10 05:30Z)", async (t) => {
  t.equal(wall('America/St_Johns', '2024-03-10T05:29:59Z'), '2024-03-10T01:59:59')
  t.equal(wall('America/St_Johns', '2024-03-10T05:30:00Z'), '2024-03-10T03:00:00')
})

t.test('cached offsets agree with Intl on many instants in zones with odd transitions', async (t) => {
  const zones = ['Europe/Berlin', 'Europe/London', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata']
  let seed = 42
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  let mismatches = 0
  for (const zone of zones) {
    const intl = new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    for (let i = 0; i < 1500; i++) {
      const instant = Date.UTC(2020, 0, 1) + Math.floor(random() * 6 * 365) * 86_400_000 + Math.floor(random() * 86_400) * 1000
      const expected = intl.format(new Date(instant)).replace(' ', 'T')
      if (formatLocal(localTime(clock(zone), instant)) !== expected) mismatches++
    }
  }
  t.equal(mismatches, 0)
})

t.test('weekday, day number and seconds of the day', async (t) => {
  const local = localTime(clock('Europe/Berlin'), Date.parse('2024-06-02T22:30:00Z'))
  t.equal(local.weekday, 0, '00:30 on Monday 3 June local is a Monday although UTC says Sunday')
  t.equal(local.day, dayNumber('2024-06-03'))
  t.equal(local.secondOfDay, 30 * 60)
})

t.test('dates and zones that do not exist', async (t) => {
  t.equal(dayNumber('2024-02-30'), null)
  t.equal(dayNumber('2024-2-3'), null)
  t.equal(dayNumber('1970-01-02'), 1)
  t.equal(zoneClock('Mars/Olympus_Mons'), null)
  t.equal(zoneClock('Europe/Berlin'), zoneClock('Europe/Berlin'), 'one cached clock per zone')
})
