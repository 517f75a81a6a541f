// SQL of the invoice run ledger: one row per (contract, month) saying where its invoice stands.
import { and, asc, count, eq, min, sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { invoiceRunItems } from '../db/schema/index.js'
import type { RunItemState } from './billing.types.js'

export interface RunItem {
  contractId: string
  month: string
  state: RunItemState
  invoiceId: string | null
  reasonCode: string | null
  reason: string | null
  details: unknown
  attempts: number
  blockedSince: Date | null
  updatedAt: Date
}

type RunItemRow = typeof invoiceRunItems.$inferSelect
const fromDbRunItem = (r: RunItemRow): RunItem => ({ ...r, state: r.state as RunItemState })

/** Queued for the month's run: a new row is PENDING; a row that exists keeps its state. */
export const markPending = async (tx: Db, contractIds: readonly string[], month: string, now: Date) => {
  if (contractIds.length === 0) return
  await tx
    .insert(invoiceRunItems)
    .values(contractIds.map((contractId) => ({ contractId, month, state: 'PENDING', attempts: 0, updatedAt: now })))
    .onConflictDoNothing()
}

/** The run finished: INVOICED (with the invoice) or NOTHING_TO_BILL; any earlier block is cleared. */
export const markDone = async (
  db: Db,
  contractId: string,
  month: string,
  state: 'INVOICED' | 'NOTHING_TO_BILL',
  invoiceId: string | null,
  now: Date,
) => {
  const done = { state, invoiceId, reasonCode: null, reason: null, details: null, attempts: 0, blockedSince: null, updatedAt: now }
  await db
    .insert(invoiceRunItems)
    .values({ contractId, month, ...done })
    .onConflictDoUpdate({ target: [invoiceRunItems.contractId, invoiceRunItems.month], set: done })
}

/** The run could not finish: BLOCKED with the reason of this attempt; `blockedSince` stays the first block's. */
export const markBlocked = async (
  db: Db,
  contractId: string,
  month: string,
  block: { code: string; reason: string; details?: unknown },
  now: Date,
) => {
  await db
    .insert(invoiceRunItems)
    .values({
      contractId,
      month,
      state: 'BLOCKED',
      reasonCode: block.code,
      reason: block.reason,
      details: block.details ?? null,
      attempts: 1,
      blockedSince: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [invoiceRunItems.contractId, invoiceRunItems.month],
      set: {
        state: 'BLOCKED',
        reasonCode: block.code,
        reason: block.reason,
        details: block.details ?? null,
        updatedAt: now,
        attempts: sql`case when ${invoiceRunItems.state} = 'BLOCKED' then ${invoiceRunItems.attempts} + 1 else 1 end`,
        blockedSince: sql`case when ${invoiceRunItems.state} = 'BLOCKED' then ${invoiceRunItems.blockedSince} else ${now.toISOString()}::timestamptz end`,
      },
    })
}

/** Blocked runs, longest blocked first. */
export const listBlocked = async (
  db: Db,
  q: { month?: string; reasonCode?: string; limit: number; offset: number },
): Promise<{ items: RunItem[]; total: number }> => {
  const where = and(
    eq(invoiceRunItems.state, 'BLOCKED'),
    q.month ? eq(invoiceRunItems.month, q.month) : undefined,
    q.reasonCode ? eq(invoiceRunItems.reasonCode, q.reasonCode) : undefined,
  )
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(invoiceRunItems)
      .where(where)
      .orderBy(asc(invoiceRunItems.blockedSince), asc(invoiceRunItems.contractId), asc(invoiceRunItems.month))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: count() }).from(invoiceRunItems).where(where),
  ])
  return { items: rows.map(fromDbRunItem), total: total?.n ?? 0 }
}

/** Blocked runs per reason, with the oldest block of each (for metrics and the console). */
export const countBlocked = async (db: Db): Promise<{ reasonCode: string; count: number; oldestSince: Date | null }[]> =>
  (
    await db
      .select({ reasonCode: invoiceRunItems.reasonCode, count: count(), oldestSince: min(invoiceRunItems.blockedSince) })
      .from(invoiceRunItems)
      .where(eq(invoiceRunItems.state, 'BLOCKED'))
      .groupBy(invoiceRunItems.reasonCode)
      .orderBy(asc(invoiceRunItems.reasonCode))
  ).map((r) => ({
    reasonCode: r.reasonCode ?? 'unknown',
    count: r.count,
    oldestSince: r.oldestSince === null ? null : new Date(r.oldestSince as Date | string),
  }))

/** How many runs of the month are in each state. */
export const countStates = async (db: Db, month: string): Promise<Record<RunItemState, number>> => {
  const rows = await db
    .select({ state: invoiceRunItems.state, n: count() })
    .from(invoiceRunItems)
    .where(eq(invoiceRunItems.month, month))
    .groupBy(invoiceRunItems.state)
  const out: Record<RunItemState, number> = { PENDING: 0, INVOICED: 0, NOTHING_TO_BILL: 0, BLOCKED: 0 }
  for (const r of rows) out[r.state as RunItemState] = r.n
  return out
}
