import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import type { CredentialsService } from '../credentials/index.js'
import type { Clock } from '../../platform/clock.js'
import type { SyncModule, SyncService } from './sync.service.js'

export const SCHEDULE_QUEUE = 'sync.schedule'
export const PULL_QUEUE = 'sync.pull'

/**
 * The pull schedule on the durable job runner. Time is cut into slots of `intervalMs`; a
 * `sync.schedule` job per slot enqueues one delta `sync.pull` job per registered partner and
 * pullable module, deduplicated by (partner, module, slot), and then the job of the next slot.
 * Several instances or restarts therefore never pull the same slot twice.
 */
export const createSyncSchedule = (deps: {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  sync: Pick<SyncService, 'pull' | 'pullableModules'>
  credentials: Pick<CredentialsService, 'listPartners'>
  clock: Clock
  log: FastifyBaseLogger
  intervalMs: number
}) => {
  const { db, jobs, intervalMs } = deps
  const slotOf = (at: Date) => Math.floor(at.getTime() / intervalMs) * intervalMs

  const scheduleSlot = (slot: number) =>
    jobs.enqueue(db, { queue: SCHEDULE_QUEUE, payload: { slot }, dedupeKey: String(slot), runAt: new Date(slot) })

  jobs.register(SCHEDULE_QUEUE, async (payload) => {
    const slot = Number(payload.slot)
    for (const partner of await deps.credentials.listPartners()) {
      if (partner.state !== 'REGISTERED') continue
      for (const module of deps.sync.pullableModules(partner)) {
        await jobs.enqueue(db, {
          queue: PULL_QUEUE,
          payload: { partnerId: partner.id, module, mode: 'delta' },
          dedupeKey: `${partner.id}:${module}:${slot}`,
          orderKey: `sync:${partner.id}:${module}`,
        })
      }
    }
    await scheduleSlot(slot + intervalMs)
  })

  // A failed scheduled pull is recorded in sync_runs; the next slot's delta pull catches up, so no retry here.
  jobs.register(
    PULL_QUEUE,
    async (payload, ctx) => {
      const result = await deps.sync.pull(String(payload.partnerId), payload.module as SyncModule, 'delta')
      if (!result.completed) ctx.log.warn({ errors: result.errors.slice(0, 5) }, 'scheduled pull failed part-way')
    },
    { lane: 'partner' },
  )

  return {
    slotOf,
    /** Puts the current slot's schedule job in place (idempotent); called when the job loop starts. */
    start: async () => {
      await scheduleSlot(slotOf(deps.clock.now()))
      jobs.kick()
    },
  }
}
