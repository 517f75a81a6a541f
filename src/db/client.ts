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
  /** Apply the migrations in drizzle/ (default true). */
  migrate?: boolean
}

/** Opens PostgreSQL (postgres.js) or the embedded PGlite and applies the migrations in drizzle/. */
export const openDatabase = async (options: OpenDatabaseOptions): Promise<Database> => {
  const database = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options)
  if (options.migrate !== false) await database.migrate()
  return database
}

/** The advisory lock key instances hold while migrating ("emsp" + "mig" as bytes). */
export const MIGRATION_LOCK_KEY = 0x656d7370_6d6967n

const openPostgres = (url: string, max: number) => {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'emsp' } })
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres' as const,
    /**
     * Instances starting together on one database migrate one after the other: the first holds a
     * session advisory lock on its own connection while it migrates; the others wait for it and then
     * find nothing left to apply.
     */
    migrate: async () => {
      const lock = await client.reserve()
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`
        try {
          await migratePostgres(drizzlePostgres(client), { migrationsFolder })
        } finally {
          await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`
        }
      } finally {
        lock.release()
      }
    },
    ping: async () => {
      await client`select 1`
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
    super(`The data folder ${dataDir} is in use by another eMSP process (pid ${pid}). The embedded database serves one process: stop that one, use another DATA_DIR, or set DATABASE_URL to run several instances on PostgreSQL.`)
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
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new DataDirInUseError(resolve(dataDir), holder)
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
