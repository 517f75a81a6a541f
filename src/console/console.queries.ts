// Read-only queries behind the console's lists and charts, on other modules' tables. Each is a
// stand-in until the owning module offers it (see README "After the merge"); `retryJob` is the one
// write, and moves to src/jobs with the failed-job service.
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../db/client.js'

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`
const epoch = (s: number | null) => (s === null ? null : new Date(s * 1000))

export interface Page {
  offset: number
  limit: number
}

export interface UnratedCdr {
  cdrId: string
  partnerId: string
  partnerName: string | null
  countryCode: string
  partyId: string
  partnerCdrId: string
  contractId: string
  startDateTime: Date
  totalEnergy: string
  currency: string
  totalCost: string
  reasonCode: string | null
  reason: string | null
  attempts: number
  updatedAt: Date
}

/** CDRs that could not be rated, newest attempt first (the unrated partial index); optionally one reason code. */
export const listUnratedCdrs = async (db: Db, q: Page & { reason?: string }) => {
  const reason = q.reason === undefined ? sql`` : sql`and r.reason_code = ${q.reason}`
  const rows = await execRows<{
    cdr_id: string
    partner_id: string
    partner_name: string | null
    country_code: string
    party_id: string
    partner_cdr_id: string
    contract_id: string
    start_s: number
    total_energy: string
    currency: string
    total_cost: string
    reason_code: string | null
    reason: string | null
    attempts: number
    updated_s: number
  }>(
    db,
    sql`select c.id::text as cdr_id, c.partner_id::text as partner_id, p.name as partner_name, c.country_code, c.party_id, c.cdr_id as partner_cdr_id,
          c.contract_id, extract(epoch from c.start_date_time)::float8 as start_s, c.total_energy::text as total_energy, c.currency,
          coalesce(c.total_cost_incl_vat, c.total_cost_excl_vat)::text as total_cost, r.reason_code, r.reason, r.attempts,
          extract(epoch from r.updated_at)::float8 as updated_s
        from cdr_ratings r join cdrs c on c.id = r.cdr_id left join partners p on p.id = c.partner_id
        where r.status = 'UNRATED' ${reason}
        order by r.updated_at desc, r.cdr_id limit ${q.limit} offset ${q.offset}`,
  )
  const [total] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from cdr_ratings r where r.status = 'UNRATED' ${reason}`)
  const items: UnratedCdr[] = rows.map((r) => ({
    cdrId: r.cdr_id,
    partnerId: r.partner_id,
    partnerName: r.partner_name,
    countryCode: r.country_code,
    partyId: r.party_id,
    partnerCdrId: r.partner_cdr_id,
    contractId: r.contract_id,
    startDateTime: new Date(r.start_s * 1000),
    totalEnergy: r.total_energy,
    currency: r.currency,
    totalCost: r.total_cost,
    reasonCode: r.reason_code,
    reason: r.reason,
    attempts: r.attempts,
    updatedAt: new Date(r.updated_s * 1000),
  }))
  return { items, total: total?.n ?? 0 }
}

export interface Dispute {
  cdrId: string
  partnerName: string | null
  countryCode: string
  partyId: string
  partnerCdrId: string
  currency: string
  tariffSource: string
  totalCostDifference: string | null
  tolerance: string
  differences: Record<string, unknown>[]
  auditedAt: Date
}

