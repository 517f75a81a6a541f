// What the operator command lines (`npm run admin`, `npm run replay`) share: strict option parsing
// with plain messages, and a plain message for a service that cannot be reached.
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A mistake on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const USAGE_EXIT = 2

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * `node:util` parseArgs in strict mode: `--opt value` and `--opt=value` both work, an option that
 * is not declared is refused (a UsageError naming it) instead of being ignored.
 */
export const parseCommandLine = <O extends Options>(args: string[], options: O) => {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err
    const unknown = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1]
    // parseArgs' hint about `--` is wrong under `npm run`, which swallows the first `--`.
    throw new UsageError(unknown ? `unknown option '${unknown}'` : (err as Error).message)
  }
}

/** An http(s) base URL without trailing slashes, or a UsageError naming the option. */
export const baseUrl = (value: string, option = '--url') => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${option} must be an http(s) URL such as http://localhost:3000, not '${value}'`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${option} must be an http(s) URL, not '${value}'`)
  return value.replace(/\/+$/, '')
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
])

/** A sentence for an error that means the service at `url` cannot be reached, else undefined. */
export const unreachableMessage = (err: unknown, url: string): string | undefined => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code && NETWORK_CODES.has(e.code))
      return `cannot reach the service at ${url} (${e.code}); is it running there? Give its address with --url`
  }
  return undefined
}
