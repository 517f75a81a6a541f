import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { createLoopHealth } from './loop-health.js'
import {
  claimDue,
  completeJob,
  completeJobs,
  enqueue,
  enqueueMany,
  failJob,
  releaseJobs,
  type ClaimedJob,
  type EnqueueInput,
} from './queue.js'

/** Thrown by a handler to be retried after a given delay (e.g. the partner's Retry-After). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message)
    this.name = 'RetryLater'
  }
}

export interface JobContext {
  jobId: number
  attempt: number
  log: FastifyBaseLogger
}

export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>

/**
 * Runs several claimed jobs of one queue at once (fewer statements per job). It either does all of
 * them or throws; on a throw each job runs again through the queue's own handler, so one bad job
 * fails alone. Like a handler, it must be idempotent.
 * `complete(tx)` marks the batch's jobs done in the handler's own transaction (one statement inside it,
 * no commit of its own): call it only in the transaction that holds ALL the batch's work, then the jobs
 * are done exactly when their results are committed. Otherwise the runner completes them afterwards.
 */
export type BatchHandler = (
  payloads: Record<string, unknown>[],
  ctx: { log: FastifyBaseLogger; complete: (tx: Db) => Promise<void> },
) => Promise<void>

/**
 * Where a queue's jobs run. `local`: work on our own data (rating, audit, invoices, mail, expiry).
 * `partner`: calls out to partners (token pushes, pulls, command sends), which may hang up to
 * their timeout. Each lane has its own workers, so a slow partner never occupies a rating worker.
 */
export type Lane = 'local' | 'partner'
export const LANES: readonly Lane[] = ['local', 'partner']

export interface QueueOptions {
  /** Defaults to `local`. Partner-lane jobs carry the partner's id as `payload.partnerId`. */
  lane?: Lane
  /** Delay before attempt n+1 after attempt n failed; default exponential from 1 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number
  /** Runs consecutive claimed jobs of this queue together (local lane); the handler stays the fallback. */
  batch?: BatchHandler
}

export const exponentialBackoff = (baseMs: number, capMs: number) => (attempt: number) =>
  Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))

export interface JobRunnerDeps {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  pollMs: number
  leaseMs?: number
  /** Workers per lane (default local 4, partner 4). */
  workers?: Partial<Record<Lane, number>>
  /** At most this many jobs of one partner run at once in this process (default 2). */
  partnerCap?: number
  /** Local-lane jobs one worker claims per statement (default 8); the partner lane claims one at a time for its cap. */
  claimBatch?: number
  /** Jobs of a queue with a batch handler one worker claims per statement (default 32): one batch, a few statements. */
  batchClaim?: number
}

/** A simple mutex: calls run one after the other. */
const serial = () => {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn)
    tail = next.catch(() => undefined)
    return next
  }
}

/**
 * Runs the durable jobs: claims due jobs (any instance, any worker), calls the queue's handler,
 * and records success, a retry with backoff, or failure after the last attempt.
 * Delivery is at least once, so handlers are idempotent.
 */
