import { and, asc, count, eq, gte, gt, lt, or, sql, type Placeholder, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { contracts, tokenAuthorizations, tokens } from '../../db/schema/index.js'
import type { Page } from '../v221/pagination.js'
import type { TokenRecord } from './tokens.model.js'

type TokenRow = typeof tokens.$inferSelect

const fromDbToken = (r: TokenRow): TokenRecord => ({
  uid: r.uid,
  type: r.type as TokenRecord['type'],
  contractId: r.contractId,
  visualNumber: r.visualNumber,
  groupId: r.groupId,
  valid: r.valid,
  whitelist: r.whitelist as TokenRecord['whitelist'],
  language: r.language,
  blockedReason: r.blockedReason,
  lastUpdated: r.lastUpdated,
  createdAt: r.createdAt,
})

const toDbToken = (t: TokenRecord): TokenRow => ({
  uid: t.uid,
  type: t.type,
  contractId: t.contractId,
  visualNumber: t.visualNumber,
  groupId: t.groupId,
  valid: t.valid,
  whitelist: t.whitelist,
  language: t.language,
  blockedReason: t.blockedReason,
  lastUpdated: t.lastUpdated,
  createdAt: t.createdAt,
})

/** Inserts unless (uid, type) exists; answers whether it was inserted (random uids may collide). */
export const insertToken = async (db: Db, t: TokenRecord): Promise<boolean> =>
  (await db.insert(tokens).values(toDbToken(t)).onConflictDoNothing().returning({ uid: tokens.uid })).length === 1

/** `uid` is a CiString (OCPI 2.2.1 Token): matched case-insensitively, served as issued. */
const uidIs = (uid: string | Placeholder) => sql`upper(${tokens.uid}) = upper(${uid})`

export const findToken = async (db: Db, uid: string, type: string, opts: { forUpdate?: boolean } = {}) => {
  const query = db
    .select()
    .from(tokens)
    .where(and(uidIs(uid), eq(tokens.type, type)))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbToken(row) : undefined
}

/** Several tokens by (uid case-insensitive, type) in one statement; answered in the order asked. */
export const findTokens = async (db: Db, keys: { uid: string; type: string }[]): Promise<(TokenRecord | undefined)[]> => {
  if (keys.length === 0) return []
  const rows = await db
    .select()
    .from(tokens)
    .where(
      sql`(upper(${tokens.uid}), ${tokens.type}) in (${sql.join(
        keys.map((k) => sql`(upper(${k.uid}), ${k.type})`),
        sql`, `,
      )})`,
    )
  const found = new Map(rows.map((r) => [`${r.uid.toUpperCase()}|${r.type}`, fromDbToken(r)]))
  return keys.map((k) => found.get(`${k.uid.toUpperCase()}|${k.type}`))
}

export const updateToken = async (db: Db, t: TokenRecord) => {
  const { uid, type, createdAt, ...rest } = toDbToken(t)
  await db
    .update(tokens)
    .set(rest)
    .where(and(eq(tokens.uid, uid), eq(tokens.type, type)))
}

export const listTokensOfContract = async (db: Db, contractId: string) =>
  (await db.select().from(tokens).where(eq(tokens.contractId, contractId)).orderBy(asc(tokens.createdAt), asc(tokens.uid))).map(fromDbToken)

export const countTokens = async (db: Db) => (await db.select({ n: count() }).from(tokens))[0]?.n ?? 0

/** One page of the Sender list: `last_updated` in [date_from, date_to), in a stable order. */
export const listTokensPage = async (db: Db, page: Page) => {
  const filters: SQL[] = []
  if (page.dateFrom) filters.push(gte(tokens.lastUpdated, page.dateFrom))
  if (page.dateTo) filters.push(lt(tokens.lastUpdated, page.dateTo))
  const where = filters.length ? and(...filters) : undefined
  const rows = await db
    .select()
    .from(tokens)
    .where(where)
    .orderBy(asc(tokens.lastUpdated), asc(tokens.uid), asc(tokens.type))
    .limit(page.limit)
    .offset(page.offset)
  const [total] = await db.select({ n: count() }).from(tokens).where(where)
  return { tokens: rows.map(fromDbToken), total: total?.n ?? 0 }
}

/**
 * Tokens after a (uid, type) cursor, for the full re-push. `for share` makes a concurrent change
 * of one of these tokens wait until our jobs are written, so its own job is queued after ours.
 */
export const listTokensAfter = async (db: Db, after: { uid: string; type: string } | undefined, limit: number) => {
  const where = after ? or(gt(tokens.uid, after.uid), and(eq(tokens.uid, after.uid), gt(tokens.type, after.type))) : undefined
  return (await db.select().from(tokens).where(where).orderBy(asc(tokens.uid), asc(tokens.type)).limit(limit).for('share')).map(fromDbToken)
}

/**
 * The real-time authorization lookup: the token and its contract's standing in one indexed read,
 * as a prepared statement (the hot path; STACK.md: the query builder costs ~40%).
 * Reading the contracts table here is a deliberate exception to "only through the customers
 * service" (see README).
 */
export const prepareAuthorizationLookup = (db: Db) => {
  const statement = db
    .select({
      token: tokens,
      state: contracts.state,
      startDate: contracts.startDate,
      endDate: contracts.endDate,
      noCredit: contracts.noCredit,
    })
    .from(tokens)
    .innerJoin(contracts, eq(contracts.contractId, tokens.contractId))
    .where(and(uidIs(sql.placeholder('uid')), eq(tokens.type, sql.placeholder('type'))))
    .prepare('tokens_authorize_lookup')
  return async (uid: string, type: string) => {
    const [row] = await statement.execute({ uid, type })
    if (!row) return undefined
    return {
      token: fromDbToken(row.token),
      contract: {
        state: row.state as 'active' | 'cancelled' | 'terminated',
        startDate: row.startDate,
        endDate: row.endDate,
        noCredit: row.noCredit,
      },
    }
  }
}

export interface AuthorizationRow {
  reference: string
  tokenUid: string
  tokenType: string
  contractId: string
  partnerId: string | null
  allowed: string
  locationId: string | null
  evseUids: string[] | null
  createdAt: Date
}

export const prepareAuthorizationInsert = (db: Db) => {
  const statement = db
    .insert(tokenAuthorizations)
    .values({
      reference: sql.placeholder('reference'),
      tokenUid: sql.placeholder('tokenUid'),
      tokenType: sql.placeholder('tokenType'),
      contractId: sql.placeholder('contractId'),
      partnerId: sql.placeholder('partnerId'),
      allowed: sql.placeholder('allowed'),
      locationId: sql.placeholder('locationId'),
      evseUids: sql.placeholder('evseUids'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare('tokens_authorization_insert')
  return async (row: AuthorizationRow) => {
    await statement.execute({ ...row })
  }
}

export const findAuthorization = async (db: Db, reference: string): Promise<AuthorizationRow | undefined> => {
  const [row] = await db.select().from(tokenAuthorizations).where(eq(tokenAuthorizations.reference, reference))
  return row
}

/**
 * Valid tokens of cancelled contracts whose end date is before `day` (`YYYY-MM-DD`): the candidates
 * of the daily expiry. A prefilter only; the caller applies `contractStanding`, the single rule.
 */
export const listValidTokensOfEndedContracts = async (db: Db, day: string) =>
  (
    await db
      .select({
        token: tokens,
        contract: { state: contracts.state, startDate: contracts.startDate, endDate: contracts.endDate, noCredit: contracts.noCredit },
      })
      .from(tokens)
      .innerJoin(contracts, eq(contracts.contractId, tokens.contractId))
      .where(and(eq(tokens.valid, true), eq(contracts.state, 'cancelled'), lt(contracts.endDate, day)))
      .orderBy(asc(tokens.contractId), asc(tokens.uid), asc(tokens.type))
  ).map((r) => ({ token: fromDbToken(r.token), contract: { ...r.contract, state: r.contract.state as 'cancelled' } }))
