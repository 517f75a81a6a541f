import { Decimal } from 'decimal.js'
import { and, asc, count, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { insertWithJob, jobForInserted } from '../../jobs/queue.js'
import type { Db } from '../../db/client.js'
import { preparedStatement } from '../../db/prepared.js'
import { cdrs } from '../../db/schema/index.js'
import type { Deviation } from '../v221/intake.js'
import { fromOcpiCdr, type CdrRecord, type StoredCdr } from './cdrs.convert.js'
import type { CdrIntake } from './cdrs.schema.js'

type Row = typeof cdrs.$inferSelect

/** Attempts of a `cdr.received` job (exponential backoff capped at an hour: about a day of retries). */
export const CDR_RECEIVED_MAX_ATTEMPTS = 25

export interface CdrKey {
  countryCode: string
  partyId: string
  cdrId: string
}

const fromDbCdr = (row: Row): StoredCdr => ({
  id: row.id,
  partnerId: row.partnerId,
  countryCode: row.countryCode,
  partyId: row.partyId,
  cdrId: row.cdrId,
  contentHash: row.contentHash,
  raw: row.raw,
  ocpi: row.object as unknown as CdrIntake,
  detail: fromOcpiCdr(row.object as unknown as CdrIntake),
  deviations: row.deviations as Deviation[],
  sessionId: row.sessionId,
  sessionRowId: row.sessionRowId,
  token: {
    countryCode: row.tokenCountryCode,
    partyId: row.tokenPartyId,
    uid: row.tokenUid,
    type: row.tokenType,
    contractId: row.contractId,
  },
  authorizationReference: row.authorizationReference,
  startDateTime: row.startDateTime,
  endDateTime: row.endDateTime,
  currency: row.currency,
  totalCost: {
    exclVat: new Decimal(row.totalCostExclVat),
    inclVat: row.totalCostInclVat === null ? null : new Decimal(row.totalCostInclVat),
  },
  totalEnergy: new Decimal(row.totalEnergy),
  totalTime: new Decimal(row.totalTime),
  totalParkingTime: row.totalParkingTime === null ? null : new Decimal(row.totalParkingTime),
  credit: row.credit,
  creditReferenceId: row.creditReferenceId,
  creditedCdrRowId: row.creditedCdrRowId,
  lastUpdated: row.lastUpdated,
  receivedAt: row.receivedAt,
})

/**
 * Inserts a CDR unless its key exists and, for a row it inserted, its hand-off job, in one prepared
 * statement (the outbox write of the hottest CDR path: one round trip, no BEGIN/COMMIT, cached plan).
 * Returns the new row id, or undefined on a duplicate key. The session is linked by lookup in the same
 * statement when it exists (a null id matches nothing).
 * Credit CDRs (rare) take the unprepared path below: the lookup of the corrected CDR by key must be
 * planned with its real values, as a cached generic plan was seen scanning the party's CDRs by
 * `cdrs_session_idx` (planned while the table was small) instead of `cdrs_key_idx`.
 * The `queued` part is the jobs module's `jobForInserted`, given placeholders, so the job row is
 * the one `insertWithJob` writes.
 */
const insertCdrWithJobStatement = preparedStatement<string, { id: string }>(
  'cdrs_insert_with_job',
  (p) => sql`with inserted as (
    insert into cdrs (id, partner_id, country_code, party_id, cdr_id, content_hash, raw, object, session_id, session_row_id,
      token_country_code, token_party_id, token_uid, token_type, contract_id, authorization_reference, start_date_time, end_date_time,
      currency, total_cost_excl_vat, total_cost_incl_vat, total_energy, total_time, total_parking_time, credit, credit_reference_id,
      credited_cdr_row_id, last_updated, received_at, deviations)
    values (${p('id')}::uuid, ${p('partner')}::uuid, ${p('cc')}, ${p('pid')}, ${p('cdrId')}, ${p('hash')}, ${p('raw')}, ${p('object')}::text::jsonb, ${p('sessionId')}::text,
      (select s.id from sessions s where s.country_code = ${p('cc')} and s.party_id = ${p('pid')} and s.session_id = ${p('sessionId')}::text),
      ${p('tcc')}, ${p('tpid')}, ${p('tuid')}, ${p('ttype')}, ${p('contract')}, ${p('authRef')}::text, ${p('start')}::timestamptz, ${p('end')}::timestamptz,
      ${p('currency')}, ${p('exclVat')}::numeric, ${p('inclVat')}::numeric, ${p('energy')}::numeric, ${p('time')}::numeric, ${p('parking')}::numeric,
      ${p('credit')}::boolean, null,
      null,
      ${p('lastUpdated')}::timestamptz, ${p('now')}::timestamptz, ${p('deviations')}::text::jsonb)
    on conflict (country_code, party_id, cdr_id) do nothing
    returning id
  ), queued as (${jobForInserted({
    queue: p('queue'),
    payloadKey: sql`'cdrId'`,
    dedupeKey: p('dedupeKey'),
    orderKey: p('orderKey'),
    maxAttempts: sql.raw(String(CDR_RECEIVED_MAX_ATTEMPTS)),
    at: p('now'),
  })}) select id from inserted`,
)

export const insertCdrWithJob = async (
  db: Db,
  params: InsertCdrParams,
  job: { queue: string; dedupeKey: string; orderKey: string },
): Promise<string | undefined> => {
  const { record: r } = params
  if (r.creditReferenceId !== null)
    return insertWithJob(db, insertCdrQuery(db, params).getSQL(), { ...job, payloadKey: 'cdrId', now: params.now })
  const [row] = await insertCdrWithJobStatement(db, {
    id: params.id,
    partner: params.partnerId,
    cc: r.countryCode,
    pid: r.partyId,
    cdrId: r.cdrId,
    hash: r.contentHash,
    raw: params.raw,
    object: JSON.stringify(r.ocpi),
    sessionId: r.sessionId,
    tcc: r.token.countryCode,
    tpid: r.token.partyId,
    tuid: r.token.uid,
    ttype: r.token.type,
    contract: r.token.contractId,
    authRef: r.authorizationReference,
    start: r.startDateTime.toISOString(),
    end: r.endDateTime.toISOString(),
    currency: r.currency,
    exclVat: r.totalCost.exclVat.toString(),
    inclVat: r.totalCost.inclVat?.toString() ?? null,
    energy: r.totalEnergy.toString(),
    time: r.totalTime.toString(),
    parking: r.totalParkingTime?.toString() ?? null,
    credit: r.credit,
    lastUpdated: r.lastUpdated.toISOString(),
    now: params.now.toISOString(),
    deviations: JSON.stringify(params.deviations),
    queue: job.queue,
    dedupeKey: job.dedupeKey,
    orderKey: job.orderKey,
  })
  return row?.id === undefined ? undefined : String(row.id)
}

interface InsertCdrParams {
  id: string
  partnerId: string
  record: CdrRecord
  raw: string
  deviations: Deviation[]
  now: Date
}

/** INSERT ... ON CONFLICT DO NOTHING RETURNING id. */
const insertCdrQuery = (db: Db, params: InsertCdrParams) => {
  const { record: r } = params
  const sessionRow: SQL | null = r.sessionId
    ? sql`(select id from sessions where country_code = ${r.countryCode} and party_id = ${r.partyId} and session_id = ${r.sessionId})`
    : null
  const creditedRow: SQL | null = r.creditReferenceId
    ? sql`(select id from cdrs where country_code = ${r.countryCode} and party_id = ${r.partyId} and cdr_id = ${r.creditReferenceId})`
    : null
  return db
    .insert(cdrs)
    .values({
      id: params.id,
      partnerId: params.partnerId,
      countryCode: r.countryCode,
      partyId: r.partyId,
      cdrId: r.cdrId,
      contentHash: r.contentHash,
      raw: params.raw,
      object: r.ocpi as unknown as Record<string, unknown>,
      sessionId: r.sessionId,
      sessionRowId: sessionRow,
      tokenCountryCode: r.token.countryCode,
      tokenPartyId: r.token.partyId,
      tokenUid: r.token.uid,
      tokenType: r.token.type,
      contractId: r.token.contractId,
      authorizationReference: r.authorizationReference,
      startDateTime: r.startDateTime,
      endDateTime: r.endDateTime,
      currency: r.currency,
      totalCostExclVat: r.totalCost.exclVat.toString(),
      totalCostInclVat: r.totalCost.inclVat?.toString() ?? null,
      totalEnergy: r.totalEnergy.toString(),
      totalTime: r.totalTime.toString(),
      totalParkingTime: r.totalParkingTime?.toString() ?? null,
      credit: r.credit,
      creditReferenceId: r.creditReferenceId,
      creditedCdrRowId: creditedRow,
      lastUpdated: r.lastUpdated,
      receivedAt: params.now,
      deviations: params.deviations,
    })
    .onConflictDoNothing({ target: [cdrs.countryCode, cdrs.partyId, cdrs.cdrId] })
    .returning({ id: cdrs.id })
}

export const findCdrByKey = async (db: Db, key: CdrKey): Promise<StoredCdr | undefined> => {
  const [row] = await db
    .select()
    .from(cdrs)
    .where(
      and(
        eq(cdrs.countryCode, key.countryCode.toUpperCase()),
        eq(cdrs.partyId, key.partyId.toUpperCase()),
        eq(cdrs.cdrId, key.cdrId.toUpperCase()),
      ),
    )
  return row ? fromDbCdr(row) : undefined
}

export const findCdrById = async (db: Db, id: string): Promise<StoredCdr | undefined> => {
  const [row] = await db.select().from(cdrs).where(eq(cdrs.id, id))
  return row ? fromDbCdr(row) : undefined
}

/** Several CDRs by our id in one statement (rating's batch read); unknown ids are left out. */
export const findCdrsByIds = async (db: Db, ids: string[]): Promise<StoredCdr[]> =>
  ids.length === 0 ? [] : (await db.select().from(cdrs).where(inArray(cdrs.id, ids))).map(fromDbCdr)

/** Credit CDRs that name this CDR (by its key), whichever arrived first. */
export const findCredits = async (db: Db, key: CdrKey): Promise<StoredCdr[]> => {
  const rows = await db
    .select()
    .from(cdrs)
    .where(
      and(
        eq(cdrs.countryCode, key.countryCode.toUpperCase()),
        eq(cdrs.partyId, key.partyId.toUpperCase()),
        eq(cdrs.creditReferenceId, key.cdrId.toUpperCase()),
      ),
    )
    .orderBy(asc(cdrs.receivedAt), asc(cdrs.id))
  return rows.map(fromDbCdr)
}

export interface CdrListFilter {
  receivedFrom?: Date
  receivedTo?: Date
  contractId?: string
  offset: number
  limit: number
}

/** CDRs in order of receipt (stable: receipt time, then id); with the total for paging. */
export const listCdrs = async (db: Db, f: CdrListFilter): Promise<{ items: StoredCdr[]; total: number }> => {
  const where = and(
    f.receivedFrom ? gte(cdrs.receivedAt, f.receivedFrom) : undefined,
    f.receivedTo ? lt(cdrs.receivedAt, f.receivedTo) : undefined,
    f.contractId ? eq(cdrs.contractId, f.contractId.toUpperCase()) : undefined,
  )
  const rows = await db.select().from(cdrs).where(where).orderBy(asc(cdrs.receivedAt), asc(cdrs.id)).offset(f.offset).limit(f.limit)
  const [total] = await db.select({ n: count() }).from(cdrs).where(where)
  return { items: rows.map(fromDbCdr), total: Number(total?.n ?? 0) }
}
