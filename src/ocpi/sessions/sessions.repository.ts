import { Decimal } from 'decimal.js'
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sessions } from '../../db/schema/index.js'
import type { SessionRecord, StoredSession } from './sessions.convert.js'
import type { ChargingPeriod, Session } from './sessions.schema.js'

type Row = typeof sessions.$inferSelect

export interface SessionKey {
  countryCode: string
  partyId: string
  sessionId: string
}

const toDbSession = (record: SessionRecord) => ({
  countryCode: record.countryCode,
  partyId: record.partyId,
  sessionId: record.sessionId,
  status: record.status,
  startDateTime: record.startDateTime,
  endDateTime: record.endDateTime,
  kwh: record.kwh.toString(),
  currency: record.currency,
  totalCostExclVat: record.totalCost?.exclVat.toString() ?? null,
  totalCostInclVat: record.totalCost?.inclVat?.toString() ?? null,
  tokenCountryCode: record.token.countryCode,
  tokenPartyId: record.token.partyId,
  tokenUid: record.token.uid,
  tokenType: record.token.type,
  contractId: record.token.contractId,
  authorizationReference: record.authorizationReference,
  locationId: record.locationId,
  evseUid: record.evseUid,
  connectorId: record.connectorId,
  lastUpdated: record.lastUpdated,
  object: record.session as unknown as Record<string, unknown>,
})

const fromDbSession = (row: Row): StoredSession => ({
  id: row.id,
  partnerId: row.partnerId,
  countryCode: row.countryCode,
  partyId: row.partyId,
  sessionId: row.sessionId,
  status: row.status as Session['status'],
  startDateTime: row.startDateTime,
  endDateTime: row.endDateTime,
  kwh: new Decimal(row.kwh),
  currency: row.currency,
  totalCost:
    row.totalCostExclVat === null
      ? null
      : { exclVat: new Decimal(row.totalCostExclVat), inclVat: row.totalCostInclVat === null ? null : new Decimal(row.totalCostInclVat) },
  token: {
    countryCode: row.tokenCountryCode,
    partyId: row.tokenPartyId,
    uid: row.tokenUid,
    type: row.tokenType,
    contractId: row.contractId,
  },
  authorizationReference: row.authorizationReference,
  locationId: row.locationId,
  evseUid: row.evseUid,
  connectorId: row.connectorId,
  lastUpdated: row.lastUpdated,
  session: row.object as unknown as Session,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

const byKey = (key: SessionKey) =>
  and(
    eq(sessions.countryCode, key.countryCode.toUpperCase()),
    eq(sessions.partyId, key.partyId.toUpperCase()),
    eq(sessions.sessionId, key.sessionId.toUpperCase()),
  )

/** The session under this key; `forUpdate` locks the row for the rest of the transaction. */
export const findSession = async (db: Db, key: SessionKey, opts: { forUpdate?: boolean } = {}): Promise<StoredSession | undefined> => {
  const query = db.select().from(sessions).where(byKey(key))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbSession(row) : undefined
}

/** Inserts a new session; undefined when another request created the same key first. */
export const insertSession = async (
  db: Db,
  params: { id: string; partnerId: string; record: SessionRecord; now: Date },
): Promise<StoredSession | undefined> => {
  const [row] = await db
    .insert(sessions)
    .values({ id: params.id, partnerId: params.partnerId, ...toDbSession(params.record), createdAt: params.now, updatedAt: params.now })
    .onConflictDoNothing({ target: [sessions.countryCode, sessions.partyId, sessions.sessionId] })
    .returning()
  return row ? fromDbSession(row) : undefined
}

export const replaceSession = async (
  db: Db,
  params: { id: string; partnerId: string; record: SessionRecord; now: Date },
): Promise<StoredSession> => {
  const [row] = await db
    .update(sessions)
    .set({ partnerId: params.partnerId, ...toDbSession(params.record), updatedAt: params.now })
    .where(eq(sessions.id, params.id))
    .returning()
  return fromDbSession(row!)
}

const conditionsOf = (filter: { contractId?: string; tokenUid?: string }) =>
  [
    filter.contractId === undefined ? undefined : eq(sessions.contractId, filter.contractId.toUpperCase()),
    filter.tokenUid === undefined ? undefined : eq(sessions.tokenUid, filter.tokenUid.toUpperCase()),
  ].filter((c) => c !== undefined)

/** Sessions of one contract or one token uid (upper-cased CiStrings), oldest first. */
export const listSessions = async (db: Db, filter: { contractId?: string; tokenUid?: string }): Promise<StoredSession[]> => {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(...conditionsOf(filter)))
    .orderBy(asc(sessions.startDateTime), asc(sessions.id))
  return rows.map(fromDbSession)
}

/** What a list shows of a session's charging periods: how many we hold, and the newest few. */
export interface PeriodSummary {
  count: number
  latest: ChargingPeriod[]
}
export type ListedSession = StoredSession & { periods: PeriodSummary }

/** The newest periods a list carries per session. */
export const LISTED_PERIODS = 20

/**
 * Like `listSessions`, but the charging periods stay in the database: each session comes without
 * them, with their count and the newest `LISTED_PERIODS` (so a list costs the same for 20 or 16,000 periods).
 */
export const listSessionSummaries = async (db: Db, filter: { contractId?: string; tokenUid?: string }): Promise<ListedSession[]> => {
  const periods = sql`coalesce(${sessions.object} -> 'charging_periods', '[]'::jsonb)`
  const count = sql<number>`case when jsonb_typeof(${periods}) = 'array' then jsonb_array_length(${periods}) else 0 end`
  const { object: _object, ...columns } = getTableColumns(sessions)
  const rows = await db
    .select({
      ...columns,
      object: sql<Record<string, unknown>>`${sessions.object} - 'charging_periods'`,
      periodCount: count.mapWith(Number),
      latest: sql<
        ChargingPeriod[]
      >`case when jsonb_typeof(${periods}) = 'array' then (select coalesce(jsonb_agg(e order by i), '[]'::jsonb) from jsonb_array_elements(${periods}) with ordinality as p(e, i) where i > jsonb_array_length(${periods}) - ${LISTED_PERIODS}) else '[]'::jsonb end`,
    })
    .from(sessions)
    .where(and(...conditionsOf(filter)))
    .orderBy(asc(sessions.startDateTime), asc(sessions.id))
  return rows.map(({ periodCount, latest, ...row }) => ({ ...fromDbSession(row), periods: { count: periodCount, latest: parsed(latest) } }))
}

/** jsonb from a computed column: postgres.js may hand it over as text. */
const parsed = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)
