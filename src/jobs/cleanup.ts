import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { deleteDoneJobs } from './queue.js'
import type { JobRunner } from './runner.js'

export const CLEANUP_QUEUE = 'jobs.cleanup'
const HOUR_MS = 3_600_000
const BATCH = 1000

/**
 * Done jobs are deleted `retentionHours` after they finished, in batches, by an hourly
 * `jobs.cleanup` job (one per hour slot, deduplicated, so several instances clean once).
 * Failed jobs are kept until an operator retries them.
 */
export const createJobsCleanup = (deps: {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  clock: Clock
  retentionHours: number
}) => {
  const { db, jobs } = deps
  const scheduleSlot = (slot: number) =>
    jobs.enqueue(db, { queue: CLEANUP_QUEUE, payload: { slot }, dedupeKey: String(slot), runAt: new Date(slot) })

  /** Deletes done jobs finished before now − retention; returns how many. */
  const cleanUp = async () => {
    const before = new Date(deps.clock.now().getTime() - deps.retentionHours * HOUR_MS)
    let total = 0
    for (;;) {
      const n = await deleteDoneJobs(db, before, BATCH)
      total += n
      if (n < BATCH) return total
    }
  }

  jobs.register(CLEANUP_QUEUE, async (payload, ctx) => {
    const deleted = await cleanUp()
    if (deleted > 0) ctx.log.info({ deleted }, 'done jobs past their retention deleted')
    await scheduleSlot(Number(payload.slot) + HOUR_MS)
  })

  return {
    cleanUp,
    /** Puts the current hour's cleanup job in place (idempotent); called when the job loop starts. */
    start: async () => {
      await scheduleSlot(Math.floor(deps.clock.now().getTime() / HOUR_MS) * HOUR_MS)
      jobs.kick()
    },
  }
}
