// SQL of the rating area: charges (with history), the rating status of each CDR, CDR audits.
// Functions take `(db, params)`; `db` may be a transaction. Numeric columns come back as strings
// and become Decimals here (fromDb…); lines are stored as the engine's JSON lines.
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import { execRows, type Db } from '../db/client.js'
import { jsonRows } from '../db/json-rows.js'
import { cdrAudits, cdrRatings, cdrs, charges } from '../db/schema/index.js'
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

/** Several charges in one statement (a batch of first ratings); answers how many were inserted. */
export const insertCharges = async (db: Db, cs: Charge[]): Promise<number> => {
  if (cs.length === 0) return 0
  const rows = jsonRows(
    charges,
    [...CHARGE_KEYS],
    cs.map((c) => ({ ...c, total: c.total.toFixed(2), lines: c.lines.map(toDbLine) })),
  )
  return (
    await execRows<{ id: string }>(
      db,
      sql`insert into charges (${rows.columns}) select ${rows.columns} from ${rows.from} on conflict do nothing returning id`,
    )
  ).length
}
const CHARGE_KEYS = [
  'id',
  'cdrId',
  'contractId',
  'customerId',
  'kind',
  'rule',
  'currency',
  'total',
  'lines',
  'catalogVersion',
  'cdrStart',
  'cdrEnd',
  'ratedAt',
  'supersededBy',
] as const

export const findActiveCharge = async (db: Db, cdrId: string, opts: { forUpdate?: boolean } = {}): Promise<Charge | undefined> => {
  const query = db
    .select()
    .from(charges)
    .where(and(eq(charges.cdrId, cdrId), isNull(charges.supersededBy)))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbCharge(row) : undefined
}

/** Marks the active charge as replaced; the caller inserts the new one afterwards in the same transaction. */
export const supersedeCharge = async (db: Db, id: string, by: string) => {
  await db
    .update(charges)
    .set({ supersededBy: by })
    .where(and(eq(charges.id, id), isNull(charges.supersededBy)))
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
      .where(
        and(
          eq(charges.contractId, p.contractId),
          isNull(charges.supersededBy),
          gte(charges.cdrEnd, p.endedFrom),
          lt(charges.cdrEnd, p.endedTo),
        ),
      )
      .orderBy(asc(charges.cdrEnd), asc(charges.ratedAt), asc(charges.id))
  ).map(fromDbCharge)

export interface RatingStatus {
  cdrId: string
  status: 'RATED' | 'UNRATED' | 'REJECTED'
  reasonCode: string | null
  reason: string | null
  chargeId: string | null
  attempts: number
  updatedAt: Date
  /** The operator's decision on a held CDR: APPROVED (rate it although held) or REJECTED. */
  decision: 'APPROVED' | 'REJECTED' | null
  decisionNote: string | null
  decidedAt: Date | null
}

type StatusWrite = Pick<RatingStatus, 'cdrId' | 'status' | 'reasonCode' | 'reason' | 'chargeId' | 'updatedAt'>

/** Records the outcome of a rating attempt (one row per CDR, attempts counted; an operator's decision is kept). */
export const saveRatingStatus = async (db: Db, s: StatusWrite) => {
  await db
    .insert(cdrRatings)
    .values({ ...s, attempts: 1 })
    .onConflictDoUpdate({
      target: cdrRatings.cdrId,
      set: {
        status: s.status,
        reasonCode: s.reasonCode,
        reason: s.reason,
        chargeId: s.chargeId,
        updatedAt: s.updatedAt,
        attempts: sql`${cdrRatings.attempts} + 1`,
      },
    })
}

/** Several outcomes in one statement, as `saveRatingStatus` records each. */
export const saveRatingStatuses = async (db: Db, ss: StatusWrite[]) => {
  if (ss.length === 0) return
  const rows = jsonRows(cdrRatings, ['cdrId', 'status', 'reasonCode', 'reason', 'chargeId', 'updatedAt'], ss)
  await db.execute(
    sql`insert into cdr_ratings (${rows.columns}, attempts) select ${rows.columns}, 1 from ${rows.from}
        on conflict (cdr_id) do update set status = excluded.status, reason_code = excluded.reason_code, reason = excluded.reason,
          charge_id = excluded.charge_id, updated_at = excluded.updated_at, attempts = cdr_ratings.attempts + 1`,
  )
}

