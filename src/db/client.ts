import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema/index.js'

export type Schema = typeof schema
/** The database handle every repository takes; a transaction (`tx`) has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>

export interface Database {
  db: Db
  kind: 'postgres' | 'pglite'
  /** Throws when the database does not answer. */
  ping(): Promise<void>
  /** PostgreSQL LISTEN/NOTIFY (postgres.js keeps one listening connection per process); absent on PGlite. */
  notifications?: {
    /** `onListen` runs at each (re)connection of the listening connection. */
    listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<{ unlisten(): Promise<void> }>
    notify(channel: string, payload: string): Promise<void>
  }
  close(): Promise<void>
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url))

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string
  /** Folder for the embedded database (PGlite); created when missing. */
  dataDir?: string
  /** An already opened PGlite (tests start from a migrated snapshot). */
  pglite?: PGlite
  /** Connections in the postgres.js pool. */
  poolSize?: number
  /** Called with the text of every statement sent (PostgreSQL only): benchmarks count statements per unit of work. */
  onStatement?: (text: string) => void
  /** Apply the migrations in drizzle/ (default true). */
  migrate?: boolean
}

/** Opens PostgreSQL (postgres.js) or the embedded PGlite and applies the migrations in drizzle/. */
export const openDatabase = async (options: OpenDatabaseOptions): Promise<Database> => {
  const database = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onStatement)
    : await openPglite(options)
  if (options.migrate !== false) await database.migrate()
  return database
}

/** The advisory lock key instances hold while migrating ("emsp" + "mig" as bytes). */
export const MIGRATION_LOCK_KEY = 0x656d7370_6d6967n

/** postgres.js error codes (and socket errors) meaning the connection itself is gone. */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])
/** Whether `err` (or its cause: drizzle wraps driver errors) says the connection is gone. */
export const isConnectionLost = (err: unknown, depth = 0): boolean => {
  const e = err as { code?: unknown; cause?: unknown } | null
  if (!e || typeof e !== 'object' || depth > 4) return false
  return (typeof e.code === 'string' && CONNECTION_LOST.has(e.code)) || isConnectionLost(e.cause, depth + 1)
}

type TxSql = { unsafe: (...a: unknown[]) => unknown; savepoint: (...a: unknown[]) => Promise<unknown> }
type TxFn = (sql: TxSql) => unknown

/**
 * Transactions that survive their connection dying (postgres.js 3.4.9, porsager/postgres#1133,
 * #1208). When the server ends a connection inside `begin()` (pg_terminate_backend, a failover, an
 * idle-in-transaction timeout), `begin()` rejects with CONNECTION_CLOSED, as it should; but the
 * failed callback then makes postgres.js write its own ROLLBACK (or COMMIT, or the callback's next
 * query) to the connection whose socket is already null, from a setImmediate: an uncaught TypeError
 * that ends the process, or, once the pool has reconnected, statements running outside the
 * transaction. So a transaction whose connection is lost never hands control back to postgres.js:
 * its callback stays pending (nothing more is written), further queries of it are refused, and the
 * caller gets the CONNECTION_CLOSED error from `begin()` (or from the callback, should `begin()`
 * not settle within a second). Savepoints (nested transactions) are guarded the same way.
 */
export const guardTransactions = <T extends object>(client: T): T => {
  const guardScope = (run: (fn: (sql: TxSql) => Promise<unknown>) => Promise<unknown>, fn: TxFn): Promise<unknown> => {
    let lost: unknown
    let reportLoss: (err: unknown) => void = () => {}
    const reported = new Promise<never>((_, reject) => (reportLoss = (err) => setTimeout(() => reject(err), 1000).unref()))
    const scope = run((sql) =>
      Promise.resolve()
        .then(() => fn(guardSql(sql, () => lost)))
        .catch((err) => {
          if (!isConnectionLost(err)) throw err
          lost ??= err
          reportLoss(err)
          return new Promise(() => {}) // never settles: postgres.js writes nothing more on the dead connection
        }),
    )
    void scope.catch((err) => isConnectionLost(err) && (lost ??= err))
    void reported.catch(() => {})
    return Promise.race([scope, reported])
  }
  const guardSql = (sql: TxSql, lostWith: () => unknown): TxSql =>
    new Proxy(sql, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver)
        if (key === 'unsafe') {
          return (...args: unknown[]) => {
            const lost = lostWith()
            if (lost) throw lost
            return target.unsafe(...args)
          }
        }
        if (key === 'savepoint') {
          return (nameOrFn: unknown, maybeFn?: TxFn) => {
            const lost = lostWith()
            if (lost) return Promise.reject(lost)
            const [name, fn] = typeof nameOrFn === 'function' ? [undefined, nameOrFn as TxFn] : [nameOrFn, maybeFn!]
            return guardScope((inner) => (name === undefined ? target.savepoint(inner) : target.savepoint(name, inner)), fn)
          }
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (key !== 'begin') return value
      const begin = value as (...a: unknown[]) => Promise<unknown>
      return (optionsOrFn: unknown, maybeFn?: TxFn) => {
        const [options, fn] = typeof optionsOrFn === 'function' ? ['', optionsOrFn as TxFn] : [optionsOrFn, maybeFn!]
        return guardScope((inner) => begin.call(target, options, inner), fn)
      }
    },
  })
}

