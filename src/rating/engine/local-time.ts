// Local wall-clock time for the minute rules, from the pricing core's cached zone clocks (one
// implementation of Intl-based offsets for the whole service; pure, no I/O).
import { zoneClock } from '../../pricing/index.js'

const DAY_MS = 86_400_000

/** Offset of the zone's wall clock from UTC at the instant, in ms (e.g. +7 200 000 for CEST). */
export const utcOffsetMs = (zone: string, instantMs: number): number => {
  const clock = zoneClock(zone)
  if (!clock) throw new RangeError(`Unknown time zone "${zone}"`) // callers check isKnownTimeZone first
  return clock.offsetMs(instantMs)
}

/** Milliseconds since local midnight at the instant. */
export const localMsOfDay = (zone: string, instantMs: number): number => {
  const local = instantMs + utcOffsetMs(zone, instantMs)
  return ((local % DAY_MS) + DAY_MS) % DAY_MS
}

/** True when the zone name is known to this runtime's tz database. */
export const isKnownTimeZone = (zone: string): boolean => zoneClock(zone) !== null
