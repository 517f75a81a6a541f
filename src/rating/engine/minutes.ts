// Minute arithmetic of the price lists: "pro angefangene Minute" (per started minute), minute
// tiers ("bis 90 min" / "ab 91 min") and blocking fees ("08:00 - 21:00 nach 180 Minuten").
// Minute k (k = 0, 1, …) covers [start + k min, start + (k+1) min); the last, partial minute counts.
import type { BlockingFee, TimeWindow } from '../../catalog/index.js'
import { localMsOfDay } from './local-time.js'

export const MINUTE_MS = 60_000

/** Started minutes from plug-in to unplug; a session of 0 s has none. */
export const startedMinutes = (startMs: number, endMs: number): number => (endMs <= startMs ? 0 : Math.ceil((endMs - startMs) / MINUTE_MS))

/** How many of the minutes 0 … total-1 fall into the tier [fromMinute, toMinute). */
export const minutesInTier = (total: number, fromMinute: number, toMinute = Infinity): number =>
  Math.max(0, Math.min(total, toMinute) - fromMinute)

const hhmmToMs = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number)
  return ((hours ?? 0) * 60 + (minutes ?? 0)) * MINUTE_MS
}

/** [from, to) in local time; a window whose end is before its start runs over midnight. */
const inWindow = (msOfDay: number, fromMs: number, toMs: number): boolean =>
  fromMs <= toMs ? msOfDay >= fromMs && msOfDay < toMs : msOfDay >= fromMs || msOfDay < toMs

/**
 * Minutes charged by a blocking fee: minute k counts when k >= afterMinutes and, if the fee has a
 * window, the local time at the start of minute k lies inside it.
 */
export const blockingMinutes = (
  startMs: number,
  totalMinutes: number,
  fee: Pick<BlockingFee, 'afterMinutes' | 'window'>,
  zone: string,
): number => {
  if (!fee.window) return minutesInTier(totalMinutes, fee.afterMinutes)
  const window: TimeWindow = fee.window
  const fromMs = hhmmToMs(window.from)
  const toMs = hhmmToMs(window.to)
  let count = 0
  for (let k = fee.afterMinutes; k < totalMinutes; k++) {
    if (inWindow(localMsOfDay(zone, startMs + k * MINUTE_MS), fromMs, toMs)) count++
  }
  return count
}
