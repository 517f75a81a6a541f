/** The one source of "now". Services receive a Clock instead of calling `Date.now()`. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** The calendar date (`YYYY-MM-DD`) of an instant in UTC: contract dates and rating days are UTC days. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10)

/** A clock that stands still until moved; for tests and replays. */
export const fixedClock = (start: Date | string) => {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (at: Date | string) => {
      current = new Date(at)
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms)
    },
  }
}
