import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import t from 'tap'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { execRows, openDatabase } from '../../src/db/client.js'
import { freshServerDatabase } from '../../scripts/reliability/harness.js'

const serverUrl = process.env.DATABASE_URL
const skip = serverUrl
  ? false
  : 'needs PostgreSQL (DATABASE_URL): the embedded PGlite serves one process, so instances never migrate it together'

t.test('instances starting together on an empty PostgreSQL database all migrate it', { skip }, async (t) => {
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} })
  t.teardown(() => admin.end())
  // a few rounds: without the lock, concurrent first migrations collide (duplicate schema, table or row)
  for (let round = 0; round < 3; round++) {
    const name = `emsp_mig_${randomBytes(6).toString('hex')}`
    await admin.unsafe(`create database ${name}`)
    t.teardown(() => admin.unsafe(`drop database if exists ${name} with (force)`))
    const url = new URL(serverUrl!)
    url.pathname = `/${name}`
    const results = await Promise.allSettled([0, 1, 2].map(() => openDatabase({ databaseUrl: url.toString(), poolSize: 2 })))
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))
    t.same(failures, [], `round ${round}: all three opened the database`)
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    if (opened[0]) {
      const applied = await execRows<{ n: number }>(opened[0].db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
      const files = await execRows<{ n: number }>(
        opened[0].db,
        sql`select count(distinct hash)::int as n from drizzle.__drizzle_migrations`,
      )
      t.equal(applied[0]!.n, files[0]!.n, `round ${round}: every migration recorded once`)
    }
    await Promise.all(opened.map((d) => d.close()))
  }
})

t.test('a pool of one connection migrates too (the lock has a connection of its own)', { skip }, async (t) => {
  const db = await freshServerDatabase()
  t.teardown(() => db.drop())
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), 30_000)
  })
  const opened = await Promise.race([openDatabase({ databaseUrl: db.env.DATABASE_URL, poolSize: 1 }), hung])
  clearTimeout(timer)
  t.not(opened, 'hung', 'openDatabase returned')
  if (opened !== 'hung') {
    t.same(await execRows(opened.db, sql`select 1 as one`), [{ one: 1 }])
    await opened.close()
  }
})

t.test('`npm run migrate` migrates as its own step and can run again', async (t) => {
  const db = await freshServerDatabase()
  t.teardown(() => db.drop())
  const { DATABASE_URL: _notInherited, ...inherited } = process.env
  for (const pass of ['first', 'second']) {
    const run = spawnSync('npm', ['run', '--silent', 'migrate'], {
      env: { ...inherited, ...db.env, ENV_FILE: '/dev/null' },
      encoding: 'utf8',
      timeout: 120_000,
    })
    t.equal(run.status, 0, `${pass} run exits 0`, run.status === 0 ? {} : { stderr: run.stderr })
    t.match(run.stdout, /migrations applied/, `${pass} run says so`)
  }
})
