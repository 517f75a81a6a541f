// The generic pull engine: walks a partner's paginated Sender list (OCPI 2.2.1 transport
// "Pagination") page by page, following `Link` headers, retrying a failed page with backoff
// (honouring Retry-After on 429), and never looping. It knows nothing about modules: each page's
// items go to `onPage`.
import type { FastifyBaseLogger } from 'fastify'
import { OcpiClientError, retryAfterMs, type OcpiClient, type OcpiTarget, type RoutingHeaders } from '../v221/client.js'
import { nextLink } from '../v221/pagination.js'

export interface PullOptions {
  client: Pick<OcpiClient, 'call'>
  /** The partner's module URL (the list, without query). */
  url: string
  target: OcpiTarget
  /** OCPI-from/to of every page (functional module: always set). */
  routing: RoutingHeaders
  /** Objects with `last_updated` at or after this (delta pulls; sessions and CDRs always). */
  dateFrom?: Date
  /** Page size we ask for; the partner may answer fewer (its X-Limit). */
  limit: number
  /** Attempts per page before the pull gives up. */
  attempts: number
  backoffMs: (attempt: number) => number
  /** Longest Retry-After we wait before giving up on a page. */
  maxRetryAfterMs: number
  /** Safety cap: a pull never requests more pages than this. */
  maxPages: number
  sleep: (ms: number) => Promise<void>
  onPage: (items: unknown[], page: number) => Promise<void>
  log: FastifyBaseLogger
  correlationId?: string
}

export interface PullOutcome {
  pages: number
  /** False when a page could not be read or the walk had to stop early: the list was not seen whole. */
  completed: boolean
  errors: string[]
}

export const firstPageUrl = (url: string, limit: number, dateFrom?: Date) => {
  const u = new URL(url)
  if (dateFrom) u.searchParams.set('date_from', dateFrom.toISOString())
  u.searchParams.set('offset', '0')
  u.searchParams.set('limit', String(limit))
  return u.toString()
}

/**
 * The next page: the `Link` rel="next" when given; otherwise, when `X-Total-Count` says more
 * remain, offset + what we received with at most `X-Limit` (servers that forget the Link).
 */
const nextPageUrl = (current: string, headers: Record<string, string | undefined>, received: number, limit: number) => {
  const linked = nextLink(headers['link'])
  if (linked) return linked
  const total = Number(headers['x-total-count'])
  if (!Number.isFinite(total) || received === 0) return undefined
  const u = new URL(current)
  const offset = Number(u.searchParams.get('offset') ?? 0) + received
  if (offset >= total) return undefined
  const serverLimit = Number(headers['x-limit'])
  u.searchParams.set('offset', String(offset))
  u.searchParams.set('limit', String(Number.isFinite(serverLimit) && serverLimit > 0 ? Math.min(limit, serverLimit) : limit))
  return u.toString()
}

type PageAnswer = { items: unknown[]; headers: Record<string, string | undefined> }

const fetchPage = async (o: PullOptions, url: string): Promise<PageAnswer> => {
  for (let attempt = 1; ; attempt++) {
    let delay: number
    try {
      const reply = await o.client.call<unknown[]>({
        method: 'GET',
        url,
        target: o.target,
        routing: o.routing,
        correlationId: o.correlationId,
      })
      if (reply.envelope.status_code === 1000 && Array.isArray(reply.envelope.data))
        return { items: reply.envelope.data, headers: reply.headers }
      const problem =
        `GET ${url}: HTTP ${reply.httpStatus}, OCPI status ${reply.envelope.status_code} ${reply.envelope.status_message ?? ''}`.trim()
      if (attempt >= o.attempts) throw new Error(problem)
      // A 429 may come with an OCPI envelope: its Retry-After still rules.
      const retryAfter = retryAfterMs(reply.headers['retry-after'], new Date())
      if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs)
        throw new Error(`${problem}; Retry-After ${retryAfter} ms is too long`)
      delay = retryAfter ?? o.backoffMs(attempt)
    } catch (err) {
      const e = err as Error
      if (err instanceof OcpiClientError && err.kind === 'unauthorized') throw e
      if (attempt >= o.attempts) throw e
      const retryAfter = err instanceof OcpiClientError ? err.retryAfterMs : undefined
      if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs)
        throw new Error(`${e.message}; Retry-After ${retryAfter} ms is too long`)
      delay = retryAfter ?? o.backoffMs(attempt)
    }
    o.log.warn({ url, attempt, retryInMs: delay }, 'page failed; retrying')
    await o.sleep(delay)
  }
}

type Fetched = { answer: PageAnswer } | { error: Error }

/** Starts reading a page; the outcome is captured so a failure waits, unobserved, until its turn. */
const startFetch = (o: PullOptions, url: string): Promise<Fetched> =>
  fetchPage(o, url).then(
    (answer) => ({ answer }),
    (error: Error) => ({ error }),
  )

/**
 * Reads the whole list (or what can be read of it); stops at the first page that keeps failing.
 * The next page is read while the current one is stored (its URL is known from the current answer),
 * so the partner's latency overlaps our writes; pages are still handed to `onPage` one at a time, in order.
 */
export const pullPages = async (o: PullOptions): Promise<PullOutcome> => {
  const visited = new Set<string>()
  const errors: string[] = []
  let pages = 0
  const next = (url: string | undefined): Promise<Fetched> | string | undefined => {
    if (!url) return undefined
    if (visited.has(url)) return `the partner's next link points to a page already read (${url}); stopped`
    if (pages + 1 > o.maxPages) return `stopped after ${o.maxPages} pages`
    visited.add(url)
    return startFetch(o, url)
  }
  let url = firstPageUrl(o.url, o.limit, o.dateFrom)
  let pending = next(url)
  while (pending !== undefined) {
    if (typeof pending === 'string') {
      errors.push(pending)
      return { pages, completed: false, errors }
    }
    const fetched = await pending
    if ('error' in fetched) {
      errors.push(`page ${pages + 1}: ${fetched.error.message}`)
      return { pages, completed: false, errors }
    }
    const { answer } = fetched
    pages++
    const nextUrl = nextPageUrl(url, answer.headers, answer.items.length, o.limit)
    pending = next(nextUrl)
    await o.onPage(answer.items, pages)
    o.log.info({ url, page: pages, items: answer.items.length }, 'pulled page')
    if (nextUrl) url = nextUrl
  }
  return { pages, completed: true, errors }
}
