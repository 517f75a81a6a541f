// Benchmark: what one /metrics database snapshot costs on a large history (the claim in src/metrics/README.md:
// "a few indexed queries"). Seeds a year-like history with SQL, then reads the snapshot `reads` times and reports the
// median time, and the shared buffers each statement touched (EXPLAIN ANALYZE BUFFERS: exact, and independent of
// the machine's load). A buffer count that grows with the history size instead of the recent window means a scan.
// Run: npx tsx scripts/bench/metrics-scrape.ts [cdrs=2000000] [doneJobs=2000000] [commands=500000] [reads=20]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
import type { SQL } from 'drizzle-orm'
import type postgres from 'postgres'
import type { Database } from '../../src/db/client.js'
import { opsQueries as q, readOpsSnapshot } from '../../src/metrics/index.js'
import { median, withBenchDatabase } from './receivers-setup.js'

const [cdrs, doneJobs, commands, reads] = [2_000_000, 2_000_000, 500_000, 20].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
]
const now = new Date('2026-11-20T10:00:00Z')
const partners = 10
const days = 365

const seed = async (sql: postgres.Sql) => {
  const at = now.toISOString()
  await sql`insert into partners (id, name, state, endpoints, created_at, updated_at)
    select ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'CPO ' || i, 'REGISTERED',
      '[{"identifier":"locations","role":"SENDER","url":"x"},{"identifier":"tariffs","role":"SENDER","url":"x"},{"identifier":"sessions","role":"SENDER","url":"x"},{"identifier":"cdrs","role":"SENDER","url":"x"},{"identifier":"tokens","role":"RECEIVER","url":"x"}]'::jsonb,
      ${at}, ${at} from generate_series(1, ${partners}) i`
  const partner = (expr: string) => sql.unsafe(`('00000000-0000-4000-8000-' || lpad((1 + (${expr}) % ${partners})::text, 12, '0'))::uuid`)
  // CDRs spread over a year, received newest last; 1 % unrated, 0.5 % disputed.
  await sql`insert into cdrs (id, partner_id, country_code, party_id, cdr_id, content_hash, raw, object, token_country_code, token_party_id, token_uid, token_type,
      contract_id, start_date_time, end_date_time, currency, total_cost_excl_vat, total_energy, total_time, credit, last_updated, received_at)
    select gen_random_uuid(), ${partner('i')}, 'DE', 'P' || (i % ${partners}), 'CDR-' || i, md5(i::text), '{}', '{}'::jsonb, 'DE', 'BMW', 'U' || (i % 100000), 'RFID',
      'DE-BMW-C' || (i % 100000), ts - interval '1 hour', ts, 'EUR', 10, 20, 1, false, ts, ts
    from (select i, ${at}::timestamptz - (${days} * interval '1 day') * (1 - i::float8 / ${cdrs}) as ts from generate_series(1, ${cdrs}) i) s`
  await sql`insert into cdr_ratings (cdr_id, status, reason_code, reason, attempts, updated_at)
    select id, case when random() < 0.01 then 'UNRATED' else 'RATED' end, null, null, 1, received_at from cdrs`
  await sql`update cdr_ratings set reason_code = 'unknown_contract' where status = 'UNRATED'`
  await sql`insert into cdr_audits (cdr_id, tariff_source, tariff_ids, currency, claimed_totals, differences, tolerance, flagged, breakdown, audited_at)
    select id, 'STORED', '[]'::jsonb, 'EUR', '{}'::jsonb, '[]'::jsonb, 0.01, random() < 0.005, '{}'::jsonb, received_at from cdrs`
  // The job history: done jobs over the last 30 days, a backlog of token pushes, some failed jobs.
  await sql`insert into jobs (queue, payload, state, attempts, run_at, created_at, finished_at)
    select (array['cdr.received','cdr.audit','tokens.push','sync.pull'])[1 + i % 4], jsonb_build_object('partnerId', ${partner('i')}::text), 'done', 1, ts, ts, ts + interval '1 second'
    from (select i, ${at}::timestamptz - interval '30 days' * (1 - i::float8 / ${doneJobs}) as ts from generate_series(1, ${doneJobs}) i) s`
  await sql`insert into jobs (queue, payload, state, attempts, run_at, created_at)
    select 'tokens.push', jsonb_build_object('partnerId', ${partner('i')}::text), 'pending', i % 3, ${at}::timestamptz - interval '1 minute', ${at}::timestamptz - interval '2 minutes' from generate_series(1, 5000) i`
  await sql`insert into jobs (queue, payload, state, attempts, last_error, run_at, created_at, finished_at)
    select 'billing.invoice', '{}'::jsonb, 'failed', 25, 'no rate', ${at}, ${at}, ${at} from generate_series(1, 1000) i`
  await sql`insert into commands (id, type, state, origin, partner_id, country_code, party_id, request, deadline_at, requested_at, responded_at, result_at, updated_at)
    select gen_random_uuid(), 'START_SESSION', 'STARTED', 'app', ${partner('i')}, 'DE', 'P1', '{}'::jsonb, ts, ts, ts + interval '1 second', ts + interval '5 seconds', ts
    from (select i, ${at}::timestamptz - interval '90 days' * (1 - i::float8 / ${commands}) as ts from generate_series(1, ${commands}) i) s`
  await sql`insert into sync_runs (id, partner_id, module, mode, status, started_at, finished_at)
    select gen_random_uuid(), p.id, m, 'delta', case when random() < 0.05 then 'failed' else 'completed' end, ts, ts + interval '10 seconds'
    from partners p cross join unnest(array['locations','tariffs','sessions','cdrs']) m
    cross join lateral (select ${at}::timestamptz - interval '15 minutes' * k as ts from generate_series(1, 96 * 90) k) s`
  await sql`vacuum analyze`
}