/** Where each CDR stands for rating: its status and decision, and its active charge's id. */
export interface RatingState {
  cdrId: string
  status: RatingStatus['status'] | null
  decision: RatingStatus['decision']
  decisionNote: string | null
  activeChargeId: string | null
}

/**
 * The rating state of several CDRs in one statement; `lock` takes their row locks (in id order, so
 * two batches never wait on each other in a circle), as `lockCdr` does for one.
 */
export const ratingStatesOf = async (db: Db, cdrIds: string[], opts: { lock?: boolean } = {}): Promise<Map<string, RatingState>> => {
  if (cdrIds.length === 0) return new Map()
  const query = db
    .select({
      cdrId: cdrs.id,
      status: cdrRatings.status,
      decision: cdrRatings.decision,
      decisionNote: cdrRatings.decisionNote,
      activeChargeId: charges.id,
    })
    .from(cdrs)
    .leftJoin(cdrRatings, eq(cdrRatings.cdrId, cdrs.id))
    .leftJoin(charges, and(eq(charges.cdrId, cdrs.id), isNull(charges.supersededBy)))
    .where(inArray(cdrs.id, cdrIds))
    .orderBy(cdrs.id)
  const rows = opts.lock ? await query.for('update', { of: cdrs }) : await query
  return new Map(rows.map((r) => [r.cdrId, r as RatingState]))
}

export const findRatingStatus = async (db: Db, cdrId: string, opts: { forUpdate?: boolean } = {}): Promise<RatingStatus | undefined> => {
  const query = db.select().from(cdrRatings).where(eq(cdrRatings.cdrId, cdrId))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? undefined
}

/** Records an operator's decision; REJECTED also ends the CDR's rating (no charge, off the unrated list). */
export const saveDecision = async (db: Db, d: { cdrId: string; decision: 'APPROVED' | 'REJECTED'; note: string | null; at: Date }) => {
  await db
    .update(cdrRatings)
    .set({
      decision: d.decision,
      decisionNote: d.note,
      decidedAt: d.at,
      ...(d.decision === 'REJECTED' ? { status: 'REJECTED' as const, updatedAt: d.at } : {}),
    })
    .where(eq(cdrRatings.cdrId, d.cdrId))
}

/**
 * Serializes every rating write of one CDR (rating, rerates, credits of the same original): a row
 * lock on the CDR, held until the transaction ends, so concurrent rerates take turns.
 */
export const lockCdr = async (db: Db, cdrId: string) => {
  await db.select({ id: cdrs.id }).from(cdrs).where(eq(cdrs.id, cdrId)).for('update')
}

/** Locks the CDR with this key (the original of a credit), until the transaction ends. */
export const lockCdrByKey = async (db: Db, key: CdrKeyOf) => {
  await db
    .select({ id: cdrs.id })
    .from(cdrs)
    .where(and(eq(cdrs.countryCode, key.countryCode), eq(cdrs.partyId, key.partyId), eq(cdrs.cdrId, key.cdrId)))
    .for('update')
}

/** A CDR's key as stored (upper-cased). */
export type CdrKeyOf = { countryCode: string; partyId: string; cdrId: string }

/** Active reversals of the original CDR with this key, other than the credit `exceptCdrId`. */
export const activeReversalsOf = async (db: Db, original: CdrKeyOf, exceptCdrId: string) =>
  db
    .select({ chargeId: charges.id, cdrId: charges.cdrId })
    .from(charges)
    .innerJoin(cdrs, eq(cdrs.id, charges.cdrId))
    .where(
      and(
        eq(cdrs.countryCode, original.countryCode),
        eq(cdrs.partyId, original.partyId),
        eq(cdrs.creditReferenceId, original.cdrId),
        isNull(charges.supersededBy),
        eq(charges.kind, 'REVERSAL'),
        sql`${charges.cdrId} <> ${exceptCdrId}`,
      ),
    )

