import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { migrationsFolder, openDatabase, type Database } from '../../src/db/client.js'

/**
 * A fresh, migrated database for one test (or test file).
 * - With DATABASE_URL (CI's Postgres run): a new database `emsp_test_<random>` on that server, copied from a
 *   migrated template (`migratedTemplate`), dropped afterwards.
 * - Without: an in-memory PGlite started from a migrated snapshot cached in node_modules/.cache
 *   (keyed by the migrations' content), because a fresh PGlite with migrations takes ~5 s. Starting
 *   even that snapshot costs ~2 s of CPU, so a test file that builds several worlds one after another
 *   gets back the PGlite of a world that has ended, emptied (every table truncated, sequences
 *   restarted): the same state as a fresh one, checked by the schema's fingerprint.
 */
export const freshDatabase = async (t: { teardown(fn: () => unknown): void }): Promise<Database> => {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl) return freshPostgres(t, serverUrl)
  await closeIdleAtExit()
  const pglite = (await reusedPglite()) ?? (await newPglite())
  const database = await openDatabase({ pglite, migrate: false })
  t.teardown(async () => {
    // a test that closed its database on purpose (a database that is down) hands back nothing
    if (pglite.closed) return
    // the world of a whole file ends with the file: nothing comes after it to take its PGlite
    if (rootEnded) await pglite.close()
    else idle.push(pglite)
  })
  return database
}

/** PGlites of worlds that have ended, with the fingerprint of the migrated schema. */
const idle: PGlite[] = []
let schemaFingerprint: string | undefined
const fingerprintSql = `select md5(coalesce(string_agg(c.relname || ':' || a.attname || ':' || a.atttypid::text, ',' order by c.relname, a.attnum), '')) as f
  from pg_class c join pg_attribute a on a.attrelid = c.oid
  where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped`
const fingerprint = async (pg: PGlite) => (await pg.query<{ f: string }>(fingerprintSql)).rows[0]!.f
const emptySql = `do $$ declare r record; begin
  if exists (select 1 from pg_tables where schemaname = 'public') then
    execute (select 'truncate ' || string_agg(format('%I.%I', schemaname, tablename), ', ') || ' restart identity cascade'
      from pg_tables where schemaname = 'public');
  end if;
  for r in select sequencename from pg_sequences where schemaname = 'public' loop
    execute format('alter sequence public.%I restart', r.sequencename);
  end loop;
end $$`

const newPglite = async () => {
  const pglite = await PGlite.create({ loadDataDir: await migratedSnapshot() })
  schemaFingerprint ??= await fingerprint(pglite)
  return pglite
}

const reusedPglite = async (): Promise<PGlite | undefined> => {
  for (let pglite = idle.pop(); pglite; pglite = idle.pop()) {
    if (pglite.closed) continue
    if ((await fingerprint(pglite)) === schemaFingerprint) {
      await pglite.exec(emptySql)
      return pglite
    }
    await pglite.close() // a test changed the schema: never hand this one out again
  }
  return undefined
}

let exitHook: Promise<void> | undefined
let rootEnded = false
/**
 * The idle PGlites are closed when the file's root test ends. Registered with the first database,
 * not later: a file whose world is shared by its subtests ends its root test itself (`t.end()`),
 * and a teardown added to the root after that would never run (the file would never end).
 */
const closeIdleAtExit = () =>
  (exitHook ??= (async () => {
    const tap = (await import('tap')).default
    tap.teardown(async () => {
      rootEnded = true
      for (const pglite of idle.splice(0)) if (!pglite.closed) await pglite.close()
    })
  })())

const freshPostgres = async (t: { teardown(fn: () => unknown): void }, serverUrl: string) => {
  const name = `emsp_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template ${await migratedTemplate(admin, serverUrl)}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  // migrate: the template is current, so this only reads the journal (and proves it)
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 })
  t.teardown(async () => {
    await database.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return database
}

/**
 * The name of a migrated template database on the test server for the migrations of this checkout
 * (`emsp_tpl_<hash of the migrations>`), made once by whichever test process comes first: a new database
 * copied from it costs ~0.3 s instead of ~2 s for running every migration. Made under an advisory lock;
 * marked `is_template` only when complete, so one left half-made by a killed process is made again.
 */
let templateName: Promise<string> | undefined
const migratedTemplate = (admin: postgres.Sql, serverUrl: string) =>
  (templateName ??= (async () => {
    const name = `emsp_tpl_${migrationsHash()}`
    await admin.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('emsp test template'))`
      const [row] = await tx<{ ready: boolean }[]>`select datistemplate as ready from pg_database where datname = ${name}`
      if (row?.ready) return
      // outside the transaction: CREATE and DROP DATABASE cannot run in one
      const own = postgres(serverUrl, { max: 1, onnotice: () => {} })
      try {
        if (row) await own.unsafe(`drop database ${name} with (force)`)
        await own.unsafe(`create database ${name}`)
        const url = new URL(serverUrl)
        url.pathname = `/${name}`
        const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 })
        await database.close()
        await own.unsafe(`alter database ${name} with is_template true`)
      } finally {
        await own.end()
      }
    })
    return name
  })())

/** The URL of a new empty database on the test server (for tests that run the server as a process). */
export const testServerUrl = (): string | undefined => process.env.DATABASE_URL

/** A key of the migrations' content: the PGlite snapshot and the PostgreSQL template are made again when they change. */
const migrationsHash = () => {
  const hash = createHash('sha256')
  const files = readdirSync(migrationsFolder, { recursive: true }).map(String).sort()
  for (const f of files) {
    const path = join(migrationsFolder, f)
    if (f.endsWith('.sql') || f.endsWith('.json')) hash.update(f).update(readFileSync(path))
  }
  return hash.digest('hex').slice(0, 16)
}

const migratedSnapshot = async (): Promise<Blob> => {
  const dir = join(process.cwd(), 'node_modules', '.cache', 'emsp')
  const file = join(dir, `pglite-${migrationsHash()}.tar`)
  if (!existsSync(file)) {
    const pg = await PGlite.create()
    const db = await openDatabase({ pglite: pg })
    const dump = await pg.dumpDataDir('none') // uncompressed (42 MB): a boot from it skips ~0.3-0.5 s of gunzip
    mkdirSync(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
    renameSync(tmp, file) // atomic: parallel test files may race to build the same snapshot
    await db.close()
  }
  return new Blob([readFileSync(file)])
}
