import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import {
  commandStats,
  databaseConnections,
  disputeStats,
  jobQueueStats,
  listPartnerRefs,
  pullStats,
  recentCdrStats,
  tokenPushStats,
  unratedByReason,
  type CommandStats,
  type JobQueueStats,
  type PartnerRef,
  type PullStats,
  type RatingState,
  type TokenPushStats,
} from './ops.queries.js'

/** The windows of the windowed figures (documented with the metrics in the README). */
/** CDRs per partner and rating state: the last hour (each CDR in the window costs a few index and heap reads). */
export const CDR_WINDOW_MS = 3_600_000
export const DISPUTE_WINDOW_MS = 24 * 3_600_000
export const PULL_WINDOW_MS = 24 * 3_600_000
export const COMMAND_WINDOW_MS = 3_600_000

/** The operational state read from the database at one moment: the same for every instance. */
export interface OpsSnapshot {
  takenAt: Date
  /** How long reading it took, seconds. */
  durationS: number
  partners: PartnerRef[]
  jobs: JobQueueStats[]
  tokenPushes: TokenPushStats[]
  recentCdrs: { partnerId: string; rating: RatingState; count: number }[]
  unrated: { reason: string; count: number }[]
  /** All flagged audits, and those of the last 24 h per partner. */
  disputes: { total: number; recent: { partnerId: string; count: number }[] }
  commands: CommandStats[]
  pulls: PullStats[]
  connections: { state: string; count: number }[]
}

/** Reads the snapshot: ten short indexed statements, one after the other (one connection at a time). */
export const readOpsSnapshot = async (db: Db, now: Date): Promise<OpsSnapshot> => {
  const started = performance.now()
  const partners = await listPartnerRefs(db)
  const jobs = await jobQueueStats(db, now)
  const tokenPushes = await tokenPushStats(db, now)
  const recentCdrs = await recentCdrStats(db, new Date(now.getTime() - CDR_WINDOW_MS))
  const unrated = await unratedByReason(db)
  const disputes = await disputeStats(db, new Date(now.getTime() - DISPUTE_WINDOW_MS))
  const commands = await commandStats(db, new Date(now.getTime() - COMMAND_WINDOW_MS))
  const pulls = await pullStats(db, new Date(now.getTime() - PULL_WINDOW_MS))
  const connections = await databaseConnections(db)
  const durationS = (performance.now() - started) / 1000
  return { takenAt: now, durationS, partners, jobs, tokenPushes, recentCdrs, unrated, disputes, commands, pulls, connections }
}

/**
 * The snapshot, read at most once per `ttlMs` (by the injected clock) however often it is asked
 * for; concurrent callers share one read. A failed read is not kept: the next call tries again.
 */
export const createSnapshotCache = (deps: { db: Db; clock: Clock; ttlMs: number; read?: typeof readOpsSnapshot }) => {
  const read = deps.read ?? readOpsSnapshot
  let cached: OpsSnapshot | undefined
  let inFlight: Promise<OpsSnapshot> | undefined
  return {
    get: (): Promise<OpsSnapshot> => {
      const now = deps.clock.now()
      if (cached && now.getTime() - cached.takenAt.getTime() < deps.ttlMs && now >= cached.takenAt) return Promise.resolve(cached)
      inFlight ??= read(deps.db, now)
        .then((s) => (cached = s))
        .finally(() => (inFlight = undefined))
      return inFlight
    },
  }
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>