export interface RatingListItem {
  cdrId: string
  partnerId: string
  key: { countryCode: string; partyId: string; cdrId: string }
  receivedAt: Date
  status: 'RATED' | 'UNRATED' | 'REJECTED' | 'PENDING'
  reasonCode: string | null
  reason: string | null
  attempts: number
  updatedAt: Date | null
  decision: 'APPROVED' | 'REJECTED' | null
}

export interface RatingListFilter {
  status: RatingListItem['status']
  reasonCode?: string | undefined
  partnerId?: string | undefined
  offset: number
  limit: number
}

/** CDRs by rating status, oldest receipt first; PENDING = no rating recorded yet. With the total. */
export const listByStatus = async (db: Db, f: RatingListFilter): Promise<{ items: RatingListItem[]; total: number }> => {
  const where = and(
    f.status === 'PENDING' ? isNull(cdrRatings.cdrId) : eq(cdrRatings.status, f.status),
    f.reasonCode ? eq(cdrRatings.reasonCode, f.reasonCode) : undefined,
    f.partnerId ? eq(cdrs.partnerId, f.partnerId) : undefined,
  )
  const rows = await db
    .select({
      cdr: {
        id: cdrs.id,
        partnerId: cdrs.partnerId,
        countryCode: cdrs.countryCode,
        partyId: cdrs.partyId,
        cdrId: cdrs.cdrId,
        receivedAt: cdrs.receivedAt,
      },
      rating: cdrRatings,
    })
    .from(cdrs)
    .leftJoin(cdrRatings, eq(cdrRatings.cdrId, cdrs.id))
    .where(where)
    .orderBy(asc(cdrs.receivedAt), asc(cdrs.id))
    .offset(f.offset)
    .limit(f.limit)
  const [n] = await db.select({ n: count() }).from(cdrs).leftJoin(cdrRatings, eq(cdrRatings.cdrId, cdrs.id)).where(where)
  return {
    total: Number(n?.n ?? 0),
    items: rows.map(({ cdr, rating }) => ({
      cdrId: cdr.id,
      partnerId: cdr.partnerId,
      key: { countryCode: cdr.countryCode, partyId: cdr.partyId, cdrId: cdr.cdrId },
      receivedAt: cdr.receivedAt,
      status: rating?.status ?? 'PENDING',
      reasonCode: rating?.reasonCode ?? null,
      reason: rating?.reason ?? null,
      attempts: rating?.attempts ?? 0,
      updatedAt: rating?.updatedAt ?? null,
      decision: rating?.decision ?? null,
    })),
  }
}

/** How many acknowledged CDRs are unrated (for the metrics). */
export const countUnrated = async (db: Db): Promise<number> => {
  const [n] = await db.select({ n: count() }).from(cdrRatings).where(eq(cdrRatings.status, 'UNRATED'))
  return Number(n?.n ?? 0)
}

export type AuditRow = typeof cdrAudits.$inferSelect
export type AuditRecord = typeof cdrAudits.$inferInsert

/** One audit per CDR; a repeated audit (job replay) replaces it with the same content. */
export const saveAudit = async (db: Db, a: AuditRecord) => {
  await db
    .insert(cdrAudits)
    .values(a)
    .onConflictDoUpdate({ target: cdrAudits.cdrId, set: { ...a } })
}

/** Several audit results in one statement, each as `saveAudit` stores it (a re-run replaces the row). */
export const saveAudits = async (db: Db, as: AuditRecord[]) => {
  if (as.length === 0) return
  const keys = Object.keys(getTableColumns(cdrAudits)) as (keyof AuditRecord & string)[]
  const rows = jsonRows(cdrAudits, keys, as as unknown as Record<string, unknown>[])
  const set = Object.values(getTableColumns(cdrAudits))
    .filter((column) => column.name !== 'cdr_id')
    .map((column) => `"${column.name}" = excluded."${column.name}"`)
    .join(', ')
  await db.execute(
    sql`insert into cdr_audits (${rows.columns}) select ${rows.columns} from ${rows.from} on conflict (cdr_id) do update set ${sql.raw(set)}`,
  )
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
