import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import type { Clock } from '../../platform/clock.js'
import type { Ids } from '../../platform/ids.js'
import type { ConformanceService } from '../conformance/index.js'
import { assertOwnsParty, ownsParty, type Partner } from '../credentials/index.js'
import type { Location } from '../v221/locations.schema.js'
import { InvalidParametersError, UnknownObjectError } from '../v221/errors.js'
import type { Deviation } from '../v221/intake.js'
import { identityHashOf, recordOf, type StoredCdr } from './cdrs.convert.js'
import { factsNeeded, resolveCdr, type HeldFacts } from './cdrs.intake.js'
import {
  findCdrById,
  findCdrByKey,
  findCdrsByIds,
  findCredits,
  insertCdrWithJob,
  listCdrs,
  type CdrKey,
  type CdrListFilter,
} from './cdrs.repository.js'
import type { CdrIntake } from './cdrs.schema.js'

/** The durable hand-off to rating: one job per CDR, payload `{ cdrId: <our row id> }`. */
export const CDR_RECEIVED_QUEUE = 'cdr.received'
export { CDR_RECEIVED_MAX_ATTEMPTS } from './cdrs.repository.js'

/** What the CDRs module looks up to complete a CDR (our tokens, the CPO's stored Locations). */
export interface CdrFacts {
  /** Our token with this uid (case-insensitive) and type, if we issued it. */
  token(uid: string, type: string): Promise<{ countryCode: string; partyId: string; contractId: string } | undefined>
  /** The CPO's Location as we hold it, if any. */
  location(countryCode: string, partyId: string, locationId: string): Promise<Location | undefined>
}

/** Look-ups a caller already holds (rating's batch): our token's contract, the CPO's Location. */
export interface HeldLookups {
  token(uid: string, type: string): Promise<{ contractId: string } | undefined>
  location: CdrFacts['location']
}

export interface CdrsDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  jobs: Pick<JobRunner, 'kick'>
  /** Our own party: the receiver of every CDR, owner of the tokens CDRs name. */
  receiver: { countryCode: string; partyId: string }
  facts: CdrFacts
  conformance: Pick<ConformanceService, 'accept'>
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
 * is refused with 2001 and changes nothing. Tolerant: a CDR we can read is a CDR we bill.
 */
export const createCdrsService = (deps: CdrsDeps) => {
  const { db, clock, ids, jobs } = deps

  /** What we hold about a CDR and it needs: our token, the CPO's Location (a conforming CDR needs neither). */
  const heldFacts = async (cdr: CdrIntake, receivedAt: Date, facts = deps.facts): Promise<HeldFacts> => {
    const needed = factsNeeded(cdr)
    const [token, location] = await Promise.all([
      needed.token ? facts.token(cdr.cdr_token.uid, cdr.cdr_token.type) : undefined,
      needed.location ? facts.location(cdr.country_code, cdr.party_id, cdr.cdr_location.id) : undefined,
    ])
    return { receiver: deps.receiver, token, location, receivedAt }
  }

  /**
   * Stores a CDR and, in the same statement, the `cdr.received` job (deduplicated by the CDR key):
   * once this resolves the CDR and its hand-off to rating are committed together. `cdr` has passed
   * the intake schema with its format deviations repaired (`deviations`); it is completed here from
   * what we hold. `raw` is the body as received (a pulled CDR passes its JSON).
   */
  const receive = async (
    partner: Caller,
    cdr: CdrIntake,
    raw?: string,
    deviations: readonly Deviation[] = [],
  ): Promise<ReceiveCdrResult> => {
    // A CDR POST has no party in its URL: the body's party must be the caller's.
    assertOwnsParty(partner, cdr.country_code, cdr.party_id)
    const now = clock.now()
    const resolved = resolveCdr(cdr, await heldFacts(cdr, now))
    if (resolved.cdr.cdr_token.contract_id == null) {
      throw new InvalidParametersError(
        `cdr_token.contract_id: required (token ${cdr.cdr_token.uid} is not one we issued, so its contract cannot be resolved)`,
      )
    }
    const all = [...deviations, ...resolved.deviations]
    const record = recordOf(resolved.cdr, cdr)
    await deps.conformance.accept(partner.id, 'cdrs', keyText(record), all)
    const insertedId = await insertCdrWithJob(
      db,
      { id: ids.uuid(), partnerId: partner.id, record, raw: raw ?? JSON.stringify(cdr), deviations: all, now },
      // A credit's job waits behind its original's if that is still pending, so the original is rated first.
      {
        queue: CDR_RECEIVED_QUEUE,
        dedupeKey: keyText(record),
        orderKey: keyText({ ...record, cdrId: record.creditReferenceId ?? record.cdrId }),
      },
    )
    if (insertedId) {
      jobs.kick()
      return { created: true, id: insertedId }
    }
    const held = await findCdrByKey(db, record)
    if (!held) throw new Error(`CDR ${keyText(record)} conflicted but is not stored`) // cannot happen: CDRs are never deleted
    // Rows stored before the identity was case-folded hashed the CDR as sent: compare their CDR folded.
    if (held.contentHash !== record.contentHash && identityHashOf(held.ocpi) !== record.contentHash) {
      throw new InvalidParametersError(
        `CDR ${cdr.country_code}/${cdr.party_id}/${cdr.id} already exists with different content; CDRs are immutable (send a credit CDR with a new id)`,
      )
    }
    return { created: false, id: held.id }
  }

  return {
    /** POST {cdrs_url} (OCPI 2.2.1 CDRs, Receiver POST). */
    receive,

    /** A CDR read from the CPO's CDRs Sender: stored under the same rules as a POST. */
    storePulled: (partner: Caller, cdr: CdrIntake, deviations: readonly Deviation[] = []) => receive(partner, cdr, undefined, deviations),

    /** GET at the Location we returned: only for a caller that owns the CDR's party. */
    getForPartner: async (partner: Caller, id: string): Promise<StoredCdr> => {
      const held = await findCdrById(db, id)
      if (!held || !ownsParty(partner, held.countryCode, held.partyId)) throw new UnknownObjectError('cdr', `Unknown CDR ${id}`)
      return held
    },

    /** For the app and rating: a CDR by our id. */
    findById: (id: string) => findCdrById(db, id),

    /** Several CDRs by our id in one statement; unknown ids are left out. */
    findByIds: (ids: string[]) => findCdrsByIds(db, ids),

    /** A CDR by its CPO key (case-insensitive). */
    findByKey: (key: CdrKey) => findCdrByKey(db, key),

    /** Credit CDRs correcting the CDR with this key. */
    creditsOf: (key: CdrKey) => findCredits(db, key),

    /** CDRs in order of receipt, paged. */
    list: (filter: CdrListFilter) => listCdrs(db, filter),

    /**
     * A stored CDR completed again from what we hold now (a Location or token that arrived after
     * the CDR): what rating reads. Reads only.
     */
    resolveNow: async (stored: StoredCdr, held?: HeldLookups): Promise<CdrIntake> => {
      // `held`: look-ups a caller already made for several CDRs at once (rating's batch), used instead of ours.
      const facts: CdrFacts = held
        ? {
            token: async (uid, type) => {
              const token = await held.token(uid, type)
              return token ? { ...deps.receiver, contractId: token.contractId } : undefined
            },
            location: held.location,
          }
        : deps.facts
      return resolveCdr(stored.ocpi, await heldFacts(stored.ocpi, stored.receivedAt, facts)).cdr
    },
  }
}

export type CdrsService = ReturnType<typeof createCdrsService>
