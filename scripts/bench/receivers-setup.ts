// Shared set-up for the receivers and pull benchmarks: a dedicated database `emsp_bench_<random>`
// on the local Postgres (dropped at the end), the real app listening on loopback, a registered
// simulated CPO, and bulk seeding of locations/EVSEs/connectors with plain SQL.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import postgres from 'postgres'
import { buildApp, publicUrl } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/db/client.js'
import { startCpoSimulator } from '../../test/helpers/cpo-simulator.js'

export const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const locationExample = JSON.parse(
  readFileSync(new URL('../../test/fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'),
)

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Statements our app's pool has sent so far (machine-independent: the work per CDR, per request). */
export const statementsSent = { total: 0 }

/**
 * Runs `body` with a fresh, migrated bench database `emsp_bench_<random>` (dropped afterwards): our handle on it
 * (`poolSize` connections) and a plain postgres.js client with as many.
 */
export const withBenchDatabase = async <T>(
  poolSize: number,
  body: (ctx: { database: Database; sql: postgres.Sql; url: string }) => Promise<T>,
): Promise<T> => {
  const name = `emsp_bench_${randomBytes(4).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const dbUrl = new URL(serverUrl)
  dbUrl.pathname = `/${name}`
  try {
    const database = await openDatabase({
      databaseUrl: dbUrl.toString(),
      poolSize,
      onStatement: () => {
        statementsSent.total++
      },
    })
    const sql = postgres(dbUrl.toString(), { max: poolSize, onnotice: () => {} })
    try {
      return await body({ database, sql, url: dbUrl.toString() })
    } finally {
      await sql.end()
      await database.close()
    }
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

/** Runs `body` with a fresh bench database and the app on it; everything is torn down afterwards. */
export const withBenchApp = async <T>(env: Record<string, string>, body: (ctx: BenchContext) => Promise<T>): Promise<T> =>
  withBenchDatabase(10, async ({ database, sql, url }) => {
    const cleanups: (() => unknown)[] = []
    const t = { teardown: (fn: () => unknown) => cleanups.unshift(fn) }
    try {
      const config = configFrom({
        ADMIN_TOKEN: 'bench-admin-token-0123456789',
        LOG_LEVEL: 'silent',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: url,
        ...env,
      })
      const app = await buildApp({ config, database, logger: false, closeDatabase: false, startJobs: false })
      await app.listen({ port: 0, host: '127.0.0.1' })
      t.teardown(() => app.close())
      const base = publicUrl(app, config).replace('localhost', '127.0.0.1')
      const created = await app.inject({
        method: 'POST',
        url: '/admin/v1/partners',
        headers: { authorization: `Bearer ${config.adminToken}` },
        payload: { name: 'Bench CPO' },
      })
      const { token_a: tokenA, versions_url: versionsUrl, id: partnerId } = created.json()
      const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
      await cpo.registerWith(versionsUrl.replace(/^http:\/\/localhost/, 'http://127.0.0.1'), tokenA)
      return await body({
        app,
        base,
        cpo,
        sql,
        url,
        partnerId,
        adminToken: config.adminToken!,
        authorization: `Token ${Buffer.from(cpo.state.tokenForEmsp!).toString('base64')}`,
        teardown: t.teardown,
      })
    } finally {
      for (const fn of cleanups) await fn()
    }
  })

export interface BenchContext {
  app: Awaited<ReturnType<typeof buildApp>>
  base: string
  cpo: Awaited<ReturnType<typeof startCpoSimulator>>
  sql: postgres.Sql
  /** The bench database's URL (a second process can open it). */
  url: string
  partnerId: string
  adminToken: string
  authorization: string
  teardown: (fn: () => unknown) => void
}

const pad3 = (n: number) => String(n).padStart(3, '0')
/** Where `seedLocations` puts location `L<i>` (numeric(10,7) text, as the columns hold it). */
const coordinatesOf = (i: number) => ({ latitude: `50.${pad3(i % 1000)}0000`, longitude: `3.${pad3(Math.floor(i / 1000))}0000` })

/**
 * Location `L<i>` exactly as `seedLocations` stores it, as a CPO would PUT it (with `evsesPer` EVSEs),
 * with `changes` applied to the Location's own fields.
 */
export const seededLocation = (i: number, evsesPer: number, changes: Record<string, unknown> = {}) => {
  const { evses, ...location } = locationExample
  const { connectors, ...evseOnly } = evses[0]
  return {
    ...location,
    id: `L${i}`,
    coordinates: coordinatesOf(i),
    last_updated: '2020-01-01T00:00:00Z',
    evses: Array.from({ length: evsesPer }, (_, k) => ({
      ...evseOnly,
      uid: `E${i}-${k + 1}`,
      last_updated: '2020-01-01T00:00:00Z',
      connectors: [connectors[0]],
    })),
    ...changes,
  }
}

/**
 * The two Location PUTs the benchmarks send, as bodies for location `L<i>` stamped `lastUpdated`:
 * - `changed`, the everyday PUT: a CPO re-sends a Location it changed (here its name), in the same place, with its
 *   EVSEs as they stand (each with its own, older `last_updated`), exactly as `seedLocations` stored them;
 * - `replacing`: the spec example (2 EVSEs, 3 connectors, its own coordinates) onto a location stored with 4 EVSEs
 *   elsewhere, so the first such PUT to a location moves it, rewrites its EVSEs and retires the ones it no longer lists.
 */
export const locationPutBody = (kind: 'changed' | 'replacing', i: number, evsesPer: number, lastUpdated: string) => {
  if (kind === 'changed') return seededLocation(i, evsesPer, { name: `Station ${lastUpdated}`, last_updated: lastUpdated })
  const evses = locationExample.evses.map((e: Record<string, unknown>, k: number) => ({
    ...e,
    uid: `E${i}-${k + 1}`,
    last_updated: lastUpdated,
  }))
  return { ...locationExample, id: `L${i}`, evses, last_updated: lastUpdated }
}

/**
 * `locations` locations `L<i>` under BE/BEC, each with `evsesPer` EVSEs `E<i>-<k>` of one connector:
 * the rows a PUT of `seededLocation(i, evsesPer)` would leave.
 */
export const seedLocations = async (sql: postgres.Sql, partnerId: string, locations: number, evsesPer: number) => {
  const { evses, ...location } = locationExample
  const [evse] = evses
  const { connectors, ...evseOnly } = evse
  const batch = 50_000
  for (let from = 1; from <= locations; from += batch) {
    const to = Math.min(locations, from + batch - 1)
    await sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
      select 'BE', 'BEC', 'L' || i, ${partnerId}, true, g.lat, g.lon, '2020-01-01T00:00:00Z',
        ${sql.json(location)}::jsonb || jsonb_build_object('id', 'L' || i, 'last_updated', '2020-01-01T00:00:00Z',
          'coordinates', jsonb_build_object('latitude', g.lat::text, 'longitude', g.lon::text))
      from generate_series(${from}::int, ${to}::int) i,
        lateral (select (50 + (i % 1000) / 1000.0)::numeric(10,7) as lat, (3 + (i / 1000) / 1000.0)::numeric(11,7) as lon) g`
    await sql`insert into evses (country_code, party_id, location_id, uid, position, status, capabilities, last_updated, object)
      select 'BE', 'BEC', 'L' || i, 'E' || i || '-' || k, k - 1, 'AVAILABLE', '{RESERVABLE}', '2020-01-01T00:00:00Z',
        ${sql.json(evseOnly)}::jsonb || jsonb_build_object('uid', 'E' || i || '-' || k, 'last_updated', '2020-01-01T00:00:00Z')
      from generate_series(${from}::int, ${to}::int) i, generate_series(1, ${evsesPer}::int) k`
    await sql`insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, last_updated, object)
      select 'BE', 'BEC', 'L' || i, 'E' || i || '-' || k, '1', 'AC_3_PHASE', 'IEC_62196_T2', 10560, '2020-01-01T00:00:00Z',
        ${sql.json(connectors[0])}::jsonb
      from generate_series(${from}::int, ${to}::int) i, generate_series(1, ${evsesPer}::int) k`
  }
  // Like tables in service: statistics, hint bits and visibility map set, so the first scenario
  // measured does not pay for the bulk load (autovacuum would run through it).
  await sql`vacuum (analyze) locations, evses, connectors`
}