/**
 * A stand-in database handle that runs every statement twice: under EXPLAIN (ANALYZE, BUFFERS) to
 * count the shared buffers it touched (exact, per statement), then for its rows.
 */
const explaining = (database: Database, pg: postgres.Sql, counted: { buffers: number; statements: number }) =>
  ({
    execute: async (query: SQL) => {
      const { sql: text, params } = (
        database.db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }
      ).dialect.sqlToQuery(query)
      const [row] = await pg.unsafe(`explain (analyze, buffers, format json) ${text}`, params as never[])
      const plan = (row!['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan
      counted.buffers += (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0)
      counted.statements++
      return pg.unsafe(text, params as never[])
    },
  }) as unknown as Database['db']

await withBenchDatabase(2, async ({ database, sql }) => {
  const t0 = performance.now()
  await seed(sql)
  console.log(
    `seeded ${cdrs} CDRs over ${days} days, ${doneJobs} done jobs, ${commands} commands, ${partners} partners in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  )
  await readOpsSnapshot(database.db, now) // warm the caches and the plans
  const times: number[] = []
  for (let i = 0; i < reads; i++) {
    const started = performance.now()
    await readOpsSnapshot(database.db, now)
    times.push(performance.now() - started)
  }
  const total = { buffers: 0, statements: 0 }
  await readOpsSnapshot(explaining(database, sql, total), now)
  console.log(
    `snapshot: median ${median(times).toFixed(1)} ms over ${reads} reads; ${total.statements} statements touching ${total.buffers} shared buffers`,
  )
  const day = new Date(now.getTime() - 86_400_000)
  const hour = new Date(now.getTime() - 3_600_000)
  const parts: [string, (db: Database['db']) => Promise<unknown>][] = [
    ['partners', (db) => q.listPartnerRefs(db)],
    ['jobs', (db) => q.jobQueueStats(db, now)],
    ['token pushes', (db) => q.tokenPushStats(db, now)],
    ['CDRs 1 h', (db) => q.recentCdrStats(db, hour)],
    ['unrated', (db) => q.unratedByReason(db)],
    ['disputes', (db) => q.disputeStats(db, day)],
    ['commands 1 h', (db) => q.commandStats(db, hour)],
    ['pulls', (db) => q.pullStats(db, day)],
    ['connections', (db) => q.databaseConnections(db)],
  ]
  for (const [name, read] of parts) {
    const counted = { buffers: 0, statements: 0 }
    await read(explaining(database, sql, counted))
    console.log(`  ${name.padEnd(14)} ${String(counted.buffers).padStart(7)} buffers`)
  }
})
