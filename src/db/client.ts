import { mkdirSync } from 'node:fs'
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
  /** Apply the migrations in drizzle/ (default true). */
  migrate?: boolean
}

/** Opens PostgreSQL (postgres.js) or the embedded PGlite and applies the migrations in drizzle/. */
export const openDatabase = async (options: OpenDatabaseOptions): Promise<Database> => {
  const database = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options)
  if (options.migrate !== false) await database.migrate()
  return database
}

const openPostgres = (url: string, max: number) => {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'emsp' } })
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres' as const,
    migrate: () => migratePostgres(drizzlePostgres(client), { migrationsFolder }),
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

const openPglite = async (options: OpenDatabaseOptions) => {
  let client = options.pglite
  if (!client) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
    client = await PGlite.create(options.dataDir ?? 'memory://')
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
    },
  }
}

/** Rows of a raw `db.execute(sql)` result; postgres.js answers an array, PGlite `{ rows }`. */
export const execRows = async <T>(db: Db, query: SQL): Promise<T[]> => {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}
