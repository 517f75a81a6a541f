// Benchmark, database side only: what one Location PUT costs PostgreSQL, without HTTP, auth or validation.
// Our tree statement (the repository's `upsertLocationTree`, as the PUT route calls it) against the two baselines of
// receivers.ts, the one-row upsert and the bare tree (`oneRowUpsert`, `bareTreeUpsert`), on the same seeded network.
// Besides the rate and CPU (noisy on a shared machine) it reports what does not depend on the machine's load: WAL
// records and bytes, and shared buffers touched, per PUT (PostgreSQL's own statistics).
// Run: npx tsx scripts/bench/location-put-db.ts [locations=200000] [puts=3000] [rounds=3] [concurrency=10]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// Scenarios as in receivers.ts: `changed` (a changed Location re-sent with its EVSEs as stored) and `replacing` (the
// spec example's 2 EVSEs onto a location stored with 4 elsewhere). Candidates alternate within each round.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type postgres from 'postgres'
import { fromOcpiLocation, keyOf } from '../../src/ocpi/locations/locations.convert.js'
import { upsertLocationTree } from '../../src/ocpi/locations/locations.repository.js'
import type { Location } from '../../src/ocpi/locations/locations.schema.js'
import { cpuMeter } from './cpu-meter.js'
import { bareTreeUpsert, locationPutBody, median, oneRowUpsert, seedLocations, withBenchDatabase } from './receivers-setup.js'

const [locations, puts, rounds, concurrency] = [200_000, 3000, 3, 10].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
]
const evsesPer = 4
let tick = 0
/** Always newer than anything stored before, so every PUT is applied. */
const nextStamp = () => new Date(Date.UTC(2030, 0, 1) + tick++ * 10).toISOString()
const pick = () => 1 + Math.floor(Math.random() * locations)

const kinds = ['changed', 'replacing'] as const
const next = (kind: (typeof kinds)[number]) => {
  const i = pick()
  return { i, body: locationPutBody(kind, i, evsesPer, nextStamp()) as Record<string, any> }
}

interface Counters {
  walRecords: number
  walBytes: number
  buffers: number
}
/** PostgreSQL publishes its statistics with a delay of up to a second after a transaction. */
const counters = async (sql: postgres.Sql): Promise<Counters> => {
  await sleep(1100)
  const [row] = await sql`select (select wal_records from pg_stat_wal)::float8 as wr, (select wal_bytes from pg_stat_wal)::float8 as wb,
    (select blks_hit + blks_read from pg_stat_database where datname = current_database())::float8 as bl`
  return { walRecords: row!.wr, walBytes: row!.wb, buffers: row!.bl }
}

await withBenchDatabase(concurrency, async ({ database, sql }) => {
  const partnerId = randomUUID()
  const started = performance.now()
  await seedLocations(sql, partnerId, locations, evsesPer)
  console.log(
    `seeded ${locations} locations with ${evsesPer} EVSEs each in ${((performance.now() - started) / 1000).toFixed(0)} s; ${puts} PUTs per candidate and round, ${concurrency} at a time`,
  )
  const candidates: Record<string, (i: number, body: Record<string, any>) => Promise<unknown>> = {
    ours: (i, body) => {
      const row = fromOcpiLocation(body as Location)
      return upsertLocationTree(database.db, keyOf('BE', 'BEC', `L${i}`), partnerId, { ...row, evses: row.evses! })
    },
    'bare tree': (i, body) => bareTreeUpsert(sql, partnerId, `L${i}`, body),
    'one row': (i, body) => oneRowUpsert(sql, partnerId, `L${i}`, body),
  }
  for (const scenario of kinds) {
    const results: Record<string, { rate: number; pgUs: number; wal: number; walBytes: number; buffers: number }[]> = {}
    for (let round = 0; round <= rounds; round++) {
      for (const [name, put] of Object.entries(candidates)) {
        const before = await counters(sql)
        const meter = cpuMeter()
        const t0 = performance.now()
        let left = round === 0 ? Math.min(puts, 500) : puts // round 0 warms up (plans, caches) and is not reported
        const n = left
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (left-- > 0) {
              const { i, body } = next(scenario)
              await put(i, body)
            }
          }),
        )
        const seconds = (performance.now() - t0) / 1000
        const cpu = meter.stop()
        const after = await counters(sql)
        if (round === 0) continue
        ;(results[name] ??= []).push({
          rate: n / seconds,
          pgUs: ((cpu.postgresMs ?? NaN) * 1000) / n,
          wal: (after.walRecords - before.walRecords) / n,
          walBytes: (after.walBytes - before.walBytes) / n,
          buffers: (after.buffers - before.buffers) / n,
        })
      }
    }
    const m = (name: string, key: 'rate' | 'pgUs' | 'wal' | 'walBytes' | 'buffers') => median(results[name]!.map((r) => r[key]))
    for (const name of Object.keys(candidates)) {
      console.log(
        `${scenario}, ${name}: ${m(name, 'rate').toFixed(0)} PUTs/s, PostgreSQL ${m(name, 'pgUs').toFixed(0)} µs CPU, ${m(name, 'wal').toFixed(1)} WAL records (${m(name, 'walBytes').toFixed(0)} bytes), ${m(name, 'buffers').toFixed(0)} buffers per PUT (medians of ${rounds})`,
      )
    }
    console.log(
      `${scenario}: ours / one row ${(m('ours', 'rate') / m('one row', 'rate')).toFixed(2)}, ours / bare tree ${(m('ours', 'rate') / m('bare tree', 'rate')).toFixed(2)} (rates)`,
    )
  }
})
