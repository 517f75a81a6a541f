import type { Dispatcher } from 'undici'
import { request } from 'undici'
import type { FastifyBaseLogger } from 'fastify'
import type { Ids } from '../../platform/ids.js'
import { authorizationHeader, type TokenEncoding } from './auth.js'
import type { Envelope } from './envelope.js'

/** Who an outbound request goes to and what it proves itself with. */
export interface OcpiTarget {
  token: string
  encoding: TokenEncoding
}

export interface RoutingHeaders {
  fromCountryCode: string
  fromPartyId: string
  toCountryCode?: string
  toPartyId?: string
}

export interface OcpiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  target: OcpiTarget
  body?: unknown
  correlationId?: string
  routing?: RoutingHeaders
  /** A tighter bound than the dispatcher's for this call (headers and body), e.g. a command send. */
  timeoutMs?: number
}

export interface OcpiReply<T> {
  httpStatus: number
  headers: Record<string, string | undefined>
  envelope: Envelope<T>
  requestId: string
}

export type OcpiClientErrorKind = 'network' | 'timeout' | 'unauthorized' | 'http' | 'invalid_response'

/** An outbound call that produced no usable OCPI envelope. */
export class OcpiClientError extends Error {
  constructor(
    readonly kind: OcpiClientErrorKind,
    message: string,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'OcpiClientError'
  }
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

/** `Retry-After` as milliseconds: seconds or an HTTP date. */
export const retryAfterMs = (value: string | undefined, now: Date): number | undefined => {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime())
}

/**
 * The OCPI client all outbound calls go through: sets Authorization (per-partner encoding),
 * X-Request-ID, X-Correlation-ID and the routing headers, parses the envelope, and turns
 * transport problems into `OcpiClientError`. It does not retry; callers own their retry policy.
 */
export const createOcpiClient = (deps: { dispatcher: Dispatcher; ids: Ids; log: FastifyBaseLogger }) => {
  const call = async <T = unknown>(req: OcpiCall): Promise<OcpiReply<T>> => {
    const requestId = deps.ids.uuid()
    const headers: Record<string, string> = {
      authorization: authorizationHeader(req.target.token, req.target.encoding),
      'x-request-id': requestId,
      'x-correlation-id': req.correlationId ?? deps.ids.uuid(),
      accept: 'application/json',
    }
    if (req.body !== undefined) headers['content-type'] = 'application/json'
    if (req.routing) {
      headers['ocpi-from-country-code'] = req.routing.fromCountryCode
      headers['ocpi-from-party-id'] = req.routing.fromPartyId
      if (req.routing.toCountryCode) headers['ocpi-to-country-code'] = req.routing.toCountryCode
      if (req.routing.toPartyId) headers['ocpi-to-party-id'] = req.routing.toPartyId
    }
    const started = performance.now()
    let response: Dispatcher.ResponseData
    try {
      response = await request(req.url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher: deps.dispatcher,
        ...(req.timeoutMs ? { headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs } : {}),
      })
    } catch (err) {
      const code = (err as { code?: string }).code ?? ''
      const kind = /TIMEOUT/i.test(code) ? 'timeout' : 'network'
      deps.log.warn({ requestId, method: req.method, url: req.url, code }, 'OCPI call failed')
      throw new OcpiClientError(kind, `${req.method} ${req.url}: ${kind} (${code || (err as Error).message})`)
    }
    const text = await response.body.text()
    const replyHeaders = Object.fromEntries(Object.keys(response.headers).map((name) => [name, header(response.headers, name)]))
    deps.log.info(
      { requestId, method: req.method, url: req.url, status: response.statusCode, ms: Math.round(performance.now() - started) },
      'OCPI call',
    )
    if (response.statusCode === 401) {
      throw new OcpiClientError('unauthorized', `${req.method} ${req.url}: HTTP 401`, 401)
    }
    let envelope: Envelope<T> | undefined
    try {
      const parsed = JSON.parse(text) as Envelope<T>
      if (parsed && typeof parsed === 'object' && typeof parsed.status_code === 'number') envelope = parsed
    } catch {
      // handled below: a non-JSON answer is not an OCPI answer
    }
    if (!envelope) {
      const kind = response.statusCode >= 400 ? 'http' : 'invalid_response'
      throw new OcpiClientError(
        kind,
        `${req.method} ${req.url}: HTTP ${response.statusCode} without an OCPI envelope`,
        response.statusCode,
        retryAfterMs(replyHeaders['retry-after'], new Date()),
      )
    }
    return { httpStatus: response.statusCode, headers: replyHeaders, envelope, requestId }
  }
  return { call }
}

export type OcpiClient = ReturnType<typeof createOcpiClient>

/** Joins a base URL and path segments with exactly one slash between them. */
export const joinUrl = (base: string, ...segments: string[]): string =>
  [base.replace(/\/+$/, ''), ...segments.map((s) => encodeURIComponent(s))].join('/')
