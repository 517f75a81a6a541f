// Node CPU of building a batch's insert statements (issue 20.1): drizzle's `.values(rows)` (before) against one
// JSON parameter (`src/db/json-rows.ts`, after), for rating's charges and statuses, the audits and the audit jobs of
// a batch of 32 CDRs. Builds the statement text and parameters only (what the runner's process pays per batch,
// before the driver); no database is contacted. Same process, alternating, medians of the rounds.
// Run: npx tsx scripts/bench/batch-writes.ts [rounds=5] [iterations=2000] [rows=32]
import { getTableColumns, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { jsonRows } from '../../src/db/json-rows.js'
import * as schema from '../../src/db/schema/index.js'
import { cdrAudits, cdrRatings, charges, jobs } from '../../src/db/schema/index.js'
import { median } from './receivers-setup.js'

const rounds = Number(process.argv[2] ?? 5)
const iterations = Number(process.argv[3] ?? 2000)
const n = Number(process.argv[4] ?? 32)
const client = postgres('postgres://nobody@127.0.0.1:1/none') // never connected: statements are only built
const db = drizzle(client, { schema })
const now = new Date('2026-12-08T00:00:00Z')
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
const line = { kind: 'ENERGY', quantity: '12.345', unit: 'kWh', unit_price: '0.39', amount: '4.81', text: 'Energy 12.345 kWh × 0.39' }
const chargeRows = Array.from({ length: n }, (_, i) => ({
  id: uuid(i),
  cdrId: uuid(1000 + i),
  contractId: `C-${i}`,
  customerId: uuid(2000 + i),
  kind: 'CHARGE' as const,
  rule: 'FIXED_PRICE',
  currency: 'EUR',
  total: '4.81',
  lines: [line, { ...line, kind: 'SESSION_FEE' }],
  catalogVersion: 'DE@2026-01-01',
  cdrStart: now,
  cdrEnd: now,
  ratedAt: now,
  supersededBy: null,
}))
const statusRows = chargeRows.map((c) => ({
  cdrId: c.cdrId,
  status: 'UNRATED' as const,
  reasonCode: 'unknown_contract',
  reason: 'no contract C',
  chargeId: null,
  updatedAt: now,
}))
const auditRows = chargeRows.map((c) => ({
  cdrId: c.cdrId,
  tariffSource: 'STORED' as const,
  tariffIds: ['12'],
  currency: 'EUR',
  computedTotals: { total_cost: { excl_vat: '4.81', incl_vat: '5.72' } },
  claimedTotals: { total_cost: { excl_vat: '4.81', incl_vat: '5.72' } },
  differences: [{ total: 'total_cost', excl_vat: '0.00' }],
  totalCostDifference: '0.00',
  tolerance: '0.01',
  flagged: false,
  breakdown: { explanation: ['energy 12.345 kWh at 0.39'], pricing: { periods: [{ start: now.toISOString(), kwh: '12.345' }] } },
  reason: null,
  auditedAt: now,
}))
const jobRows = chargeRows.map((c) => ({
  queue: 'cdr.audit',
  payload: { cdrId: c.cdrId },
  dedupeKey: c.cdrId,
  runAt: now,
  maxAttempts: 25,
  createdAt: now,
}))
const dialect = (db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }).dialect

const before = () => {
  db.insert(charges).values(chargeRows).onConflictDoNothing().returning({ id: charges.id }).toSQL()
  db.insert(cdrRatings)
    .values(statusRows.map((s) => ({ ...s, attempts: 1 })))
    .onConflictDoUpdate({ target: cdrRatings.cdrId, set: { status: sql`excluded.status`, attempts: sql`${cdrRatings.attempts} + 1` } })
    .toSQL()
  const set = Object.fromEntries(
    Object.entries(getTableColumns(cdrAudits))
      .filter(([key]) => key !== 'cdrId')
      .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
  )
  db.insert(cdrAudits).values(auditRows).onConflictDoUpdate({ target: cdrAudits.cdrId, set }).toSQL()
  db.insert(jobs)
    .values(jobRows)
    .onConflictDoNothing({ target: [jobs.queue, jobs.dedupeKey] })
    .returning({ id: jobs.id })
    .toSQL()
}
const after = () => {
  const c = jsonRows(charges, Object.keys(chargeRows[0]!) as never, chargeRows)
  dialect.sqlToQuery(sql`insert into charges (${c.columns}) select ${c.columns} from ${c.from} on conflict do nothing returning id`)
  const s = jsonRows(cdrRatings, Object.keys(statusRows[0]!) as never, statusRows)
  dialect.sqlToQuery(
    sql`insert into cdr_ratings (${s.columns}, attempts) select ${s.columns}, 1 from ${s.from} on conflict (cdr_id) do update set status = excluded.status`,
  )
  const a = jsonRows(cdrAudits, Object.keys(getTableColumns(cdrAudits)) as never, auditRows)
  dialect.sqlToQuery(sql`insert into cdr_audits (${a.columns}) select ${a.columns} from ${a.from} on conflict (cdr_id) do nothing`)
  const j = jsonRows(jobs, Object.keys(jobRows[0]!) as never, jobRows)
  dialect.sqlToQuery(
    sql`insert into jobs (${j.columns}) select ${j.columns} from ${j.from} on conflict (queue, dedupe_key) do nothing returning id`,
  )
}
const time = (fn: () => void) => {
  const t0 = process.cpuUsage()
  for (let i = 0; i < iterations; i++) fn()
  const used = process.cpuUsage(t0)
  return (used.user + used.system) / iterations
}
time(before)
time(after) // warm-up
const results: { before: number; after: number }[] = []
for (let r = 0; r < rounds; r++) {
  const b = time(before)
  const a = time(after)
  results.push({ before: b, after: a })
  console.log(`round ${r + 1}: drizzle .values ${b.toFixed(0)} µs, JSON rows ${a.toFixed(0)} µs of CPU per batch of ${n} (four statements)`)
}
const mb = median(results.map((r) => r.before))
const ma = median(results.map((r) => r.after))
console.log(
  `median: ${mb.toFixed(0)} → ${ma.toFixed(0)} µs per batch (${(mb / n).toFixed(1)} → ${(ma / n).toFixed(1)} µs per CDR; after ÷ before ${(ma / mb).toFixed(2)})`,
)
await client.end()
