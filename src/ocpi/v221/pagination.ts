import { z } from 'zod'
import { InvalidParametersError } from './errors.js'

/**
 * Pagination of the lists we serve (OCPI 2.2.1 transport_and_format, "Pagination"):
 * `date_from` inclusive, `date_to` exclusive on `last_updated`, `offset`, and `limit` capped by our
 * maximum; the answer carries `X-Total-Count`, `X-Limit` and a `Link` with rel="next" while more remain.
 */
export const PaginationQuery = z.object({
  date_from: z.string().optional(),
  date_to: z.string().optional(),
  offset: z.string().regex(/^\d+$/, 'must be a non-negative integer').optional(),
  limit: z.string().regex(/^\d+$/, 'must be a non-negative integer').optional(),
})
export type PaginationQuery = z.infer<typeof PaginationQuery>

export interface Page {
  dateFrom?: Date
  dateTo?: Date
  offset: number
  limit: number
}

const OCPI_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$/

/**
 * The general reader of an OCPI DateTime (regex, then the platform's ISO parser): UTC, `Z` optional,
 * fractional seconds allowed. `parseOcpiDateTime` answers exactly as this one does.
 */
export const parseOcpiDateTimeGeneral = (value: string): Date | undefined => {
  if (!OCPI_DATETIME.test(value)) return undefined
  const at = new Date(value.endsWith('Z') ? value : `${value}Z`)
  return Number.isNaN(at.getTime()) ? undefined : at
}

/** Two ASCII digits at `i` as a number, -1 if either is not a digit. */
const twoDigits = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48
  const b = s.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * The fast path: the common shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}][Z]` read at fixed positions, with
 * every field inside the ranges where `Date.UTC` and the ISO parser agree (year 1000 or later, month
 * 1–12, day 1–31 (the 31st of a shorter month rolls over in both), hour 0–23, minute and second
 * 0–59; fractions cut to milliseconds as the ISO parser does). Undefined for anything else, which
 * the general reader then decides (hour 24, an invalid string, …). Pinned against the general reader
 * by test/ocpi/datetime.test.ts. Every CDR period has one of these, so it runs per period.
 */
export const ocpiDateTimeMsFast = (value: string): number | undefined => {
  const n = value.length
  if (
    n < 19 ||
    n > 30 ||
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 || // T
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58
  )
    return undefined
  const century = twoDigits(value, 0)
  const yy = twoDigits(value, 2)
  const month = twoDigits(value, 5)
  const day = twoDigits(value, 8)
  const hour = twoDigits(value, 11)
  const minute = twoDigits(value, 14)
  const second = twoDigits(value, 17)
  if (century < 10 || yy < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  const end = value.charCodeAt(n - 1) === 90 ? n - 1 : n // Z
  let ms = 0
  if (end > 19) {
    // a fraction: '.' and 1 to 9 digits
    if (value.charCodeAt(19) !== 46 || end === 20 || end > 29) return undefined
    let scale = 100
    for (let i = 20; i < end; i++) {
      const digit = value.charCodeAt(i) - 48
      if (digit < 0 || digit > 9) return undefined
      ms += digit * scale
      scale = (scale / 10) | 0
    }
  }
  return Date.UTC(century * 100 + yy, month - 1, day, hour, minute, second, ms)
}

/** OCPI DateTime to Date: UTC, `Z` optional, fractional seconds allowed. Undefined when invalid. */
export const parseOcpiDateTime = (value: string): Date | undefined => {
  const ms = ocpiDateTimeMsFast(value)
  return ms === undefined ? parseOcpiDateTimeGeneral(value) : new Date(ms)
}

/** The same as `parseOcpiDateTime(value)?.getTime()`, without the Date. */
export const ocpiDateTimeMs = (value: string): number | undefined => ocpiDateTimeMsFast(value) ?? parseOcpiDateTimeGeneral(value)?.getTime()

export const toPage = (query: PaginationQuery, maxLimit: number): Page => {
  const date = (name: 'date_from' | 'date_to') => {
    const raw = query[name]
    if (raw === undefined) return undefined
    const at = parseOcpiDateTime(raw)
    if (!at) throw new InvalidParametersError(`${name}: not an OCPI DateTime (e.g. 2026-01-31T12:00:00Z)`)
    return at
  }
  const limit = query.limit === undefined ? maxLimit : Math.min(Number(query.limit), maxLimit)
  return { dateFrom: date('date_from'), dateTo: date('date_to'), offset: Number(query.offset ?? 0), limit }
}

/** Response headers for one page; `url` is the public URL of the list without query. */
export const pageHeaders = (url: string, page: Page, returned: number, total: number, maxLimit: number) => {
  const headers: Record<string, string> = { 'X-Total-Count': String(total), 'X-Limit': String(maxLimit) }
  const nextOffset = page.offset + returned
  if (returned > 0 && nextOffset < total) {
    const next = new URLSearchParams()
    if (page.dateFrom) next.set('date_from', page.dateFrom.toISOString())
    if (page.dateTo) next.set('date_to', page.dateTo.toISOString())
    next.set('offset', String(nextOffset))
    next.set('limit', String(page.limit))
    headers.Link = `<${url}?${next.toString()}>; rel="next"`
  }
  return headers
}

/** The URL in a `Link` header with rel="next", if any. */
export const nextLink = (link: string | null | undefined): string | undefined => {
  if (!link) return undefined
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim())
    if (match && /rel="?next"?/i.test(match[2] ?? '')) return match[1]
  }
  return undefined
}