/** Flagged CDR audits, newest first (the flagged partial index), with the CDR's partner and id. */
export const listDisputes = async (db: Db, q: Page) => {
  const rows = await execRows<{
    cdr_id: string
    partner_name: string | null
    country_code: string
    party_id: string
    partner_cdr_id: string
    currency: string
    tariff_source: string
    difference: string | null
    tolerance: string
    differences: Record<string, unknown>[]
    audited_s: number
  }>(
    db,
    sql`select a.cdr_id::text as cdr_id, p.name as partner_name, c.country_code, c.party_id, c.cdr_id as partner_cdr_id, a.currency, a.tariff_source,
          a.total_cost_difference::text as difference, a.tolerance::text as tolerance, a.differences, extract(epoch from a.audited_at)::float8 as audited_s
        from cdr_audits a join cdrs c on c.id = a.cdr_id left join partners p on p.id = c.partner_id
        where a.flagged order by a.audited_at desc, a.cdr_id limit ${q.limit} offset ${q.offset}`,
  )
  const [total] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from cdr_audits where flagged`)
  const items: Dispute[] = rows.map((r) => ({
    cdrId: r.cdr_id,
    partnerName: r.partner_name,
    countryCode: r.country_code,
    partyId: r.party_id,
    partnerCdrId: r.partner_cdr_id,
    currency: r.currency,
    tariffSource: r.tariff_source,
    totalCostDifference: r.difference,
    tolerance: r.tolerance,
    differences: r.differences,
    auditedAt: new Date(r.audited_s * 1000),
  }))
  return { items, total: total?.n ?? 0 }
}

export type ProblemKind = 'failed' | 'retrying'

export interface ProblemJob {
  id: number
  queue: string
  state: string
  attempts: number
  maxAttempts: number
  lastError: string | null
  payload: Record<string, unknown>
  runAt: Date
  createdAt: Date
  finishedAt: Date | null
}

const toProblemJob = (r: {
  id: number
  queue: string
  state: string
  attempts: number
  max_attempts: number
  last_error: string | null
  payload: Record<string, unknown>
  run_s: number
  created_s: number
  finished_s: number | null
}): ProblemJob => ({
  id: r.id,
  queue: r.queue,
  state: r.state,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  lastError: r.last_error,
  payload: r.payload,
  runAt: new Date(r.run_s * 1000),
  createdAt: new Date(r.created_s * 1000),
  finishedAt: epoch(r.finished_s),
})

const JOB_COLUMNS = sql`id::int as id, queue, state, attempts, max_attempts, last_error, payload, extract(epoch from run_at)::float8 as run_s,
  extract(epoch from created_at)::float8 as created_s, extract(epoch from finished_at)::float8 as finished_s`

/** Failed jobs (gave up; newest first) or retrying ones (pending after a failed attempt; next run first). */
export const listProblemJobs = async (db: Db, q: Page & { kind: ProblemKind; queue?: string }) => {
  const queue = q.queue === undefined ? sql`` : sql`and queue = ${q.queue}`
  const where = q.kind === 'failed' ? sql`state = 'failed' ${queue}` : sql`state = 'pending' and attempts > 0 ${queue}`
  const order = q.kind === 'failed' ? sql`finished_at desc, id desc` : sql`run_at, id`
  const rows = await execRows<Parameters<typeof toProblemJob>[0]>(
    db,
    sql`select ${JOB_COLUMNS} from jobs where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`,
  )
  const [total] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where ${where}`)
  return { items: rows.map(toProblemJob), total: total?.n ?? 0 }
}

export type RetryOutcome = { outcome: 'retried'; job: ProblemJob } | { outcome: 'not_found' } | { outcome: 'not_retryable'; state: string }

/**
 * Runs a failed or retrying job again now: it becomes due, and a failed one gets one more attempt
 * (if that fails too it is failed again, with the new error). Running and finished jobs are left alone.
 */
export const retryJob = async (db: Db, id: number, now: Date): Promise<RetryOutcome> => {
  const [row] = await execRows<Parameters<typeof toProblemJob>[0]>(
    db,
    sql`update jobs set state = 'pending', run_at = ${at(now)}, locked_until = null, finished_at = null,
          max_attempts = case when state = 'failed' then greatest(max_attempts, attempts + 1) else max_attempts end
        where id = ${id} and (state = 'failed' or (state = 'pending' and attempts > 0))
        returning ${JOB_COLUMNS}`,
  )
  if (row) return { outcome: 'retried', job: toProblemJob(row) }
  const [existing] = await execRows<{ state: string }>(db, sql`select state from jobs where id = ${id}`)
  return existing ? { outcome: 'not_retryable', state: existing.state } : { outcome: 'not_found' }
}

export interface InvoiceMonth {
  month: string
  /** The `billing.month` job: scheduled, due, done or failed; null when the month was only run by hand. */
  runState: string | null
  runAt: Date | null
  done: number
  waiting: number
  retrying: number
  failed: number
}

export interface BlockedInvoice {
  jobId: number
  contractId: string
  month: string
  state: string
  attempts: number
  lastError: string | null
  nextRunAt: Date | null
}

/**
 * Invoice runs as the job queue shows them: per month the scheduled run and its per-contract jobs
 * (done in the last `doneWindowDays`, waiting, retrying, failed), and the contracts whose invoice is
 * blocked (retrying or failed) with the error.
 */
