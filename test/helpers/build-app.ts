import type { FastifyInstance } from 'fastify'
import { request } from 'undici'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom, type Config } from '../../src/config.js'
import type { Database } from '../../src/db/client.js'
import type { Clock } from '../../src/platform/clock.js'
import { loggerOptions } from '../../src/platform/logger.js'
import { freshDatabase } from './db.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'

export interface TestApp {
  app: FastifyInstance
  database: Database
  config: Config
  /** Base URL the app listens on (http://localhost:<port>). */
  url: string
  /** Calls the admin API with the admin token. */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  /** Calls an /ocpi URL as a partner would, with an Authorization header value (or none). */
  ocpi<T = any>(
    method: string,
    path: string,
    opts?: { authorization?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Record<string, unknown> }>
}

/** The real app on a fresh database, listening on an ephemeral port; closed when the test ends. */
export const startTestApp = async (
  t: { teardown(fn: () => unknown): void },
  opts: {
    env?: Record<string, string>
    clock?: Clock
    database?: Database
    startJobs?: boolean
    logStream?: { write(line: string): void }
  } = {},
): Promise<TestApp> => {
  // PASSWORD_SCRYPT_COST 12: a password hash in 5 ms instead of 0.35 s (production refuses less than 17)
  const config = configFrom({ ADMIN_TOKEN, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', PASSWORD_SCRYPT_COST: '12', ...opts.env })
  const database = opts.database ?? (await freshDatabase(t))
  // With a logStream the product's own logger options (redaction included) are used at trace level.
  const logger = opts.logStream
    ? { ...(loggerOptions({ logLevel: 'trace' }) as object), level: 'trace', stream: opts.logStream }
    : process.env.TEST_LOG
      ? { level: process.env.TEST_LOG }
      : false
  const app = await buildApp({ config, database, clock: opts.clock, logger, closeDatabase: false, startJobs: opts.startJobs ?? false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const url = publicUrl(app, config)
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await request(`${url}${path}`, {
      method: method as 'GET',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.body.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON (e.g. a PDF or an HTML page): keep the text
    }
    return { status: res.statusCode, body: parsed as any, headers: res.headers as Record<string, unknown> }
  }
  return {
    app,
    database,
    config,
    url,
    admin: (method, path, body) => call(method, `/admin/v1${path}`, { authorization: `Bearer ${ADMIN_TOKEN}` }, body),
    ocpi: (method, path, o = {}) =>
      call(method, path, { ...(o.authorization ? { authorization: o.authorization } : {}), ...o.headers }, o.body),
  }
}

/** `Token <base64>` as OCPI 2.2.1 sends it. */
export const tokenHeader = (token: string) => `Token ${Buffer.from(token, 'utf8').toString('base64')}`
