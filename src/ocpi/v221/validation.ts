// Turns zod validation failures into the short, human text of an OCPI 2001
// `status_message`: one line per issue, `path: problem`, e.g.
// `evses[0].connectors[0].power_type: required`.
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

/** More lines than this are summarised, so one broken list cannot flood a status_message. */
const MAX_LINES = 20
/** Enums up to this size are listed in full; larger ones (ConnectorType) are not. */
const MAX_LISTED_VALUES = 6

export const REQUIRED = 'required'
export const NOT_NULL = 'must not be null'

/**
 * Error map for enums: zod reports a missing or null enum value as an "invalid option",
 * and drops the input from the issue, so the schema has to say it while it still knows.
 * Pass as `z.enum(values, { error: missingOrNull })` (common.schema.ts `ocpiEnum` does).
 */
export function missingOrNull(issue: { input?: unknown }): string | undefined {
  if (issue.input === undefined) return REQUIRED
  if (issue.input === null) return NOT_NULL
  return undefined // zod's default message; describeProblem rewrites it
}

export function describeZodError(error: z.ZodError): string {
  return describeZodIssues(error.issues)
}

/** Same as describeZodError, for callers that only hold the issues (e.g. Fastify's error). */
export function describeZodIssues(issues: readonly Issue[]): string {
  const lines = issues.slice(0, MAX_LINES).map((issue) => `${formatPath(issue.path)}: ${describeProblem(issue)}`)
  if (issues.length > MAX_LINES) lines.push(`... and ${issues.length - MAX_LINES} more`)
  return lines.join('\n')
}

/**
 * One item of a Fastify validation error built by fastify-type-provider-zod: the zod issue
 * with its code as `keyword`, its path as `instancePath` ('/evses/0/uid') and the rest of
 * its fields in `params`.
 */
export interface FastifyValidationItem {
  keyword: string
  instancePath: string
  message?: string | undefined
  params: Record<string, unknown>
}

/** describeZodError for `error.validation` in a Fastify error handler. */
export function describeFastifyValidation(items: readonly FastifyValidationItem[]): string {
  return describeZodIssues(items.map(toIssue))
}

// OCPI has no numeric object keys, so numeric path segments are array indexes.
function toIssue(item: FastifyValidationItem): Issue {
  const path = item.instancePath
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))
  return { ...item.params, code: item.keyword, path, message: item.message ?? '' } as Issue
}

/** `['evses', 0, 'uid']` → `evses[0].uid`; the empty path is the body itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

/** One issue in words (`required`, `must be one of …`), as a 2001 line says it after the path. */
export function describeProblem(issue: Issue): string {
  if (issue.message === REQUIRED || issue.message === NOT_NULL) return issue.message
  switch (issue.code) {
    case 'invalid_type':
      return describeType(issue)
    case 'invalid_value':
      return describeValues(issue.values)
    case 'too_big':
      return describeBound('at most', issue.origin, issue.maximum, issue.inclusive)
    case 'too_small':
      return describeBound('at least', issue.origin, issue.minimum, issue.inclusive)
    case 'invalid_union':
      return describeUnion(issue.errors)
    default:
      // invalid_format and custom carry the messages written next to the checks.
      return issue.message
  }
}

// zod 4 drops the offending input from issues (unless parsed with reportInput), so the
// only trace of "the key was missing" is the received type in the default English message.
function describeType(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const received = /received (\w+)$/.exec(issue.message)?.[1]
  if (received === 'undefined') return REQUIRED
  if (received === 'null') return NOT_NULL
  const expected = issue.expected === 'int' ? 'an integer' : issue.expected
  return received ? `expected ${expected}, got ${received}` : `expected ${expected}`
}

// When every alternative fails the same way (typically: the field is missing), say that;
// otherwise the alternatives' own messages would be noise.
function describeUnion(branches: readonly (readonly Issue[])[]): string {
  const problems = new Set(branches.map((issues) => (issues[0] ? describeProblem(issues[0]) : '')))
  const [only] = problems
  return problems.size === 1 && only ? only : 'does not match any allowed form'
}

function describeValues(values: readonly unknown[]): string {
  const shown = values.map((v) => String(v))
  if (shown.length === 1) return `must be ${shown[0]}`
  if (shown.length <= MAX_LISTED_VALUES) return `must be one of ${shown.join(', ')}`
  return `not an allowed value (${shown.length} choices, e.g. ${shown.slice(0, 3).join(', ')})`
}

function describeBound(word: 'at most' | 'at least', origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const n = Number(limit)
  if (origin === 'string') return `must be ${word} ${n} characters long`
  if (origin === 'array' || origin === 'set') {
    if (word === 'at least' && n === 1) return 'must not be empty'
    return `must have ${word} ${n} items`
  }
  return inclusive === false ? `must be ${word === 'at most' ? 'below' : 'above'} ${n}` : `must be ${word} ${n}`
}
