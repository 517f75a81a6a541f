// Contract dates and monthly periods, from the price lists' footnotes (DE/SI/EE, identical wording):
// "the contract date is the day of the month before the day the package was booked (booked on the
// 7th: the 6th of every following month); where that day does not exist in a month, the last day
// of that month". The same rule is used for the charging contract's own contract date
// (interpretation, see README).
import { addDays, daysInMonth, formatDay, parseDay, shiftMonth } from './calendar.js'

/**
 * The k-th contract date (k ≥ 1) of something that started on `start`: the day before the start's
 * day of month, in the k-th month after the start month, clamped to that month's last day.
 * Started on the 1st, "the day before" is the last day of the previous month, so the k-th contract
 * date is the last day of the (k-1)-th following month (booked 1 March: 31 March, 30 April, …).
 */
export const contractDate = (start: string, k: number): string => {
  const { y, m, d } = parseDay(start)
  if (d === 1) {
    const t = shiftMonth(y, m, k - 1)
    return formatDay(t.y, t.m, daysInMonth(t.y, t.m))
  }
  const t = shiftMonth(y, m, k)
  return formatDay(t.y, t.m, Math.min(d - 1, daysInMonth(t.y, t.m)))
}

export interface Period {
  /** 1-based: period 1 is the initial term. */
  index: number
  from: string
  /** Inclusive; a contract date. */
  to: string
}

/** The k-th monthly period: from the day after the (k-1)-th contract date (the start for k = 1) to the k-th. */
export const periodAt = (start: string, k: number): Period => ({
  index: k,
  from: k === 1 ? start : addDays(contractDate(start, k - 1), 1),
  to: contractDate(start, k),
})

/**
 * The periods that begin in `[from, to]` (inclusive days), of something running from `start` until
 * `end` (inclusive; null = open-ended). A period that begins after `end` is not billed.
 */
export const periodsBeginningIn = (start: string, end: string | null | undefined, from: string, to: string): Period[] => {
  const out: Period[] = []
  for (let k = 1; ; k++) {
    const p = periodAt(start, k)
    if (p.from > to || (end && p.from > end)) return out
    if (p.from >= from) out.push(p)
    if (k > 1200) return out // 100 years: a guard against a bad start date, never reached in practice
  }
}

/**
 * When a cancellation given on `noticeDay` takes effect: the first contract date on or after it
 * (the notice is therefore at most one month). The initial term is one month, so the earliest is
 * the first contract date.
 */
export const cancellationDate = (start: string, noticeDay: string): string => {
  for (let k = 1; ; k++) {
    const d = contractDate(start, k)
    if (d >= noticeDay) return d
  }
}
