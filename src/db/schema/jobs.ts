import { sql } from 'drizzle-orm'
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

/**
 * The durable job queue (an outbox): a row is written in the same transaction as the change
 * that needs it, so an acknowledged change is never without its follow-up work.
 * Jobs that share an `orderKey` run one at a time, oldest first.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    orderKey: text('order_key'),
    /** An idempotency key: a second enqueue with the same queue and key creates nothing, whatever the first's state. */
    dedupeKey: text('dedupe_key'),
    /** pending, running, done, failed (gave up after maxAttempts). */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(25),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // The claim reads each queue in exactly this order (queue.ts claimDue), statistics or not.
    index('jobs_due_idx').on(t.queue, t.runAt, t.id).where(sql`state in ('pending', 'running')`),
    index('jobs_order_key_idx').on(t.orderKey, t.id).where(sql`state in ('pending', 'running')`),
    uniqueIndex('jobs_dedupe_idx').on(t.queue, t.dedupeKey),
    // The failed-job list and counts, and the queue-lag history (metrics and console).
    index('jobs_failed_idx').on(t.queue, t.finishedAt).where(sql`state = 'failed'`),
    index('jobs_done_finished_idx').on(t.finishedAt).where(sql`state = 'done'`),
  ],
)
