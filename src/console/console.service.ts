import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { SnapshotCache } from '../metrics/index.js'
import type { Partner } from '../ocpi/credentials/index.js'
import type { Clock } from '../platform/clock.js'
import { Dec } from '../pricing/index.js'
import * as q from './console.queries.js'

/** Chart data is read at most once a minute per range: a chart page is a month of CDRs. */
export const CHART_TTL_MS = 60_000
export const CHART_RANGES = [7, 30, 90] as const
export type ChartRange = (typeof CHART_RANGES)[number]

export interface ConsoleDeps {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  /** The metrics snapshot (5 s cache), shared with GET /metrics. */
  snapshots: SnapshotCache
  partners: { listPartners(): Promise<Partner[]> }
  jobs: Pick<JobRunner, 'kick'>
}

const days = (n: number) => n * 86_400_000

/**
 * One function per console page: each reads what its page shows and nothing else writes except
 * `retryJob`. The sources are small and replaceable (see README "After the merge").
 */
export const createConsoleService = (deps: ConsoleDeps) => {
  const { db, clock } = deps
  const chartCache = new Map<ChartRange, { at: number; data: Promise<ChartData> }>()

  const readCharts = async (range: ChartRange): Promise<ChartData> => {
    const now = clock.now()
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days(range - 1))
    const [partners, cdrs, charges, lag] = [
      await deps.partners.listPartners(),
      await q.cdrsPerDay(db, since),
      await q.chargesPerDay(db, since),
      await q.queueLagPerHour(db, new Date(now.getTime() - days(2))),
    ]
    const dayList = Array.from({ length: range }, (_, i) => new Date(since.getTime() + days(i)).toISOString().slice(0, 10))
    const names = new Map(partners.map((p) => [p.id, p.name]))
    const partnerIds = [...new Set(cdrs.map((c) => c.partner_id))]
    const currencies = [...new Set(charges.map((c) => c.currency))].sort()
    return {
      days: dayList,
      cdrs: partnerIds.map((id) => ({
        partner: names.get(id) ?? id,
        perDay: dayList.map((d) => cdrs.find((c) => c.day === d && c.partner_id === id)?.n ?? 0),
      })),
      revenue: currencies.map((currency) => ({
        currency,
        perDay: dayList.map((d) => charges.find((c) => c.day === d && c.currency === currency)?.total ?? '0'),
        total: charges
          .filter((c) => c.currency === currency)
          .reduce((sum, c) => sum.plus(c.total), new Dec(0))
          .toFixed(2),
      })),
      queueLag: lag.map((l) => ({ hour: l.hour, jobs: l.n, p95: l.p95, max: l.max })),
      readAt: now,
    }
  }

  return {
    /** Counts for the overview: from the metrics snapshot (at most 5 s old). */
    overview: async () => {
      const s = await deps.snapshots.get()
      const sum = <T>(items: T[], f: (t: T) => number) => items.reduce((n, i) => n + f(i), 0)
      return {
        partners: { registered: s.partners.filter((p) => p.state === 'REGISTERED').length, total: s.partners.length },
        cdrsLastHour: sum(s.recentCdrs, (c) => c.count),
        unrated: sum(s.unrated, (u) => u.count),
        disputes: s.disputes.total,
        failedJobs: sum(s.jobs, (j) => j.failed),
        retryingJobs: sum(s.jobs, (j) => j.retrying),
        pushBacklog: sum(s.tokenPushes, (p) => p.backlog),
        worstLag: s.jobs.reduce<{ queue: string; seconds: number } | undefined>(
          (w, j) => (j.oldestDueAgeS > (w?.seconds ?? 0) ? { queue: j.queue, seconds: j.oldestDueAgeS } : w),
          undefined,
        ),
        failedPulls: s.pulls.filter((p) => p.lastStatus === 'failed').length,
        takenAt: s.takenAt,
      }
    },

    /** Partners with roles and state, the last pull per module, token push backlog, pull errors, CDRs and disputes. */
    partners: async () => {
      const [partners, s] = [await deps.partners.listPartners(), await deps.snapshots.get()]
      return partners
        .map((p) => ({
          partner: p,
          pulls: s.pulls.filter((x) => x.partnerId === p.id),
          push: s.tokenPushes.find((x) => x.partnerId === p.id),
          cdrsLastHour: s.recentCdrs.filter((c) => c.partnerId === p.id),
          disputes24h: s.disputes.recent.find((d) => d.partnerId === p.id)?.count ?? 0,
        }))
        .sort((a, b) => a.partner.name.localeCompare(b.partner.name))
    },

    unratedCdrs: async (page: q.Page & { reason?: string }) => {
      const s = await deps.snapshots.get()
      return { ...(await q.listUnratedCdrs(db, page)), reasons: s.unrated }
    },

    disputes: (page: q.Page) => q.listDisputes(db, page),

    jobs: async (page: q.Page & { kind: q.ProblemKind; queue?: string }) => {
      const s = await deps.snapshots.get()
      return { ...(await q.listProblemJobs(db, page)), queues: s.jobs }
    },

    /** Runs a failed or retrying job again now and wakes this instance's workers. */
    retryJob: async (id: number, by: string) => {
      const result = await q.retryJob(db, id, clock.now())
      if (result.outcome === 'retried') {
        deps.log.info({ jobId: id, queue: result.job.queue, by }, 'console: job queued to run again')
        deps.jobs.kick()
      }
      return result
    },

    invoiceRuns: () => q.invoiceRuns(db, clock.now()),

    /** CDRs per day per partner and charges per day per currency over `range` days; queue lag per hour over 48 h. */
    charts: (range: ChartRange) => {
      const now = clock.now().getTime()
      const cached = chartCache.get(range)
      if (cached && now - cached.at < CHART_TTL_MS && now >= cached.at) return cached.data
      const data = readCharts(range)
      chartCache.set(range, { at: now, data })
      data.catch(() => chartCache.delete(range))
      return data
    },
  }
}

export interface ChartData {
  days: string[]
  cdrs: { partner: string; perDay: number[] }[]
  revenue: { currency: string; perDay: string[]; total: string }[]
  queueLag: { hour: string; jobs: number; p95: number; max: number }[]
  readAt: Date
}

export type ConsoleService = ReturnType<typeof createConsoleService>