const openPostgres = (url: string, max: number, onStatement?: (text: string) => void) => {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: 'emsp' },
    ...(onStatement ? { debug: (_connection: number, text: string) => onStatement(text) } : {}),
  })
  const db = drizzlePostgres(guardTransactions(client), { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres' as const,
    /**
     * Instances starting together on one database migrate one after the other: the first holds a
     * session advisory lock while it migrates; the others wait for it and then find nothing left to
     * apply. The lock and the migration share one connection of their own, outside the pool (a lock
     * held on a pool connection while the migration waited for another deadlocked a pool of one).
     */
    migrate: async () => {
      const own = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'emsp-migrate' } })
      try {
        await own`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`
        try {
          await migratePostgres(drizzlePostgres(own), { migrationsFolder })
        } finally {
          await own`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`
        }
      } finally {
        await own.end({ timeout: 5 })
      }
    },
    ping: async () => {
      await client`select 1`
    },
    notifications: {
      listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
        const { unlisten } = await client.listen(channel, onNotify, onListen)
        return { unlisten }
      },
      notify: async (channel: string, payload: string) => {
        await client.notify(channel, payload)
      },
    },
    close: () => client.end({ timeout: 5 }),
  }
}

/** A second process on the same embedded data folder (PGlite is single-process). */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another eMSP process (pid ${pid}). The embedded database serves one process: stop that one, use another DATA_DIR, or set DATABASE_URL to run several instances on PostgreSQL.`,
    )
    this.name = 'DataDirInUseError'
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `<dataDir>/emsp.pid`: refused while another living process holds it; a stale one (its
 * process is gone, or it is our own pid after a container restart) is taken over. Returns the release.
 */
export const lockDataDir = (dataDir: string): (() => void) => {
  const file = join(dataDir, 'emsp.pid')
  const mine = String(process.pid)
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
      let holder = Number.NaN
      try {
        holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
      } catch {
        continue // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder))
        throw new DataDirInUseError(resolve(dataDir), holder)
      rmSync(file, { force: true }) // stale
    }
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === mine) rmSync(file, { force: true })
    } catch {
      // already gone
    }
  }
}

const openPglite = async (options: OpenDatabaseOptions) => {
  let client = options.pglite
  let unlock = () => {}
  if (!client) {
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true })
      unlock = lockDataDir(options.dataDir)
    }
    try {
      client = await PGlite.create(options.dataDir ?? 'memory://')
    } catch (err) {
      unlock()
      throw err
    }
  }
  const pg = client
  const db = drizzlePglite(pg, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite' as const,
    migrate: () => migratePglite(drizzlePglite(pg), { migrationsFolder }),
    ping: async () => {
      await pg.query('select 1')
    },
    close: async () => {
      if (!pg.closed) await pg.close()
      unlock()
    },
  }
}

/** Rows of a raw `db.execute(sql)` result; postgres.js answers an array, PGlite `{ rows }`. */
export const execRows = async <T>(db: Db, query: SQL): Promise<T[]> => {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

/** `postgres://host:port/database` without user or password, for log lines. */
export const describeDatabaseUrl = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return 'postgres://(unparsable URL)'
  }
}

/** The error code (ECONNREFUSED, 28P01, …) and first message line of a failed connection attempt. */
const reasonOf = (err: unknown): string => {
  const e = err as { code?: string; message?: string; errors?: { code?: string; message?: string }[] }
  const code = e.code ?? e.errors?.[0]?.code
  const message = (e.message || e.errors?.[0]?.message || String(err)).split('\n')[0]!
  return code && !message.startsWith(code) ? `${code} (${message})` : message
}

/** Server answers that waiting will not fix: wrong password, unknown database or role. */
const FATAL = new Set(['28P01', '28000', '3D000'])

/**
 * Waits until PostgreSQL at `url` answers `select 1`, retrying with exponential backoff and jitter
 * (1 s doubling, at most 15 s) for up to `timeoutS`. Logs one line when it first fails, one when the
 * reason changes, one when it is reachable after failing; throws an Error with a one-line message
 * once the time is up or the server refuses us for good. The URL's credentials are never logged.
 */
export const waitForDatabase = async (url: string, opts: { timeoutS: number; log: (line: string) => void; random?: () => number }) => {
  const where = describeDatabaseUrl(url)
  const random = opts.random ?? Math.random
  const started = Date.now()
  let lastReason: string | undefined
  for (let attempt = 1; ; attempt++) {
    const probe = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {}, connection: { application_name: 'emsp-start' } })
    try {
      await probe`select 1`
      if (lastReason) opts.log(`database reachable at ${where} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
      return
    } catch (err) {
      const reason = reasonOf(err)
      const elapsed = (Date.now() - started) / 1000
      const ceiling = Math.min(15, 2 ** (attempt - 1))
      const delay = ceiling / 2 + (random() * ceiling) / 2
      if (FATAL.has((err as { code?: string }).code ?? '')) throw new Error(`database refused us at ${where}: ${reason}; not retrying`)
      if (elapsed + delay > opts.timeoutS)
        throw new Error(
          `database unreachable at ${where}: ${reason}; gave up after ${elapsed.toFixed(0)} s (DATABASE_START_TIMEOUT_S=${opts.timeoutS})`,
        )
      if (reason !== lastReason) opts.log(`database unreachable at ${where}: ${reason}; retrying with backoff for up to ${opts.timeoutS} s`)
      lastReason = reason
      await new Promise((r) => setTimeout(r, delay * 1000))
    } finally {
      await probe.end({ timeout: 1 }).catch(() => {})
    }
  }
}
