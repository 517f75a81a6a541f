// SQL of the partner conformance report: deviation counters per (partner, module, kind) and the
// per-partner strict mode. Functions take `(db, params)`.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { partnerConformance, partnerIntakeModes } from '../../db/schema/index.js'

export interface DeviationCount {
  partnerId: string
  module: string
  kind: string
  count: number
  firstSeenAt: Date
  lastSeenAt: Date
  sample: { path: string; received: string | null; object: string | null }
}

export interface CountIncrement {
  module: string
  kind: string
  count: number
  path: string
  received: string | null
  object: string | null
}

/** Adds to the counters in one statement; the first sample of a kind is kept. */
export const addCounts = async (db: Db, partnerId: string, at: Date, increments: CountIncrement[]) => {
  if (increments.length === 0) return
  await db
    .insert(partnerConformance)
    .values(
      increments.map((i) => ({
        partnerId,
        module: i.module,
        kind: i.kind,
        count: i.count,
        firstSeenAt: at,
        lastSeenAt: at,
        samplePath: i.path,
        sampleReceived: i.received,
        sampleObject: i.object,
      })),
    )
    .onConflictDoUpdate({
      target: [partnerConformance.partnerId, partnerConformance.module, partnerConformance.kind],
      set: {
        count: sql`${partnerConformance.count} + excluded.count`,
        lastSeenAt: sql`greatest(${partnerConformance.lastSeenAt}, excluded.last_seen_at)`,
      },
    })
}

export const listCounts = async (db: Db, partnerId?: string): Promise<DeviationCount[]> => {
  const rows = await db
    .select()
    .from(partnerConformance)
    .where(partnerId ? eq(partnerConformance.partnerId, partnerId) : undefined)
    .orderBy(asc(partnerConformance.partnerId), asc(partnerConformance.module), asc(partnerConformance.kind))
  return rows.map((r) => ({
    partnerId: r.partnerId,
    module: r.module,
    kind: r.kind,
    count: Number(r.count),
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    sample: { path: r.samplePath, received: r.sampleReceived, object: r.sampleObject },
  }))
}

export const findStrict = async (db: Db, partnerId: string): Promise<boolean> => {
  const [row] = await db
    .select({ strict: partnerIntakeModes.strict })
    .from(partnerIntakeModes)
    .where(eq(partnerIntakeModes.partnerId, partnerId))
  return row?.strict ?? false
}

export const saveStrict = async (db: Db, partnerId: string, strict: boolean, at: Date) => {
  await db
    .insert(partnerIntakeModes)
    .values({ partnerId, strict, updatedAt: at })
    .onConflictDoUpdate({ target: partnerIntakeModes.partnerId, set: { strict, updatedAt: at } })
}

/** Clears a partner's counters (after the CPO fixed its feed), optionally of one module. */
export const clearCounts = async (db: Db, partnerId: string, module?: string) => {
  await db
    .delete(partnerConformance)
    .where(and(eq(partnerConformance.partnerId, partnerId), module ? eq(partnerConformance.module, module) : undefined))
}