/** The one-row baseline's write: the Location body as one row (every column it inserts is updated too). */
export const oneRowUpsert = (
  sql: postgres.Sql,
  partnerId: string,
  loc: string,
  b: Record<string, any>,
) => sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
  values ('BE', 'BEC', ${loc}, ${partnerId}, ${b.publish}, ${b.coordinates.latitude}, ${b.coordinates.longitude}, ${b.last_updated}, ${sql.json(b)})
  on conflict (country_code, party_id, id) do update set publish = excluded.publish, latitude = excluded.latitude,
    longitude = excluded.longitude, last_updated = excluded.last_updated, object = excluded.object`

/**
 * The bare tree's write: the same Location stored the way we store it (a row per Location, EVSE and connector, in one
 * statement), bare: no auth, validation, ordering guard, retirement or change detection. The floor of our storage
 * design, to tell its cost from our code's.
 */
export const bareTreeUpsert = (sql: postgres.Sql, partnerId: string, loc: string, body: Record<string, any>) => {
  const { evses, ...b } = body
  const ev = (evses as any[]).map(({ connectors, ...e }) => ({ ...e, object: e }))
  const co = (evses as any[]).flatMap((e) => e.connectors.map((c: any) => ({ ...c, evse_uid: e.uid, object: c })))
  return sql`with l as (${oneRowUpsert(sql, partnerId, loc, b)}
    ), e as (insert into evses (country_code, party_id, location_id, uid, status, capabilities, last_updated, object)
      select 'BE', 'BEC', ${loc}, r.uid, r.status, '{}', r.last_updated, r.object
      from jsonb_to_recordset(${sql.json(ev)}) as r(uid text, status text, last_updated timestamptz, object jsonb)
      on conflict (country_code, party_id, location_id, uid) do update set status = excluded.status, last_updated = excluded.last_updated, object = excluded.object
    ) insert into connectors (country_code, party_id, location_id, evse_uid, id, power_type, standard, max_power_w, last_updated, object)
      select 'BE', 'BEC', ${loc}, r.evse_uid, r.id, r.power_type, r.standard, 0, r.last_updated, r.object
      from jsonb_to_recordset(${sql.json(co)}) as r(evse_uid text, id text, power_type text, standard text, last_updated timestamptz, object jsonb)
      on conflict (country_code, party_id, location_id, evse_uid, id) do update set last_updated = excluded.last_updated, object = excluded.object`
}

/** The baseline: JSON body, one statement, answer. Same tables, same rows, no auth, validation or rules. */
export const startBaseline = async (sql: postgres.Sql, partnerId: string) => {
  const app = Fastify({ logger: false })
  const done = () => ({ status_code: 1000, timestamp: new Date().toISOString() })
  app.patch('/base/:loc/:uid', async (req) => {
    const { loc, uid } = req.params as { loc: string; uid: string }
    const b = req.body as { status: string; last_updated: string }
    await sql`update evses set status = ${b.status}, last_updated = ${b.last_updated}, object = object || ${sql.json(b)}
      where country_code = 'BE' and party_id = 'BEC' and location_id = ${loc} and uid = ${uid}`
    return done()
  })
  app.put('/base/:loc', async (req) => {
    await oneRowUpsert(sql, partnerId, (req.params as { loc: string }).loc, req.body as Record<string, any>)
    return done()
  })
  app.put('/base-tree/:loc', async (req) => {
    await bareTreeUpsert(sql, partnerId, (req.params as { loc: string }).loc, req.body as Record<string, any>)
    return done()
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` }
}
