import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** One pull of one module from one partner's Sender interface, and its outcome. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id').notNull(),
    module: text('module').notNull(),
    /** full or delta. */
    mode: text('mode').notNull(),
    /** The `date_from` sent (delta pulls). */
    dateFrom: timestamp('date_from', { withTimezone: true, mode: 'date' }),
    /** running, completed, failed. */
    status: text('status').notNull(),
    objects: integer('objects').notNull().default(0),
    pages: integer('pages').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    errors: jsonb('errors').$type<string[]>().notNull().default([]),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('sync_runs_partner_module_idx').on(t.partnerId, t.module, t.startedAt)],
)
