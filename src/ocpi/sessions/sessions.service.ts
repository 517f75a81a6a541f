import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import type { EventBus } from '../../platform/events.js'
import type { Ids } from '../../platform/ids.js'
import { assertOwnsParty, assertPathMatchesBody, type Partner } from '../credentials/index.js'
import type { ConformanceService } from '../conformance/index.js'
import { InvalidParametersError, UnknownObjectError } from '../v221/errors.js'
import { deviation } from '../v221/intake.js'
import { fromOcpiSession, mergeSessionPatch, type StoredSession } from './sessions.convert.js'
import { findSession, insertSession, listSessions, listSessionSummaries, replaceSession, type SessionKey } from './sessions.repository.js'
import { boundPeriods } from './sessions.periods.js'
import type { Session, SessionPatch } from './sessions.schema.js'

export interface SessionsDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  /** SESSION_MAX_PERIODS: charging periods kept per session; over it, older periods are merged (default 2000). */
  maxPeriods?: number
  /** Session writes are published (after commit) on `sessionTopic(contract id)`. */
  events?: Pick<EventBus, 'publish'>
  /** Counts merged periods per partner (`charging_periods_merged`) in the conformance report. */
  conformance?: Pick<ConformanceService, 'record'>
}

export const DEFAULT_MAX_PERIODS = 2000

/** The topic a contract's session writes are published on; the payload is the session key and status. */
export const sessionTopic = (contractId: string) => `sessions:${contractId.toUpperCase()}`

/**
 * Another module's part of a session write (commands: START_SESSION becomes STARTED): runs inside the
 * write's transaction, and may answer what to do once it committed (publish).
 */
export type SessionWriteHook = (tx: Db, session: StoredSession) => Promise<(() => Promise<unknown>) | undefined>

/** What a push did: `ignored` means it was older than what we hold and was acknowledged without effect. */
export type SessionWriteOutcome = 'created' | 'updated' | 'ignored'

export interface SessionWriteResult {
  outcome: SessionWriteOutcome
  session: StoredSession
}

type Caller = Pick<Partner, 'id' | 'roles'>

const PATH_FIELDS: [string, string][] = [
  ['country_code', 'country_code'],
  ['party_id', 'party_id'],
  ['session_id', 'id'],
]
const pathOf = (key: SessionKey) => ({ country_code: key.countryCode, party_id: key.partyId, session_id: key.sessionId })

const checkWrite = (partner: Caller, key: SessionKey, body: Record<string, unknown>) => {
  assertOwnsParty(partner, key.countryCode, key.partyId)
  assertPathMatchesBody(pathOf(key), body, PATH_FIELDS)
}

/**
 * The Sessions Receiver (OCPI 2.2.1 Sessions module, eMSP Receiver interface).
 * Ordering rule: an update whose `last_updated` is older than the one we hold is acknowledged and
 * ignored; an equal one is applied (a replay then changes nothing), so we always end at the newest.
 */
