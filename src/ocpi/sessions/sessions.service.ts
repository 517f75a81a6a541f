import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import type { Ids } from '../../platform/ids.js'
import { assertOwnsParty, assertPathMatchesBody, type Partner } from '../credentials/index.js'
import { InvalidParametersError, UnknownObjectError } from '../v221/errors.js'
import { fromOcpiSession, mergeSessionPatch, type SessionRecord, type StoredSession } from './sessions.convert.js'
import { findSession, insertSession, listSessions, replaceSession, type SessionKey } from './sessions.repository.js'
import type { Session, SessionPatch } from './sessions.schema.js'

export interface SessionsDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
}

/** What a push did: `ignored` means it was older than what we hold and was acknowledged without effect. */
export type SessionWriteOutcome = 'created' | 'updated' | 'ignored'

export interface SessionWriteResult {
  outcome: SessionWriteOutcome
  session: StoredSession
}

type Caller = Pick<Partner, 'id' | 'roles'>

const PATH_FIELDS: [string, string][] = [['country_code', 'country_code'], ['party_id', 'party_id'], ['session_id', 'id']]
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

  /** Creates or replaces under the row lock; the caller's checks have passed. */
  const upsert = (partner: Caller, record: SessionRecord): Promise<SessionWriteResult> =>
    db.transaction(async (tx) => {
      const now = clock.now()
      let held = await findSession(tx, record, { forUpdate: true })
      if (!held) {
        const created = await insertSession(tx, { id: ids.uuid(), partnerId: partner.id, record, now })
        if (created) return { outcome: 'created' as const, session: created }
        held = (await findSession(tx, record, { forUpdate: true }))! // created concurrently: now it exists
      }
      if (record.lastUpdated < held.lastUpdated) return { outcome: 'ignored' as const, session: held }
      return { outcome: 'updated' as const, session: await replaceSession(tx, { id: held.id, partnerId: partner.id, record, now }) }
    })

  const put = async (partner: Caller, key: SessionKey, session: Session): Promise<SessionWriteResult> => {
    checkWrite(partner, key, session)
    return upsert(partner, fromOcpiSession(session))
  }

  return {
    /** PUT: create or replace the whole Session; its charging periods replace ours. */
    put,

    /**
     * PATCH: merge the given fields; charging periods are appended (without duplicates). An unknown
     * session is answered 404 with 2001 so the CPO GETs and PUTs it (digest 2.6).
     */
    patch: async (partner: Caller, key: SessionKey, patch: SessionPatch): Promise<SessionWriteResult> => {
      checkWrite(partner, key, patch)
      return db.transaction(async (tx) => {
        const held = await findSession(tx, key, { forUpdate: true })
        if (!held) throw new UnknownObjectError('session', `Unknown session ${key.countryCode}/${key.partyId}/${key.sessionId}; PUT the full object`)
        const record = fromOcpiSession(mergeSessionPatch(held.session, patch))
        if (record.lastUpdated < held.lastUpdated) return { outcome: 'ignored' as const, session: held }
        return { outcome: 'updated' as const, session: await replaceSession(tx, { id: held.id, partnerId: partner.id, record, now: clock.now() }) }
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

    /** Sessions of a contract (cdr_token.contract_id), oldest first. */
    listByContract: (contractId: string) => listSessions(db, { contractId }),

    /** Sessions of a token uid, oldest first. */
    listByTokenUid: (tokenUid: string) => {
      if (!tokenUid) throw new InvalidParametersError('token uid required')
      return listSessions(db, { tokenUid })
    },
  }
}

export type SessionsService = ReturnType<typeof createSessionsService>
