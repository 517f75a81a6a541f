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

/** OCPI DateTime to Date: UTC, `Z` optional, fractional seconds allowed. Undefined when invalid. */
export const parseOcpiDateTime = (value: string): Date | undefined => {
  if (!OCPI_DATETIME.test(value)) return undefined
  const at = new Date(value.endsWith('Z') ? value : `${value}Z`)
  return Number.isNaN(at.getTime()) ? undefined : at
}

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
