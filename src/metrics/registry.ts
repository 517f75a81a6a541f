import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { OpsSnapshot } from './snapshot.js'

const JOB_STATES = ['due', 'scheduled', 'running', 'failed'] as const
const RATINGS = ['RATED', 'UNRATED', 'PENDING'] as const
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The service's Prometheus registry: the process metrics (per instance), the HTTP latency
 * histogram (per instance, observed on every response) and the gauges of the operational state,
 * set from a database snapshot at scrape time (the same on every instance).
 */
export const createMetricsRegistry = () => {
  const register = new Registry()
  collectDefaultMetrics({ register })
  const registers = [register]
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames: [...labelNames], registers })

  const http = new Histogram({
    name: 'emsp_http_request_duration_seconds',
    help: 'HTTP request latency per route pattern (route="unmatched" for unknown paths)',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers,
  })
  const g = {
    up: gauge('emsp_database_up', '1 when the last metrics snapshot could be read from the database, else 0', []),
    snapshotSeconds: gauge('emsp_metrics_snapshot_duration_seconds', 'How long reading the database snapshot of these gauges took', []),
    jobs: gauge(
      'emsp_jobs',
      'Jobs per queue and state: due (waiting for a worker), scheduled (future run time or next retry), running, failed (gave up)',
      ['queue', 'state'],
    ),
    jobsRetrying: gauge('emsp_jobs_retrying', 'Pending jobs that failed at least once and will be retried', ['queue']),
    jobsOldestDue: gauge('emsp_jobs_oldest_due_age_seconds', 'Age of the oldest due job per queue (queue lag); 0 when none is due', [
      'queue',
    ]),
    pushBacklog: gauge('emsp_token_push_backlog', 'Token changes not yet delivered to a partner', ['partner_id', 'partner']),
    pushRetrying: gauge('emsp_token_push_retrying', 'Undelivered token changes that failed at least once', ['partner_id', 'partner']),
    pushFailed: gauge('emsp_token_push_failed', 'Token changes given up on', ['partner_id', 'partner']),
    pushOldest: gauge('emsp_token_push_oldest_age_seconds', 'Age of the oldest undelivered token change', ['partner_id', 'partner']),
    cdrs: gauge('emsp_cdrs_last_hour', 'CDRs received in the last hour per partner and rating state (PENDING = not rated yet)', [
      'partner_id',
      'partner',
      'rating',
    ]),
    unrated: gauge('emsp_cdrs_unrated', 'CDRs that could not be rated (all time), per reason code', ['reason']),
    disputes: gauge('emsp_disputes', 'CDRs whose totals disagree with the operator tariff beyond the tolerance (all flagged audits)', []),
    disputesRecent: gauge('emsp_disputes_last_24h', 'CDRs flagged by the audit in the last 24 h, per partner', ['partner_id', 'partner']),
    commands: gauge('emsp_commands_last_hour', 'Commands requested in the last hour per type and current state', ['type', 'state']),
    commandResponse: gauge(
      'emsp_command_response_seconds',
      "Seconds from our command to the CPO's CommandResponse, commands of the last hour",
      ['type', 'quantile'],
    ),
    commandResult: gauge('emsp_command_result_seconds', "Seconds from our command to the CPO's CommandResult, commands of the last hour", [
      'type',
      'quantile',
    ]),
    pullLastSuccess: gauge(
      'emsp_pull_last_success_timestamp_seconds',
      'Unix time of the last completed pull per partner and module (0 = never)',
      ['partner_id', 'partner', 'module'],
    ),
    pullLastFailed: gauge('emsp_pull_last_failed', '1 when the newest pull of this partner and module failed', [
      'partner_id',
      'partner',
      'module',
    ]),
    pullRuns: gauge('emsp_pull_runs_last_24h', 'Pulls started in the last 24 h per partner, module and outcome', [
      'partner_id',
      'partner',
      'module',
      'status',
    ]),
    connections: gauge(
      'emsp_database_connections',
      'Connections of the service (all instances) to its database, per state (pg_stat_activity)',
      ['state'],
    ),
  }
  const seenQueues = new Set<string>()

  /** Sets every gauge from the snapshot (series that vanished are removed; known queues stay at 0). */
  const apply = (s: OpsSnapshot) => {
    for (const gaugeOf of Object.values(g)) gaugeOf.reset()
    g.up.set(1)
    g.snapshotSeconds.set(s.durationS)
    const names = new Map(s.partners.map((p) => [p.id, p.name]))
    const partner = (id: string) => ({ partner_id: id, partner: names.get(id) ?? 'unknown' })
    for (const q of s.jobs) seenQueues.add(q.queue)
    for (const queue of seenQueues) {
      const q = s.jobs.find((j) => j.queue === queue)
      for (const state of JOB_STATES) g.jobs.set({ queue, state }, q?.[state] ?? 0)
      g.jobsRetrying.set({ queue }, q?.retrying ?? 0)
      g.jobsOldestDue.set({ queue }, q?.oldestDueAgeS ?? 0)
    }
    const registered = s.partners.filter((p) => p.state === 'REGISTERED').map((p) => p.id)
    for (const id of new Set([...registered, ...s.tokenPushes.map((p) => p.partnerId)])) {
      const p = s.tokenPushes.find((x) => x.partnerId === id)
      g.pushBacklog.set(partner(id), p?.backlog ?? 0)
      g.pushRetrying.set(partner(id), p?.retrying ?? 0)
      g.pushFailed.set(partner(id), p?.failed ?? 0)
      g.pushOldest.set(partner(id), p?.oldestAgeS ?? 0)
    }
    for (const id of new Set([...registered, ...s.recentCdrs.map((c) => c.partnerId)])) {
      for (const rating of RATINGS)
        g.cdrs.set({ ...partner(id), rating }, s.recentCdrs.find((c) => c.partnerId === id && c.rating === rating)?.count ?? 0)
    }
    for (const u of s.unrated) g.unrated.set({ reason: u.reason }, u.count)
    g.disputes.set(s.disputes.total)
    for (const id of new Set([...registered, ...s.disputes.recent.map((d) => d.partnerId)]))
      g.disputesRecent.set(partner(id), s.disputes.recent.find((d) => d.partnerId === id)?.count ?? 0)
    for (const c of s.commands) {
      for (const [state, n] of Object.entries(c.states)) g.commands.set({ type: c.type, state }, n)
      const quantiles = [
        ['0.5', c.responseP50, c.resultP50],
        ['0.95', c.responseP95, c.resultP95],
      ] as const
      for (const [quantile, response, result] of quantiles) {
        if (response !== null) g.commandResponse.set({ type: c.type, quantile }, response)
        if (result !== null) g.commandResult.set({ type: c.type, quantile }, result)
      }
    }
    for (const p of s.pulls) {
      const labels = { ...partner(p.partnerId), module: p.module }
      g.pullLastSuccess.set(labels, p.lastSuccessAt ? p.lastSuccessAt.getTime() / 1000 : 0)
      g.pullLastFailed.set(labels, p.lastStatus === 'failed' ? 1 : 0)
      g.pullRuns.set({ ...labels, status: 'completed' }, p.completed)
      g.pullRuns.set({ ...labels, status: 'failed' }, p.failed)
    }
    for (const c of s.connections) g.connections.set({ state: c.state }, c.count)
  }

  /** The database could not be read: only `emsp_database_up 0` and the per-instance metrics remain. */
  const markDown = () => {
    for (const gaugeOf of Object.values(g)) gaugeOf.reset()
    g.up.set(0)
  }

  return { register, http, apply, markDown }
}

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>
