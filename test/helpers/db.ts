import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { migrationsFolder, openDatabase, type Database } from '../../src/db/client.js'

/**
 * A fresh, migrated database for one test file.
 * - With DATABASE_URL (CI's Postgres run): a new database `emsp_test_<random>` on that server, dropped afterwards.
 * - Without: an in-memory PGlite started from a migrated snapshot cached in node_modules/.cache
 *   (keyed by the migrations' content), because a fresh PGlite with migrations takes ~5 s.
 */
export const freshDatabase = async (t: { teardown(fn: () => unknown): void }): Promise<Database> => {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl) return freshPostgres(t, serverUrl)
  const pglite = await PGlite.create({ loadDataDir: await migratedSnapshot() })
  const database = await openDatabase({ pglite, migrate: false })
  t.teardown(() => database.close())
  return database
}

const freshPostgres = async (t: { teardown(fn: () => unknown): void }, serverUrl: string) => {
  const name = `emsp_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 })
  t.teardown(async () => {
    await database.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return database
}

/** The URL of a new empty database on the test server (for tests that run the server as a process). */
export const testServerUrl = (): string | undefined => process.env.DATABASE_URL

const migratedSnapshot = async (): Promise<Blob> => {
  const hash = createHash('sha256')
  const files = readdirSync(migrationsFolder, { recursive: true }).map(String).sort()
  for (const f of files) {
    const path = join(migrationsFolder, f)
    if (f.endsWith('.sql') || f.endsWith('.json')) hash.update(f).update(readFileSync(path))
  }
  const dir = join(process.cwd(), 'node_modules', '.cache', 'emsp')
  const file = join(dir, `pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`)
  if (!existsSync(file)) {
    const pg = await PGlite.create()
    const db = await openDatabase({ pglite: pg })
    const dump = await pg.dumpDataDir('gzip')
    mkdirSync(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
    renameSync(tmp, file) // atomic: parallel test files may race to build the same snapshot
    await db.close()
  }
  return new Blob([readFileSync(file)])
}