export const createSessionsService = (deps: SessionsDeps) => {
  const { db, clock, ids } = deps
  const maxPeriods = deps.maxPeriods ?? DEFAULT_MAX_PERIODS
  const hooks: SessionWriteHook[] = []

  /** The session with at most `maxPeriods` charging periods (older ones merged); the session stays accepted. */
  const bounded = (session: Session) => {
    const { periods, merged } = boundPeriods(session.charging_periods ?? [], maxPeriods)
    return { record: fromOcpiSession(merged === 0 ? session : { ...session, charging_periods: periods }), merged }
  }

  /**
   * One session write: `write` runs in a transaction with the other modules' hooks on what it stored;
   * once committed, the hooks' follow-ups run, the write is published and merged periods are counted.
   */
  const written = async (
    partner: Caller,
    write: (tx: Db) => Promise<SessionWriteResult & { merged?: number }>,
  ): Promise<SessionWriteResult> => {
    const { result, after } = await db.transaction(async (tx) => {
      const result = await write(tx)
      if (result.outcome === 'ignored') return { result, after: [] }
      const after: Array<(() => Promise<unknown>) | undefined> = []
      for (const hook of hooks) after.push(await hook(tx, result.session)) // one connection: one statement at a time
      return { result, after }
    })
    if (result.outcome === 'ignored') return { outcome: result.outcome, session: result.session }
    for (const follow of after) await follow?.()
    const s = result.session
    await deps.events?.publish(sessionTopic(s.token.contractId), {
      country_code: s.countryCode,
      party_id: s.partyId,
      session_id: s.sessionId,
      status: s.status,
    })
    if (result.merged) {
      await deps.conformance?.record(partner.id, 'sessions', `${s.countryCode}/${s.partyId}/${s.sessionId}`, [
        deviation('charging_periods_merged', 'charging_periods', `${result.merged} periods merged (bound ${maxPeriods})`),
      ])
    }
    return { outcome: result.outcome, session: result.session }
  }

  /** Creates or replaces under the row lock; the caller's checks have passed. */
  const upsert = (partner: Caller, session: Session): Promise<SessionWriteResult> =>
    written(partner, async (tx) => {
      const { record, merged } = bounded(session)
      const now = clock.now()
      let held = await findSession(tx, record, { forUpdate: true })
      if (!held) {
        const created = await insertSession(tx, { id: ids.uuid(), partnerId: partner.id, record, now })
        if (created) return { outcome: 'created' as const, session: created, merged }
        held = (await findSession(tx, record, { forUpdate: true }))! // created concurrently: now it exists
      }
      if (record.lastUpdated < held.lastUpdated) return { outcome: 'ignored' as const, session: held }
      return { outcome: 'updated' as const, session: await replaceSession(tx, { id: held.id, partnerId: partner.id, record, now }), merged }
    })

  const put = async (partner: Caller, key: SessionKey, session: Session): Promise<SessionWriteResult> => {
    checkWrite(partner, key, session)
    return upsert(partner, session)
  }

  return {
    /** PUT: create or replace the whole Session; its charging periods replace ours. */
    put,

    /**
     * PATCH: merge the given fields; charging periods are appended (without duplicates). An unknown
     * session is answered 404 with 2001 so the CPO GETs and PUTs it (OCPI notes §2.6).
     */
    patch: async (partner: Caller, key: SessionKey, patch: SessionPatch): Promise<SessionWriteResult> => {
      checkWrite(partner, key, patch)
      return written(partner, async (tx) => {
        const held = await findSession(tx, key, { forUpdate: true })
        if (!held)
          throw new UnknownObjectError('session', `Unknown session ${key.countryCode}/${key.partyId}/${key.sessionId}; PUT the full object`)
        const { record, merged } = bounded(mergeSessionPatch(held.session, patch))
        if (record.lastUpdated < held.lastUpdated) return { outcome: 'ignored' as const, session: held }
        return {
          outcome: 'updated' as const,
          session: await replaceSession(tx, { id: held.id, partnerId: partner.id, record, now: clock.now() }),
          merged,
        }
      })
    },

    /** GET by the CPO that owns it; other parties' sessions do not exist for the caller. */
    get: async (partner: Caller, key: SessionKey): Promise<StoredSession> => {
      assertOwnsParty(partner, key.countryCode, key.partyId)
      const held = await findSession(db, key)
      if (!held) throw new UnknownObjectError('session', `Unknown session ${key.countryCode}/${key.partyId}/${key.sessionId}`)
      return held
    },

    /** A session read from the CPO's Sessions Sender: stored under the same rules as a PUT. */
    storePulled: (partner: Caller, session: Session) =>
      put(partner, { countryCode: session.country_code, partyId: session.party_id, sessionId: session.id }, session),

    /** For the app and rating: one session by its CPO key (case-insensitive). */
    findByKey: (key: SessionKey) => findSession(db, key),

    /**
     * Sessions of a contract (cdr_token.contract_id), oldest first, for lists: each without its
     * charging periods, which are summarised (`periods`: how many, and the newest few).
     */
    listByContract: (contractId: string) => listSessionSummaries(db, { contractId }),

    /** Registers another module's part of every session write (see `SessionWriteHook`). */
    onWrite: (hook: SessionWriteHook) => {
      hooks.push(hook)
    },

    /** Sessions of a token uid, oldest first. */
    listByTokenUid: (tokenUid: string) => {
      if (!tokenUid) throw new InvalidParametersError('token uid required')
      return listSessions(db, { tokenUid })
    },
  }
}

export type SessionsService = ReturnType<typeof createSessionsService>
