// Calendar-date arithmetic on `YYYY-MM-DD` strings (UTC days, as the customers area stores them).
// Months are `YYYY-MM`. Everything here is total and pure.

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

export const parseDay = (day: string) => ({ y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)), d: Number(day.slice(8, 10)) })
export const formatDay = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`

export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate()

export const addDays = (day: string, n: number): string => {
  const { y, m, d } = parseDay(day)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Year and month `k` months after (y, m); `k` may be negative. */
export const shiftMonth = (y: number, m: number, k: number) => {
  const index = y * 12 + (m - 1) + k
  return { y: Math.floor(index / 12), m: (index % 12) + 1 }
}

export const monthOf = (day: string): string => day.slice(0, 7)
export const firstDayOf = (month: string): string => `${month}-01`
export const lastDayOf = (month: string): string => {
  const { y, m } = parseDay(`${month}-01`)
  return formatDay(y, m, daysInMonth(y, m))
}
export const nextMonth = (month: string): string => {
  const { y, m } = parseDay(`${month}-01`)
  const n = shiftMonth(y, m, 1)
  return `${pad(n.y, 4)}-${pad(n.m)}`
}
export const previousMonth = (month: string): string => {
  const { y, m } = parseDay(`${month}-01`)
  const n = shiftMonth(y, m, -1)
  return `${pad(n.y, 4)}-${pad(n.m)}`
}

/** Whether `day` lies in `[from, to]` (inclusive; `to` null = open-ended). */
export const within = (day: string, from: string, to: string | null | undefined) => day >= from && (!to || day <= to)

export const isMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s)
