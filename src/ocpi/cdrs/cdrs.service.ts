import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import type { Clock } from '../../platform/clock.js'
import type { Ids } from '../../platform/ids.js'
import { assertOwnsParty, ownsParty, type Partner } from '../credentials/index.js'
import { InvalidParametersError, UnknownObjectError } from '../v221/errors.js'
import { fromOcpiCdr, type StoredCdr } from './cdrs.convert.js'
import { findCdrById, findCdrByKey, findCredits, insertCdrWithJob, listCdrs, type CdrKey, type CdrListFilter } from './cdrs.repository.js'
import type { Cdr } from './cdrs.schema.js'

/** The durable hand-off to rating: one job per CDR, payload `{ cdrId: <our row id> }`. */
export const CDR_RECEIVED_QUEUE = 'cdr.received'

export interface CdrsDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  jobs: Pick<JobRunner, 'kick'>
}

export interface ReceiveCdrResult {
  /** false when the identical CDR was already stored (an idempotent repost). */
  created: boolean
  /** Our id of the stored CDR (the last segment of its Location URL). */
  id: string
}

type Caller = Pick<Partner, 'id' | 'roles'>

const keyText = (k: CdrKey) => `${k.countryCode}/${k.partyId}/${k.cdrId}`

/**
 * The CDRs Receiver (OCPI 2.2.1 CDRs module, eMSP Receiver interface). CDRs are write-once:
 * the identical CDR again is a success with the same id, different content under a stored key
 * is refused with 2001 and changes nothing.
 */
export const createCdrsService = (deps: CdrsDeps) => {
  const { db, clock, ids, jobs } = deps

  /**
   * Stores a CDR and, in the same transaction, the `cdr.received` job (deduplicated by the CDR
   * key): once this resolves the CDR and its hand-off to rating are committed together.
   * `raw` is the body as received (a pulled CDR passes its JSON).
   */
  const receive = async (partner: Caller, cdr: Cdr, raw?: string): Promise<ReceiveCdrResult> => {
    // A CDR POST has no party in its URL: the body's party must be the caller's.
    assertOwnsParty(partner, cdr.country_code, cdr.party_id)
    const record = fromOcpiCdr(cdr)
    const now = clock.now()
    const insertedId = await insertCdrWithJob(
      db,
      { id: ids.uuid(), partnerId: partner.id, record, raw: raw ?? JSON.stringify(cdr), now },
      // A credit's job waits behind its original's if that is still pending, so the original is rated first.
      { queue: CDR_RECEIVED_QUEUE, dedupeKey: keyText(record), orderKey: keyText({ ...record, cdrId: record.creditReferenceId ?? record.cdrId }) },
    )
    if (insertedId) {
      jobs.kick()
      return { created: true, id: insertedId }
    }
    const held = await findCdrByKey(db, record)
    if (!held) throw new Error(`CDR ${keyText(record)} conflicted but is not stored`) // cannot happen: CDRs are never deleted
    if (held.contentHash !== record.contentHash) {
      throw new InvalidParametersError(`CDR ${cdr.country_code}/${cdr.party_id}/${cdr.id} already exists with different content; CDRs are immutable (send a credit CDR with a new id)`)
    }
    return { created: false, id: held.id }
  }

  return {
    /** POST {cdrs_url} (OCPI 2.2.1 CDRs, Receiver POST). */
    receive,

    /** A CDR read from the CPO's CDRs Sender: stored under the same rules as a POST. */
    storePulled: (partner: Caller, cdr: Cdr) => receive(partner, cdr),

    /** GET at the Location we returned: only for a caller that owns the CDR's party. */
    getForPartner: async (partner: Caller, id: string): Promise<StoredCdr> => {
      const held = await findCdrById(db, id)
      if (!held || !ownsParty(partner, held.countryCode, held.partyId)) throw new UnknownObjectError('cdr', `Unknown CDR ${id}`)
      return held
    },

    /** For the app and rating: a CDR by our id. */
    findById: (id: string) => findCdrById(db, id),

    /** A CDR by its CPO key (case-insensitive). */
    findByKey: (key: CdrKey) => findCdrByKey(db, key),

    /** Credit CDRs correcting the CDR with this key. */
    creditsOf: (key: CdrKey) => findCredits(db, key),

    /** CDRs in order of receipt, paged. */
    list: (filter: CdrListFilter) => listCdrs(db, filter),
  }
}

export type CdrsService = ReturnType<typeof createCdrsService>