export const createJobRunner = (deps: JobRunnerDeps) => {
  const handlers = new Map<
    string,
    { handler: JobHandler; batch?: BatchHandler | undefined; lane: Lane; backoffMs: (attempt: number) => number }
  >()
  const leaseMs = deps.leaseMs ?? 60_000
  const partnerCap = deps.partnerCap ?? 2
  const workers: Record<Lane, number> = { local: deps.workers?.local ?? 4, partner: deps.workers?.partner ?? 4 }
  let running = false
  const wakers = new Set<() => void>()
  let loops: Promise<void>[] = []
  /** Jobs this process is running, and how many per partner. */
  const inFlight = new Map<number, ClaimedJob>()
  const perPartner = new Map<string, number>()
  /** Jobs whose lease `stop()` gave back: their late outcome is not written (another instance owns them). */
  const released = new Set<number>()
  /** Partner-lane claims one at a time, so the per-partner cap holds; local claims run side by side. */
  const partnerClaims = serial()

  const partnerOf = (job: ClaimedJob) => (typeof job.payload.partnerId === 'string' ? job.payload.partnerId : undefined)
  const track = (job: ClaimedJob, delta: 1 | -1) => {
    const partner = partnerOf(job)
    if (delta > 0) inFlight.set(job.id, job)
    else inFlight.delete(job.id)
    if (partner === undefined) return
    const n = (perPartner.get(partner) ?? 0) + delta
    if (n > 0) perPartner.set(partner, n)
    else perPartner.delete(partner)
  }
  const partnersAtCap = () => [...perPartner].filter(([, n]) => n >= partnerCap).map(([p]) => p)

  const queuesOf = (lane?: Lane) => [...handlers].filter(([, h]) => lane === undefined || h.lane === lane).map(([q]) => q)

  const claimBatch = Math.max(1, deps.claimBatch ?? 8)
  const batchClaim = Math.max(1, deps.batchClaim ?? 32)
  /** Claims a batch of due jobs (one job in the partner lane, or with no lane given). */
  const claim = (queues: string[], lane: Lane | undefined, max = Number.POSITIVE_INFINITY) => {
    const limit = Math.min(lane === 'local' ? claimBatch : 1, max)
    // Queues with a batch handler take more per claim: their jobs run together, in a few statements.
    const queueLimits =
      lane === 'local'
        ? Object.fromEntries(queues.filter((q) => handlers.get(q)?.batch).map((q) => [q, Math.min(batchClaim, max)]))
        : undefined
    const take = async () => {
      const claimed = await claimDue(deps.db, queues, deps.clock.now(), leaseMs, {
        skipPartners: partnersAtCap(),
        limit,
        ...(queueLimits ? { queueLimits } : {}),
      })
      for (const job of claimed) track(job, 1)
      return claimed
    }
    return lane === 'partner' ? partnerClaims(take) : take()
  }

  /** Runs a claimed batch in order; once the runner stops, the rest is handed back (pending, unlocked). */
  const runBatch = async (batch: ClaimedJob[], keepGoing: () => boolean) => {
    let ran = 0
    while (ran < batch.length && keepGoing()) {
      // Consecutive jobs of a queue with a batch handler run together; any other job runs alone.
      const first = batch[ran]!
      let end = ran + 1
      if (handlers.get(first.queue)?.batch) while (end < batch.length && batch[end]!.queue === first.queue) end++
      const group = batch.slice(ran, end)
      if (group.length > 1) await runGroup(group)
      else await runOne(first)
      ran = end
    }
    // Jobs `stop()` already gave back are not released twice (another instance may hold them by now).
    const rest = batch.slice(ran).filter((job) => !released.delete(job.id))
    for (const job of rest) track(job, -1)
    await releaseJobs(
      deps.db,
      rest.map((j) => j.id),
    )
    return ran
  }

  /** Jobs of one queue through its batch handler; if it throws, each job runs alone through the handler. */
  const runGroup = async (group: ClaimedJob[]) => {
    const entry = handlers.get(group[0]!.queue)!
    const log = deps.log.child({ queue: group[0]!.queue, jobs: group.length })
    let completedInside = false
    // Jobs `stop()` gave back meanwhile are not completed (another instance may hold them by now).
    const complete = async (tx: Db) => {
      completedInside = true
      await completeJobs(
        tx,
        group.filter((job) => !released.has(job.id)).map((j) => j.id),
        deps.clock.now(),
      )
    }
    try {
      await entry.batch!(
        group.map((j) => j.payload),
        { log, complete },
      )
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'batch failed; running its jobs one by one')
      for (const job of group) await runOne(job)
      return
    }
    const done = group.filter((job) => !released.delete(job.id))
    try {
      if (!completedInside)
        await completeJobs(
          deps.db,
          done.map((j) => j.id),
          deps.clock.now(),
        )
    } finally {
      for (const job of group) track(job, -1)
    }
  }

  const runOne = async (job: ClaimedJob) => {
    const entry = handlers.get(job.queue)!
    const log = deps.log.child({ jobId: job.id, queue: job.queue, attempt: job.attempts })
    try {
      await entry.handler(job.payload, { jobId: job.id, attempt: job.attempts, log })
      if (!released.delete(job.id)) await completeJob(deps.db, job.id, deps.clock.now())
    } catch (err) {
      if (released.delete(job.id)) return
      const now = deps.clock.now()
      const delay = err instanceof RetryLater ? err.delayMs : entry.backoffMs(job.attempts)
      const gaveUp = await failJob(deps.db, job, (err as Error).message ?? String(err), new Date(now.getTime() + delay), now)
      if (gaveUp) log.error({ err }, 'job failed for good after its last attempt')
      else log.warn({ err: (err as Error).message, retryInMs: delay }, 'job failed; will retry')
    } finally {
      track(job, -1)
    }
  }

  /**
   * Processes due jobs one after the other until none is left (or `max` ran); returns how many ran.
   * `lane` or `queues` narrow what is claimed. Tests call it directly.
   */
  const runDue = async (opts: { queues?: string[]; lane?: Lane; max?: number } = {}) => {
    const queues = opts.queues ?? queuesOf(opts.lane)
    if (queues.length === 0) return 0
    const max = opts.max ?? Number.POSITIVE_INFINITY
    let count = 0
    while (count < max) {
      const batch = await claim(queues, opts.lane, max - count)
      if (batch.length === 0) break
      count += await runBatch(batch, () => true)
    }
    return count
  }

  const health = createLoopHealth({ log: deps.log })
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        wakers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      wakers.add(wake)
    })

  const loop = async (lane: Lane) => {
    while (running) {
      let delay = deps.pollMs
      const started = Date.now()
      try {
        await runLane(lane)
        health.succeeded(started)
      } catch (err) {
        delay = health.failed(err)
      }
      if (!running) break
      await sleep(delay)
    }
  }

  /** One worker's pass over its lane: claims until nothing is due or the runner stops. */
  const runLane = async (lane: Lane) => {
    const queues = queuesOf(lane)
    for (let n = 0; running && n < 50 && queues.length > 0; ) {
      const batch = await claim(queues, lane)
      if (batch.length === 0) return
      n += await runBatch(batch, () => running)
    }
  }

  const wakeAll = () => {
    for (const wake of [...wakers]) wake()
  }

  return {
    register(queue: string, handler: JobHandler, opts: QueueOptions = {}) {
      if (handlers.has(queue)) throw new Error(`job queue ${queue} registered twice`)
      handlers.set(queue, {
        handler,
        batch: opts.batch,
        lane: opts.lane ?? 'local',
        backoffMs: opts.backoffMs ?? exponentialBackoff(1000, 3_600_000),
      })
    },
    /** The lane a queue runs in (undefined if not registered). */
    laneOf: (queue: string) => handlers.get(queue)?.lane,
    /** Enqueue with the given handle (a transaction for the outbox pattern). */
    enqueue: (db: Db, input: EnqueueInput) => enqueue(db, input, deps.clock.now()),
    /** Several jobs in one statement (same rules as `enqueue`); answers the ids created. */
    enqueueMany: (db: Db, inputs: EnqueueInput[]) => enqueueMany(db, inputs, deps.clock.now()),
    runDue,
    /** Wakes the background workers now (after a commit that enqueued work). */
    kick: wakeAll,
    start() {
      if (running) return
      running = true
      loops = LANES.flatMap((lane) => Array.from({ length: workers[lane] }, () => loop(lane)))
    },
    /**
     * Stops claiming, waits up to `timeoutMs` for running jobs, then gives the lease of those still
     * running back (pending, no lock) so another instance takes them at once.
     */
    async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
      running = false
      wakeAll()
      const all = Promise.all(loops)
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, opts.timeoutMs ?? 10_000)
      })
      await Promise.race([all, bound])
      clearTimeout(timer)
      const unfinished = [...inFlight.keys()]
      if (unfinished.length === 0) return
      for (const id of unfinished) released.add(id)
      await releaseJobs(deps.db, unfinished)
      deps.log.warn({ jobs: unfinished }, 'stopped with jobs still running: their lease is released')
    },
  }
}

export type JobRunner = ReturnType<typeof createJobRunner>