export const invoiceRuns = async (db: Db, now: Date, doneWindowDays = 100) => {
  const runs = await execRows<{ month: string; state: string; run_s: number }>(
    db,
    sql`select dedupe_key as month, state, extract(epoch from run_at)::float8 as run_s from jobs where queue = 'billing.month' order by dedupe_key desc limit 24`,
  )
  const counts = await execRows<{ month: string; done: number; waiting: number; retrying: number; failed: number }>(
    db,
    sql`select payload->>'month' as month, 0 as done, count(*) filter (where attempts = 0 or state = 'running')::int as waiting,
          count(*) filter (where state = 'pending' and attempts > 0)::int as retrying, 0 as failed
        from jobs where queue = 'billing.invoice' and state in ('pending', 'running') group by 1
        union all
        select payload->>'month', 0, 0, 0, count(*)::int from jobs where queue = 'billing.invoice' and state = 'failed' group by 1
        union all
        select payload->>'month', count(*)::int, 0, 0, 0 from jobs
        where state = 'done' and finished_at > ${at(new Date(now.getTime() - doneWindowDays * 86_400_000))} and queue = 'billing.invoice' group by 1`,
  )
  const months = new Map<string, InvoiceMonth>()
  const monthOf = (month: string) =>
    months.get(month) ?? months.set(month, { month, runState: null, runAt: null, done: 0, waiting: 0, retrying: 0, failed: 0 }).get(month)!
  for (const r of runs)
    Object.assign(monthOf(r.month), {
      runState: r.state === 'pending' && r.run_s * 1000 > now.getTime() ? 'scheduled' : r.state,
      runAt: new Date(r.run_s * 1000),
    })
  for (const c of counts) {
    const m = monthOf(c.month)
    m.done += c.done
    m.waiting += c.waiting
    m.retrying += c.retrying
    m.failed += c.failed
  }
  const blocked = await execRows<{
    id: number
    contract_id: string
    month: string
    state: string
    attempts: number
    last_error: string | null
    run_s: number
  }>(
    db,
    sql`select id::int as id, payload->>'contractId' as contract_id, payload->>'month' as month, state, attempts, last_error, extract(epoch from run_at)::float8 as run_s
        from jobs where queue = 'billing.invoice' and ((state = 'pending' and attempts > 0) or state = 'failed')
        order by payload->>'month' desc, id limit 200`,
  )
  return {
    months: [...months.values()].sort((a, b) => b.month.localeCompare(a.month)),
    blocked: blocked.map(
      (b): BlockedInvoice => ({
        jobId: b.id,
        contractId: b.contract_id,
        month: b.month,
        state: b.state,
        attempts: b.attempts,
        lastError: b.last_error,
        nextRunAt: b.state === 'failed' ? null : new Date(b.run_s * 1000),
      }),
    ),
  }
}

/** CDRs received per UTC day and partner since `since` (the received_at index). */
export const cdrsPerDay = async (db: Db, since: Date) =>
  execRows<{ day: string; partner_id: string; n: number }>(
    db,
    sql`select to_char(received_at at time zone 'UTC', 'YYYY-MM-DD') as day, partner_id::text as partner_id, count(*)::int as n
        from cdrs where received_at >= ${at(since)} group by 1, 2 order by 1, 2`,
  )

/** Active charges (what customers pay, reversals negative) per UTC day of the CDR's receipt and currency. */
export const chargesPerDay = async (db: Db, since: Date) =>
  execRows<{ day: string; currency: string; total: string }>(
    db,
    sql`select to_char(c.received_at at time zone 'UTC', 'YYYY-MM-DD') as day, ch.currency, sum(ch.total)::text as total
        from cdrs c join charges ch on ch.cdr_id = c.id and ch.superseded_by is null
        where c.received_at >= ${at(since)} group by 1, 2 order by 1, 2`,
  )

/** Per UTC hour: jobs finished, and the 95th percentile and maximum of due-to-done seconds (the queue lag). */
export const queueLagPerHour = async (db: Db, since: Date) =>
  execRows<{ hour: string; n: number; p95: number; max: number }>(
    db,
    sql`select to_char(date_trunc('hour', finished_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00"Z"') as hour, count(*)::int as n,
          (percentile_cont(0.95) within group (order by greatest(0, extract(epoch from finished_at - run_at))))::float8 as p95,
          max(greatest(0, extract(epoch from finished_at - run_at)))::float8 as max
        from jobs where state = 'done' and finished_at >= ${at(since)} group by 1 order by 1`,
  )
