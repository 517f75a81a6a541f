import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { createLoopHealth } from './loop-health.js'
import { claimNext, completeJob, enqueue, failJob, type ClaimedJob, type EnqueueInput } from './queue.js'

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

export interface QueueOptions {
  /** Delay before attempt n+1 after attempt n failed; default exponential from 1 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number
}

export const exponentialBackoff = (baseMs: number, capMs: number) => (attempt: number) =>
  Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))

/**
 * Runs the durable jobs: claims due jobs (any instance, any worker), calls the queue's handler,
 * and records success, a retry with backoff, or failure after the last attempt.
 * Delivery is at least once, so handlers are idempotent.
 */
export const createJobRunner = (deps: { db: Db; clock: Clock; log: FastifyBaseLogger; pollMs: number; leaseMs?: number; workers?: number }) => {
  const handlers = new Map<string, { handler: JobHandler; backoffMs: (attempt: number) => number }>()
  const leaseMs = deps.leaseMs ?? 60_000
  let running = false
  let wake: (() => void) | undefined
  let loops: Promise<void>[] = []

  const runOne = async (job: ClaimedJob) => {
    const entry = handlers.get(job.queue)!
    const log = deps.log.child({ jobId: job.id, queue: job.queue, attempt: job.attempts })
    try {
      await entry.handler(job.payload, { jobId: job.id, attempt: job.attempts, log })
      await completeJob(deps.db, job.id, deps.clock.now())
    } catch (err) {
      const now = deps.clock.now()
      const delay = err instanceof RetryLater ? err.delayMs : entry.backoffMs(job.attempts)
      const gaveUp = await failJob(deps.db, job, (err as Error).message ?? String(err), new Date(now.getTime() + delay), now)
      if (gaveUp) log.error({ err }, 'job failed for good after its last attempt')
      else log.warn({ err: (err as Error).message, retryInMs: delay }, 'job failed; will retry')
    }
  }

  /** Processes due jobs until none is left (or `max` ran); returns how many ran. Tests call it directly. */
  const runDue = async (opts: { queues?: string[]; max?: number } = {}) => {
    const queues = opts.queues ?? [...handlers.keys()]
    if (queues.length === 0) return 0
    let count = 0
    while (count < (opts.max ?? Number.POSITIVE_INFINITY)) {
      const job = await claimNext(deps.db, queues, deps.clock.now(), leaseMs)
      if (!job) break
      await runOne(job)
      count++
    }
    return count
  }

  const health = createLoopHealth({ log: deps.log })
  const loop = async () => {
    while (running) {
      let delay = deps.pollMs
      try {
        await runDue({ max: 50 })
        health.succeeded()
      } catch (err) {
        delay = health.failed(err)
      }
      if (!running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  return {
    register(queue: string, handler: JobHandler, opts: QueueOptions = {}) {
      if (handlers.has(queue)) throw new Error(`job queue ${queue} registered twice`)
      handlers.set(queue, { handler, backoffMs: opts.backoffMs ?? exponentialBackoff(1000, 3_600_000) })
    },
    /** Enqueue with the given handle (a transaction for the outbox pattern). */
    enqueue: (db: Db, input: EnqueueInput) => enqueue(db, input, deps.clock.now()),
    runDue,
    /** Wakes the background loop now (after a commit that enqueued work). */
    kick: () => wake?.(),
    start() {
      if (running) return
      running = true
      loops = Array.from({ length: deps.workers ?? 1 }, () => loop())
    },
    async stop() {
      running = false
      wake?.()
      await Promise.all(loops)
    },
  }
}

export type JobRunner = ReturnType<typeof createJobRunner>
