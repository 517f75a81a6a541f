// Read-only queries of the operational state (jobs, CDRs, disputes, token pushes, commands, pulls,
// connections) for the metrics scrape and the console. They read other modules' tables and never
// write. Each is one statement on an index (the partial job indexes, cdrs_received_at_idx, the
// flagged-audit and unrated-rating partial indexes, commands_requested_at_idx, sync_runs by partner).
// Numbers are cast in SQL (::int, ::float8) so postgres.js and PGlite answer the same JS types.
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../db/client.js'

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`

export interface JobQueueStats {
  queue: string
  /** Pending and due now (waiting for a worker). */
  due: number
  /** Pending with a run time in the future (scheduled, or waiting for its next retry). */
  scheduled: number
  running: number
  /** Pending after at least one failed attempt. */
  retrying: number
  /** Gave up after the last attempt. */
  failed: number
  /** How long the oldest due job has waited, seconds (0 when none is due). */
  oldestDueAgeS: number
}

/** Per queue: due, scheduled, running, retrying and failed jobs, and the age of the oldest due one. */
export const jobQueueStats = async (db: Db, now: Date): Promise<JobQueueStats[]> => {
  const rows = await execRows<{
    queue: string
    due: number
    scheduled: number
    running: number
    retrying: number
    failed: number
    oldest_due_age_s: number
  }>(
    db,
    sql`select queue,
          count(*) filter (where state = 'pending' and run_at <= ${at(now)})::int as due,
          count(*) filter (where state = 'pending' and run_at > ${at(now)})::int as scheduled,
          count(*) filter (where state = 'running')::int as running,
          count(*) filter (where state = 'pending' and attempts > 0)::int as retrying,
          0 as failed,
          coalesce(extract(epoch from ${at(now)} - min(run_at) filter (where state = 'pending' and run_at <= ${at(now)})), 0)::float8 as oldest_due_age_s
        from jobs where state in ('pending', 'running') group by queue
        union all
        select queue, 0, 0, 0, 0, count(*)::int, 0 from jobs where state = 'failed' group by queue`,
  )
  const byQueue = new Map<string, JobQueueStats>()
  for (const r of rows) {
    const s = byQueue.get(r.queue) ?? { queue: r.queue, due: 0, scheduled: 0, running: 0, retrying: 0, failed: 0, oldestDueAgeS: 0 }
    s.due += r.due
    s.scheduled += r.scheduled
    s.running += r.running
    s.retrying += r.retrying
    s.failed += r.failed
    s.oldestDueAgeS = Math.max(s.oldestDueAgeS, r.oldest_due_age_s)
    byQueue.set(r.queue, s)
  }
  return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue))
}

export interface PartnerRef {
  id: string
  name: string
  state: string
}

export const listPartnerRefs = async (db: Db): Promise<PartnerRef[]> =>
  execRows<PartnerRef>(db, sql`select id::text as id, name, state from partners order by name, id`)

export interface TokenPushStats {
  partnerId: string
  /** Changes not yet delivered (pending or being sent). */
  backlog: number
  /** Of those, changes that failed at least once (the CPO refuses or is down). */
  retrying: number
  /** Changes given up on. */
  failed: number
  /** Age of the oldest undelivered change, seconds. */
  oldestAgeS: number
}

/** Token push backlog per partner (the `tokens.push` jobs carry the partner id). */
export const tokenPushStats = async (db: Db, now: Date): Promise<TokenPushStats[]> => {
  const rows = await execRows<{ partner_id: string; backlog: number; retrying: number; failed: number; oldest_age_s: number }>(
    db,
    sql`select payload->>'partnerId' as partner_id, count(*)::int as backlog,
          count(*) filter (where state = 'pending' and attempts > 0)::int as retrying, 0 as failed,
          coalesce(extract(epoch from ${at(now)} - min(created_at)), 0)::float8 as oldest_age_s
        from jobs where queue = 'tokens.push' and state in ('pending', 'running') group by 1
        union all
        select payload->>'partnerId', 0, 0, count(*)::int, 0 from jobs where queue = 'tokens.push' and state = 'failed' group by 1`,
  )
  const byPartner = new Map<string, TokenPushStats>()
  for (const r of rows) {
    const s = byPartner.get(r.partner_id) ?? { partnerId: r.partner_id, backlog: 0, retrying: 0, failed: 0, oldestAgeS: 0 }
    s.backlog += r.backlog
    s.retrying += r.retrying
    s.failed += r.failed
    s.oldestAgeS = Math.max(s.oldestAgeS, r.oldest_age_s)
    byPartner.set(r.partner_id, s)
  }
  return [...byPartner.values()]
}

export type RatingState = 'RATED' | 'UNRATED' | 'PENDING'

/** CDRs received since `since`, per partner and rating state (PENDING: not rated yet). */
export const recentCdrStats = async (db: Db, since: Date): Promise<{ partnerId: string; rating: RatingState; count: number }[]> =>
  (
    await execRows<{ partner_id: string; rating: RatingState; n: number }>(
      db,
      sql`select c.partner_id::text as partner_id, coalesce(r.status, 'PENDING') as rating, count(*)::int as n
          from cdrs c left join cdr_ratings r on r.cdr_id = c.id
          where c.received_at > ${at(since)} group by 1, 2`,
    )
  ).map((r) => ({ partnerId: r.partner_id, rating: r.rating, count: r.n }))

/** Every CDR that could not be rated, per reason code. */
export const unratedByReason = async (db: Db): Promise<{ reason: string; count: number }[]> =>
  (
    await execRows<{ reason: string; n: number }>(
      db,
      sql`select coalesce(reason_code, 'unknown') as reason, count(*)::int as n from cdr_ratings where status = 'UNRATED' group by 1 order by 1`,
    )
  ).map((r) => ({ reason: r.reason, count: r.n }))

/**
 * Flagged CDR audits (disputes): all of them, and those flagged since `since` per partner (the
 * window keeps the join to the CDRs bounded as disputes accumulate).
 */
export const disputeStats = async (db: Db, since: Date): Promise<{ total: number; recent: { partnerId: string; count: number }[] }> => {
  const [total] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from cdr_audits where flagged`)
  const recent = await execRows<{ partner_id: string; n: number }>(
    db,
    sql`select c.partner_id::text as partner_id, count(*)::int as n from cdr_audits a join cdrs c on c.id = a.cdr_id
        where a.flagged and a.audited_at > ${at(since)} group by 1`,
  )
  return { total: total?.n ?? 0, recent: recent.map((r) => ({ partnerId: r.partner_id, count: r.n })) }
}

