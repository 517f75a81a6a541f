import { and, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { commands } from '../../db/schema/index.js'
import type { CommandReason, CommandRecord, CommandState } from './commands.model.js'
import type { CommandResponseType, CommandResultType, CommandType } from './commands.schema.js'

type Row = typeof commands.$inferSelect

const fromDbCommand = (r: Row): CommandRecord => ({
  id: r.id,
  type: r.type as CommandType,
  state: r.state as CommandState,
  reason: r.reason as CommandReason | null,
  origin: r.origin as CommandRecord['origin'],
  customerId: r.customerId,
  contractId: r.contractId,
  partnerId: r.partnerId,
  countryCode: r.countryCode,
  partyId: r.partyId,
  locationId: r.locationId,
  evseUid: r.evseUid,
  connectorId: r.connectorId,
  sessionId: r.sessionId,
  reservationId: r.reservationId,
  authorizationReference: r.authorizationReference,
  request: r.request,
  responseResult: r.responseResult as CommandResponseType | null,
  responseTimeoutS: r.responseTimeoutS,
  result: r.result as CommandResultType | null,
  deadlineAt: r.deadlineAt,
  requestedAt: r.requestedAt,
  respondedAt: r.respondedAt,
  resultAt: r.resultAt,
  startedAt: r.startedAt,
  updatedAt: r.updatedAt,
})

export type NewCommand = Omit<
  CommandRecord,
  'responseResult' | 'responseTimeoutS' | 'result' | 'respondedAt' | 'resultAt' | 'startedAt' | 'updatedAt'
>

export const insertCommand = async (db: Db, c: NewCommand) => {
  await db.insert(commands).values({ ...c, updatedAt: c.requestedAt })
}

export const findCommand = async (db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<CommandRecord | undefined> => {
  const query = db.select().from(commands).where(eq(commands.id, id))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbCommand(row) : undefined
}

/** The newest RESERVE_NOW carrying a reservation id (CANCEL_RESERVATION goes where it went). */
export const findLatestReservation = async (db: Db, reservationId: string): Promise<CommandRecord | undefined> => {
  const [row] = await db
    .select()
    .from(commands)
    .where(and(eq(commands.type, 'RESERVE_NOW'), sql`upper(${commands.reservationId}) = ${reservationId.toUpperCase()}`))
    .orderBy(desc(commands.requestedAt))
    .limit(1)
  return row ? fromDbCommand(row) : undefined
}

/**
 * Stores the CPO's CommandResponse; the state (and deadline) move only while still REQUESTED, since
 * a fast result may have won. Answers the command as it now stands.
 */
export const recordResponse = async (
  db: Db,
  id: string,
  r: {
    result: CommandResponseType | null
    timeoutS: number | null
    message: unknown[] | null
    state: CommandState
    reason: CommandReason | null
    deadlineAt: Date
    at: Date
  },
): Promise<CommandRecord> => {
  const requested = sql`${commands.state} = 'REQUESTED'`
  const [row] = await db
    .update(commands)
    .set({
      responseResult: r.result,
      responseTimeoutS: r.timeoutS,
      responseMessage: r.message,
      respondedAt: r.at,
      updatedAt: r.at,
      state: sql`case when ${requested} then ${r.state} else ${commands.state} end`,
      reason: sql`case when ${requested} then ${r.reason}::text else ${commands.reason} end`,
      deadlineAt: sql`case when ${requested} then ${r.deadlineAt.toISOString()}::timestamptz else ${commands.deadlineAt} end`,
    })
    .where(eq(commands.id, id))
    .returning()
  return fromDbCommand(row!)
}

export const recordResult = async (
  db: Db,
  id: string,
  r: { result: CommandResultType; message: unknown[]; state: CommandState; reason: CommandReason | null; at: Date },
) => {
  await db
    .update(commands)
    .set({ result: r.result, resultMessage: r.message, resultAt: r.at, state: r.state, reason: r.reason, updatedAt: r.at })
    .where(eq(commands.id, id))
}

/** REQUESTED or ACCEPTED without a result past its deadline becomes TIMEOUT; answers whether it did. */
export const expireCommand = async (db: Db, id: string, now: Date): Promise<boolean> => {
  const rows = await db
    .update(commands)
    .set({
      state: 'TIMEOUT',
      reason: sql`case when ${commands.state} = 'REQUESTED' then 'no_response' else 'no_result' end`,
      updatedAt: now,
    })
    .where(
      and(eq(commands.id, id), inArray(commands.state, ['REQUESTED', 'ACCEPTED']), isNull(commands.result), lte(commands.deadlineAt, now)),
    )
    .returning({ id: commands.id })
  return rows.length > 0
}

/**
 * A session carrying this authorization_reference on this contract was written: its START_SESSION
 * commands become STARTED, whatever came before. Answers the ids that moved.
 */
export const markStartedBySession = async (
  db: Db,
  s: { authorizationReference: string; contractId: string; sessionId: string; at: Date },
): Promise<string[]> => {
  const rows = await db
    .update(commands)
    .set({ state: 'STARTED', reason: null, sessionId: s.sessionId, startedAt: s.at, updatedAt: s.at })
    .where(
      and(
        eq(commands.type, 'START_SESSION'),
        eq(commands.authorizationReference, s.authorizationReference.toUpperCase()),
        sql`upper(${commands.contractId}) = ${s.contractId.toUpperCase()}`,
        sql`${commands.state} <> 'STARTED'`,
      ),
    )
    .returning({ id: commands.id })
  return rows.map((r) => r.id)
}
