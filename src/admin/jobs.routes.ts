import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Db } from '../db/client.js'
import { listFailedJobs, retryFailedJob } from '../jobs/queue.js'
import type { Clock } from '../platform/clock.js'
import { conflict, notFound } from '../platform/errors.js'

const tags = ['admin: jobs']

const FailedJobView = z
  .object({
    id: z.number().int(),
    queue: z.string(),
    payload: z.record(z.string(), z.unknown()),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'FailedJob' })

/** Failed jobs (gave up after their last attempt): listed for the operator and retried on request. */
export const jobsRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock; kick: () => void }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: 'Failed jobs, newest first (page on with `before_id`)',
        querystring: z.object({
          status: z
            .literal('failed')
            .default('failed')
            .describe('Only failed jobs are listed; done jobs are cleaned up, pending ones are in the metrics'),
          queue: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before_id: z.coerce.number().int().min(1).optional(),
        }),
        response: { 200: z.object({ jobs: z.array(FailedJobView), next_before_id: z.number().int().nullable() }) },
      },
    },
    async (req) => {
      const rows = await listFailedJobs(deps.db, { queue: req.query.queue, limit: req.query.limit, beforeId: req.query.before_id })
      return {
        jobs: rows.map((j) => ({
          id: j.id,
          queue: j.queue,
          payload: j.payload,
          attempts: j.attempts,
          max_attempts: j.maxAttempts,
          last_error: j.lastError,
          created_at: j.createdAt.toISOString(),
          finished_at: j.finishedAt?.toISOString() ?? null,
        })),
        next_before_id: rows.length === req.query.limit ? rows[rows.length - 1]!.id : null,
      }
    },
  )
  r.post(
    '/jobs/:id/retry',
    {
      schema: {
        tags,
        summary: 'Run a failed job again: pending now, attempts reset',
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: z.object({ id: z.number().int(), state: z.literal('pending') }) },
      },
    },
    async (req) => {
      const outcome = await retryFailedJob(deps.db, req.params.id, deps.clock.now())
      if (outcome === 'not_found') throw notFound('job_not_found', `No job ${req.params.id}`)
      if (outcome === 'not_failed') throw conflict('job_not_failed', `Job ${req.params.id} has not failed: only failed jobs are retried`)
      deps.kick()
      return { id: req.params.id, state: 'pending' as const }
    },
  )
}