export interface CommandStats {
  type: string
  /** Commands requested in the window, per current state. */
  states: Record<string, number>
  /** Seconds from our request to the CPO's CommandResponse, and to its CommandResult (median, 95th percentile); null without data. */
  responseP50: number | null
  responseP95: number | null
  resultP50: number | null
  resultP95: number | null
}

/** Commands requested since `since`: outcomes per type and state, response and result latency. */
export const commandStats = async (db: Db, since: Date): Promise<CommandStats[]> => {
  const states = await execRows<{ type: string; state: string; n: number }>(
    db,
    sql`select type, state, count(*)::int as n from commands where requested_at > ${at(since)} group by 1, 2`,
  )
  const latency = await execRows<{
    type: string
    response_p50: number | null
    response_p95: number | null
    result_p50: number | null
    result_p95: number | null
  }>(
    db,
    sql`select type,
          (percentile_cont(0.5) within group (order by extract(epoch from responded_at - requested_at)) filter (where responded_at is not null))::float8 as response_p50,
          (percentile_cont(0.95) within group (order by extract(epoch from responded_at - requested_at)) filter (where responded_at is not null))::float8 as response_p95,
          (percentile_cont(0.5) within group (order by extract(epoch from result_at - requested_at)) filter (where result_at is not null))::float8 as result_p50,
          (percentile_cont(0.95) within group (order by extract(epoch from result_at - requested_at)) filter (where result_at is not null))::float8 as result_p95
        from commands where requested_at > ${at(since)} group by 1`,
  )
  return latency
    .map((l) => ({
      type: l.type,
      states: Object.fromEntries(states.filter((s) => s.type === l.type).map((s) => [s.state, s.n])),
      responseP50: l.response_p50,
      responseP95: l.response_p95,
      resultP50: l.result_p50,
      resultP95: l.result_p95,
    }))
    .sort((a, b) => a.type.localeCompare(b.type))
}

export interface PullStats {
  partnerId: string
  module: string
  /** The newest run (any outcome). */
  lastStatus: string | null
  lastStartedAt: Date | null
  lastError: string | null
  /** The newest completed run's finish time. */
  lastSuccessAt: Date | null
  /** Runs started since `since` per outcome. */
  completed: number
  failed: number
}

const epochToDate = (s: number | null) => (s === null ? null : new Date(s * 1000))

/**
 * Per registered partner and module it serves as Sender: the newest pull, the newest successful
 * one, and the outcomes since `since` (each a short index read on sync_runs by partner and module).
 */
export const pullStats = async (db: Db, since: Date): Promise<PullStats[]> =>
  (
    await execRows<{
      partner_id: string
      module: string
      last_status: string | null
      last_started: number | null
      last_error: string | null
      last_success: number | null
      completed: number
      failed: number
    }>(
      db,
      sql`select p.id::text as partner_id, m.module, last.status as last_status, extract(epoch from last.started_at)::float8 as last_started,
            last.errors->>0 as last_error, extract(epoch from ok.finished_at)::float8 as last_success,
            coalesce(day.completed, 0)::int as completed, coalesce(day.failed, 0)::int as failed
          from partners p
          cross join (values ('locations'), ('tariffs'), ('sessions'), ('cdrs')) as m(module)
          left join lateral (select status, started_at, errors from sync_runs s where s.partner_id = p.id and s.module = m.module order by started_at desc limit 1) last on true
          left join lateral (select finished_at from sync_runs s where s.partner_id = p.id and s.module = m.module and s.status = 'completed' order by started_at desc limit 1) ok on true
          left join lateral (select count(*) filter (where status = 'completed') as completed, count(*) filter (where status = 'failed') as failed
                             from sync_runs s where s.partner_id = p.id and s.module = m.module and s.started_at > ${at(since)}) day on true
          where p.state = 'REGISTERED'
            and exists (select 1 from jsonb_array_elements(p.endpoints) e where e->>'identifier' = m.module and e->>'role' = 'SENDER')
          order by p.name, p.id, m.module`,
    )
  ).map((r) => ({
    partnerId: r.partner_id,
    module: r.module,
    lastStatus: r.last_status,
    lastStartedAt: epochToDate(r.last_started),
    lastError: r.last_error,
    lastSuccessAt: epochToDate(r.last_success),
    completed: r.completed,
    failed: r.failed,
  }))

/** Connections of this service (every instance: they share the application name) to its database, per state. */
export const databaseConnections = async (db: Db): Promise<{ state: string; count: number }[]> =>
  (
    await execRows<{ state: string; n: number }>(
      db,
      sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
          where application_name = 'emsp' and datname = current_database() group by 1 order by 1`,
    )
  ).map((r) => ({ state: r.state, count: r.n }))
