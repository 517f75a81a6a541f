/**
 * Local wall-clock time of an instant in an IANA zone, fast.
 *
 * Intl is the only tz database available without extra packages. Creating a DateTimeFormat costs
 * ~100 µs and formatToParts ~9 µs, so both are cached: one formatter per zone and one UTC offset per
 * (zone, UTC day). A day whose offset is the same at its start and its end is taken to have no
 * transition (real zones never change twice within a day); a transition day falls back to one
 * offset per quarter hour, which is exact because every zone since 1970 changes offset at a
 * quarter-hour instant.
 */

const MS_PER_MINUTE = 60_000
const MS_PER_QUARTER = 15 * MS_PER_MINUTE
export const MS_PER_DAY = 86_400_000
const CACHE_LIMIT = 20_000

export interface LocalTime {
  /** local calendar day, days since 1970-01-01 */
  day: number
  /** seconds after local midnight (fractional seconds dropped) */
  secondOfDay: number
  /** 0 = Monday … 6 = Sunday */
  weekday: number
  /** local wall clock as epoch ms of the same wall time in UTC */
  localMs: number
}

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const

export interface ZoneClock {
  readonly zone: string
  offsetMs(utcMs: number): number
}

const clocks = new Map<string, ZoneClock>()

/** The cached clock of a zone, or null when Intl does not know the zone. */
export function zoneClock(zone: string): ZoneClock | null {
  const cached = clocks.get(zone)
  if (cached) return cached
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch {
    return null
  }
  const clock = createClock(zone, format)
  clocks.set(zone, clock)
  return clock
}

function createClock(zone: string, format: Intl.DateTimeFormat): ZoneClock {
  const byDay = new Map<number, number | null>()
  const byQuarter = new Map<number, number>()
  const exactOffset = (utcMs: number): number => offsetAt(format, utcMs)
  const quarterOffset = (utcMs: number): number => {
    const quarter = Math.floor(utcMs / MS_PER_QUARTER)
    let offset = byQuarter.get(quarter)
    if (offset === undefined) {
      if (byQuarter.size > CACHE_LIMIT) byQuarter.clear()
      offset = exactOffset(quarter * MS_PER_QUARTER)
      byQuarter.set(quarter, offset)
    }
    return offset
  }
  return {
    zone,
    offsetMs(utcMs: number): number {
      const day = Math.floor(utcMs / MS_PER_DAY)
      let offset = byDay.get(day)
      if (offset === undefined) {
        if (byDay.size > CACHE_LIMIT) byDay.clear()
        const atStart = exactOffset(day * MS_PER_DAY)
        offset = atStart === exactOffset((day + 1) * MS_PER_DAY) ? atStart : null
        byDay.set(day, offset)
      }
      return offset ?? quarterOffset(utcMs)
    },
  }
}

function offsetAt(format: Intl.DateTimeFormat, utcMs: number): number {
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000)
  const fields: Record<string, number> = {}
  for (const part of format.formatToParts(new Date(whole))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!)
  return wall - whole
}

export function localTime(clock: ZoneClock, utcMs: number): LocalTime {
  const localMs = utcMs + clock.offsetMs(utcMs)
  const day = Math.floor(localMs / MS_PER_DAY)
  const secondOfDay = Math.floor((localMs - day * MS_PER_DAY) / 1000)
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0)
  const weekday = (((day + 3) % 7) + 7) % 7
  return { day, secondOfDay, weekday, localMs }
}

/** YYYY-MM-DD → days since 1970-01-01, or null if it is not a real date. */
export function dayNumber(isoDate: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!match) return null
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, date)
  const check = new Date(ms)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null
  return ms / MS_PER_DAY
}

/** Local wall clock for humans: YYYY-MM-DDTHH:MM:SS. */
export function formatLocal(local: LocalTime): string {
  return new Date(local.localMs).toISOString().slice(0, 19)
}
