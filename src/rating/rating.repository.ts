// SQL of the rating area: charges (with history), the rating status of each CDR, CDR audits.
// Functions take `(db, params)`; `db` may be a transaction. Numeric columns come back as strings
// and become Decimals here (fromDb…); lines are stored as the engine's JSON lines.
import { and, asc, count, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { cdrAudits, cdrRatings, charges } from '../db/schema/index.js'
import { Decimal } from './engine/decimal.js'

export type ChargeKind = 'CHARGE' | 'REVERSAL'

export interface ChargeLine {
  kind: string
  quantity: Decimal
  unit: string
  unitPrice: Decimal
  amount: Decimal
  text: string
}

export interface Charge {
  id: string
  /** Our CDR row id. */
  cdrId: string
  contractId: string
  customerId: string
  kind: ChargeKind
  rule: string
  currency: string
  total: Decimal
  lines: ChargeLine[]
  /** `<home market>@<valid from>` of the price list used. */
  catalogVersion: string
  cdrStart: Date
  cdrEnd: Date
  ratedAt: Date
  /** The charge that replaced this one (a rerate); null for the active charge. */
  supersededBy: string | null
}

type ChargeRow = typeof charges.$inferSelect
type LineJson = { kind: string; quantity: string; unit: string; unit_price: string; amount: string; text: string }

const fromDbLine = (l: LineJson): ChargeLine => ({
  kind: l.kind,
  quantity: new Decimal(l.quantity),
  unit: l.unit,
  unitPrice: new Decimal(l.unit_price),
  amount: new Decimal(l.amount),
  text: l.text,
})

export const toDbLine = (l: ChargeLine): LineJson => ({
  kind: l.kind,
  quantity: l.quantity.toFixed(),
  unit: l.unit,
  unit_price: l.unitPrice.toFixed(),
  amount: l.amount.toFixed(2),
  text: l.text,
})

const fromDbCharge = (row: ChargeRow): Charge => ({
  id: row.id,
  cdrId: row.cdrId,
  contractId: row.contractId,
  customerId: row.customerId,
  kind: row.kind,
  rule: row.rule,
  currency: row.currency,
  total: new Decimal(row.total),
  lines: (row.lines as unknown as LineJson[]).map(fromDbLine),
  catalogVersion: row.catalogVersion,
  cdrStart: row.cdrStart,
  cdrEnd: row.cdrEnd,
  ratedAt: row.ratedAt,
  supersededBy: row.supersededBy,
})

/** Inserts a charge; undefined when the CDR already has an active one (the partial unique index). */
export const insertCharge = async (db: Db, c: Charge): Promise<Charge | undefined> => {
  const [row] = await db
    .insert(charges)
    .values({ ...c, total: c.total.toFixed(2), lines: c.lines.map(toDbLine) })
    .onConflictDoNothing()
    .returning()
  return row ? fromDbCharge(row) : undefined
}

export const findActiveCharge = async (db: Db, cdrId: string, opts: { forUpdate?: boolean } = {}): Promise<Charge | undefined> => {
  const query = db.select().from(charges).where(and(eq(charges.cdrId, cdrId), isNull(charges.supersededBy)))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbCharge(row) : undefined
}

/** Marks the active charge as replaced; the caller inserts the new one afterwards in the same transaction. */
export const supersedeCharge = async (db: Db, id: string, by: string) => {
  await db.update(charges).set({ supersededBy: by }).where(and(eq(charges.id, id), isNull(charges.supersededBy)))
}

/** Every charge of a CDR, oldest first (the history of its ratings). */
export const listChargesOfCdr = async (db: Db, cdrId: string): Promise<Charge[]> =>
  (await db.select().from(charges).where(eq(charges.cdrId, cdrId)).orderBy(asc(charges.ratedAt), asc(charges.id))).map(fromDbCharge)

/** Active charges of a contract whose CDR ended in [endedFrom, endedTo), by end time. */
export const listActiveCharges = async (db: Db, p: { contractId: string; endedFrom: Date; endedTo: Date }): Promise<Charge[]> =>
  (
    await db
      .select()
      .from(charges)
      .where(and(eq(charges.contractId, p.contractId), isNull(charges.supersededBy), gte(charges.cdrEnd, p.endedFrom), lt(charges.cdrEnd, p.endedTo)))
      .orderBy(asc(charges.cdrEnd), asc(charges.ratedAt), asc(charges.id))
  ).map(fromDbCharge)

export interface RatingStatus {
  cdrId: string
  status: 'RATED' | 'UNRATED'
  reasonCode: string | null
  reason: string | null
  chargeId: string | null
  attempts: number
  updatedAt: Date
}

/** Records the outcome of a rating attempt (one row per CDR, attempts counted). */
export const saveRatingStatus = async (db: Db, s: Omit<RatingStatus, 'attempts'>) => {
  await db
    .insert(cdrRatings)
    .values({ ...s, attempts: 1 })
    .onConflictDoUpdate({
      target: cdrRatings.cdrId,
      set: { status: s.status, reasonCode: s.reasonCode, reason: s.reason, chargeId: s.chargeId, updatedAt: s.updatedAt, attempts: sql`${cdrRatings.attempts} + 1` },
    })
}

export const findRatingStatus = async (db: Db, cdrId: string): Promise<RatingStatus | undefined> => {
  const [row] = await db.select().from(cdrRatings).where(eq(cdrRatings.cdrId, cdrId))
  return row ?? undefined
}

export type AuditRow = typeof cdrAudits.$inferSelect
export type AuditRecord = typeof cdrAudits.$inferInsert

/** One audit per CDR; a repeated audit (job replay) replaces it with the same content. */
export const saveAudit = async (db: Db, a: AuditRecord) => {
  await db.insert(cdrAudits).values(a).onConflictDoUpdate({ target: cdrAudits.cdrId, set: { ...a } })
}

export const findAudit = async (db: Db, cdrId: string): Promise<AuditRow | undefined> => {
  const [row] = await db.select().from(cdrAudits).where(eq(cdrAudits.cdrId, cdrId))
  return row ?? undefined
}

/** Flagged audits, newest first. */
export const listDisputes = async (db: Db, p: { offset: number; limit: number }): Promise<{ rows: AuditRow[]; total: number }> => {
  const rows = await db
    .select()
    .from(cdrAudits)
    .where(eq(cdrAudits.flagged, true))
    .orderBy(desc(cdrAudits.auditedAt), desc(cdrAudits.cdrId))
    .offset(p.offset)
    .limit(p.limit)
  const [n] = await db.select({ n: count() }).from(cdrAudits).where(eq(cdrAudits.flagged, true))
  return { rows, total: n?.n ?? 0 }
}
