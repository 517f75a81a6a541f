import type { FastifyInstance, FastifyRequest } from 'fastify'
import { DomainError } from './errors.js'

/**
 * Text and numbers that parse fine but cannot be stored: PostgreSQL refuses a NUL character in
 * text and JSON, a lone UTF-16 surrogate (`"\ud800"`, valid JSON) in JSON, integers beyond bigint and
 * timestamps outside years 1-9999 (JavaScript reads year 0 and +99999). Left alone they reach the
 * database and come back as a 500; refused here they are a 400 naming the field, on every surface.
 */
export class HostileInputError extends DomainError {
  /** Fastify's error handlers (OCPI, portal, console) read `statusCode`. */
  readonly statusCode = 400
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super('invalid_request', `${field}: ${problem}`, 400, { field })
    this.name = 'HostileInputError'
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the NUL is the point
const NUL = /\u0000/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/**
 * The year of a string that starts like an ISO 8601 date-time (`2026-01-31T…`, `+099999-01-31T…`);
 * a time is required so that ids such as `10001-01-01` stay text (date-only values that the database
 * refuses are caught by the storage-refusal net below).
 */
const DATE_START = /^([+-]\d{6}|\d{4,6})-\d{2}-\d{2}[T ]\d{2}:\d{2}/
/** Query parameters that are counts (pagination on every surface); a bigint cannot hold more. */
const COUNTS = new Set(['offset', 'limit'])

/** What is wrong with one text value, if anything. */
export const textProblem = (value: string): string | undefined => {
  if (NUL.test(value)) return 'contains a NUL character (\\u0000), which cannot be stored'
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (e.g. \\ud800), which is not text'
  const year = DATE_START.exec(value)?.[1]
  if (year !== undefined && (Number(year) < 1 || Number(year) > 9999)) return `the year ${Number(year)} is outside 1-9999`
  return undefined
}

const member = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`

/** The first unstorable value in a parsed body, query or params object, as `[field path, problem]`. */
export const findHostile = (value: unknown, path: string, depth = 0): [string, string] | undefined => {
  if (typeof value === 'string') {
    const problem = textProblem(value)
    return problem ? [path, problem] : undefined
  }
  if (depth > 64 || value === null || typeof value !== 'object') return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findHostile(value[i], member(path, i), depth + 1)
      if (found) return found
    }
    return undefined
  }
  for (const [key, v] of Object.entries(value)) {
    const keyProblem = NUL.test(key) || LONE_SURROGATE.test(key)
    if (keyProblem) return [member(path, key), 'the key contains a NUL character or a lone surrogate']
    const found = findHostile(v, member(path, key), depth + 1)
    if (found) return found
  }
  return undefined
}

const countProblem = (query: unknown): [string, string] | undefined => {
  if (!query || typeof query !== 'object') return undefined
  for (const [key, v] of Object.entries(query)) {
    if (COUNTS.has(key) && typeof v === 'string' && /^\s*\+?\d+\s*$/.test(v) && Number(v) > Number.MAX_SAFE_INTEGER) {
      return [`query.${key}`, `must be at most ${Number.MAX_SAFE_INTEGER}`]
    }
  }
  return undefined
}

/** Throws a HostileInputError for the first unstorable value of a request (params, query, body). */
export const checkRequest = (req: Pick<FastifyRequest, 'params' | 'query' | 'body'>) => {
  const found =
    findHostile(req.params, 'params') ?? findHostile(req.query, 'query') ?? countProblem(req.query) ?? findHostile(req.body, 'body')
  if (found) throw new HostileInputError(...found)
}

/**
 * Installs the check on every route of `app` (call on the root instance before the surfaces are
 * registered). It runs after parsing and before schema validation, so every surface answers in
 * its own error shape: OCPI 400 + 2001, admin/app 400 `invalid_request`, portal and console a page.
 */
export const refuseHostileInput = (app: FastifyInstance) => {
  app.addHook('preValidation', async (req) => checkRequest(req))
  app.addHook('onRoute', (route) => {
    const handler = route.handler
    route.handler = function (this: FastifyInstance, req, reply) {
      try {
        const result = handler.call(this, req, reply) as unknown
        return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(asStorageRefusal(err))) : result
      } catch (err) {
        throw asStorageRefusal(err)
      }
    } as typeof handler
  })
}

/** SQLSTATE class 22 (data exception: out of range, too long, not representable) and 54000 (e.g. index row too large). */
const STORAGE_REFUSAL = /^(22...|54000)$/

/** The PostgreSQL (or PGlite) error behind `err`, if it says a value cannot be stored. */
const storageRefusalOf = (err: unknown, depth = 0): { message: string } | undefined => {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null
  if (!e || typeof e !== 'object' || depth > 4) return undefined
  if (typeof e.code === 'string' && STORAGE_REFUSAL.test(e.code) && typeof e.message === 'string') return { message: e.message }
  return storageRefusalOf(e.cause, depth + 1)
}

/**
 * The safety net behind the check above: a value that passed every schema but that the database
 * refuses (a number beyond an integer column, a text beyond its column) is the request's fault,
 * a 400 saying what the database said, not a 500. The field is not known here; schemas that bound
 * their numbers name it.
 */
export const asStorageRefusal = (err: unknown): unknown => {
  const refusal = storageRefusalOf(err)
  return refusal ? new HostileInputError('request', `a value cannot be stored (${refusal.message.split('\n')[0]!.slice(0, 120)})`) : err
}

/** The first path segment that is not valid percent-encoded UTF-8 (e.g. `%ED%A0%80`, a lone surrogate). */
const badSegment = (path: string) =>
  path.split('/').find((segment) => {
    try {
      decodeURIComponent(segment)
      return false
    } catch {
      return true
    }
  })

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (FST_ERR_BAD_URL) or a path parameter
 * over its length (FST_ERR_MAX_PARAM_LENGTH) fails before any surface's error handler; answer it in
 * the shape of the surface the path belongs to. `ocpiFailure` builds the OCPI envelope (2001).
 */
export const frameworkErrorsBySurface =
  (ocpiFailure: (message: string) => unknown) =>
  (err: { code?: string; statusCode?: number; message: string }, req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const path = req.url.split('?')[0] ?? ''
    const segment = err.code === 'FST_ERR_BAD_URL' ? badSegment(path) : undefined
    const message =
      segment !== undefined
        ? `path segment '${segment}' is not valid percent-encoded UTF-8 (a lone surrogate or a broken escape)`
        : err.message
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400
    if (path.startsWith('/ocpi/') || path === '/ocpi') return reply.code(status).send(ocpiFailure(message))
    if (path.startsWith('/admin/') || path.startsWith('/app/'))
      return reply.code(status).send({ code: 'invalid_request', message, request_id: req.id })
    return reply.code(status).type('text/plain; charset=utf-8').send(message)
  }
