// Rating in the product: every CDR is rated with the customer's contract by the pure engine and the
// charge is stored with its lines, rule and price-list version. An acknowledged CDR is either rated
// or on the operators' unrated list with its reason (nothing billable is stored) until the cause is
// fixed and it is re-rated, or an operator approves or rejects it. Nothing sits in a third state.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { CdrsService, StoredCdr } from '../ocpi/cdrs/index.js'
import type { SessionKey, SessionsService } from '../ocpi/sessions/index.js'
import type { Clock } from '../platform/clock.js'
import { conflict, notFound } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import { type Catalog, defaultCatalog, type OperatorRegistry, operatorRegistrySeed } from '../catalog/index.js'
import { DEFAULT_BOUNDS, type PlausibilityBounds } from './plausibility.js'
import type { RatingLookups } from './rating.lookups.js'
import { createQuoteService } from './rating.quote.js'
import { createCdrRater, type RateOutcome } from './rating.rate.js'
import * as repo from './rating.repository.js'
import type { Charge, RatingListFilter } from './rating.repository.js'

export type { RatingContract, RatingLookups } from './rating.lookups.js'
export type { RateOutcome } from './rating.rate.js'
export type { QuoteEvseInput, EvseQuote, ConnectorQuote, QuoteComponent, SessionEstimate } from './rating.quote.js'

/** The queue the audit runs on, separate from rating so an audit failure never blocks billing. */
export const CDR_AUDIT_QUEUE = 'cdr.audit'

export interface RatingDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  cdrs: Pick<CdrsService, 'findById' | 'findByIds' | 'findByKey' | 'list' | 'resolveNow'>
  sessions: Pick<SessionsService, 'findByKey'>
  lookups: RatingLookups
  jobs: Pick<JobRunner, 'enqueue' | 'enqueueMany' | 'kick'>
  catalog?: Catalog
  operators?: OperatorRegistry
  /** Plausibility bounds (config CDR_MAX_*); defaults in plausibility.ts. */
  bounds?: PlausibilityBounds
}

export interface ListChargesInput {
  contractId: string
  /** CDR end at or after this instant… */
  endedFrom: Date
  /** …and before this one. */
  endedTo: Date
}

/** Outcome of a bulk re-rate (`POST /admin/v1/cdrs/rerate`). */
export interface BulkRerateResult {
  attempted: number
  rated: number
  stillUnrated: { cdrId: string; reasonCode: string; reason: string }[]
}

export const createRatingService = (deps: RatingDeps) => {
  const { db, clock } = deps
  const catalog = deps.catalog ?? defaultCatalog
  const operators = deps.operators ?? operatorRegistrySeed
  const rater = createCdrRater({
    clock,
    ids: deps.ids,
    cdrs: deps.cdrs,
    lookups: deps.lookups,
    catalog,
    operators,
    bounds: deps.bounds ?? DEFAULT_BOUNDS,
    findActiveCharge: (cdrId) => repo.findActiveCharge(db, cdrId),
  })

  const requireCdr = async (cdrId: string) => {
    const cdr = await deps.cdrs.findById(cdrId)
    if (!cdr) throw notFound('cdr_not_found', `No CDR ${cdrId}`)
    return cdr
  }

  /**
   * What the CDR charges now. The lookups may throw (the job retries); a failure of the conversion
   * or the engine on this CDR's data is an outcome, so the CDR lands on the unrated list, never in limbo.
   */
  const outcomeOf = async (cdr: StoredCdr, approved: boolean, batch?: RatingLookups): Promise<RateOutcome> => {
    try {
      return await rater.rateStored(cdr, approved, batch)
    } catch (err) {
      // Driver and system errors carry a code (SQLSTATE, CONNECTION_CLOSED, ECONNRESET): the job retries those.
      if (typeof (err as { code?: unknown }).code === 'string') throw err
      deps.log.error({ err, cdrId: cdr.id }, 'rating failed on this CDR')
      return { ok: false, code: 'rating_error', reason: `Rating failed: ${(err as Error).message}` }
    }
  }

  const statusOf = (cdrId: string, outcome: RateOutcome) => ({
    cdrId,
    status: outcome.ok ? ('RATED' as const) : ('UNRATED' as const),
    reasonCode: outcome.ok ? null : outcome.code,
    reason: outcome.ok ? null : outcome.reason,
    chargeId: outcome.ok ? outcome.charge.id : null,
    updatedAt: clock.now(),
  })

  const saveOutcome = (tx: Db, cdrId: string, outcome: RateOutcome) => repo.saveRatingStatus(tx, statusOf(cdrId, outcome))

  /**
   * Stores an outcome under a row lock on the CDR, so concurrent ratings of one CDR take turns and
   * its status always points at the charge that is active. A reversal is checked once more under a
   * lock on its original: a second credit of one original is held (unless approved).
   * `first`: the `cdr.received` job (keeps a charge that exists); `rerate`: replaces it.
   */
  const store = (cdrId: string, outcome: RateOutcome, opts: { approved: boolean; mode: 'first' | 'rerate' }) =>
    db.transaction(async (tx): Promise<RateOutcome> => {
      await repo.lockCdr(tx, cdrId)
      const status = await repo.findRatingStatus(tx, cdrId)
      if (status?.status === 'REJECTED') {
        if (opts.mode === 'rerate') throw conflict('cdr_rejected', `CDR ${cdrId} was rejected by an operator; it moves no money`)
        return { ok: false, code: 'rejected', reason: status.decisionNote ?? 'rejected by an operator' }
      }
      const old = await repo.findActiveCharge(tx, cdrId)
      if (opts.mode === 'first' && old) return { ok: true, charge: old }
      let final = outcome
      if (final.ok && final.reverses && !opts.approved) {
        await repo.lockCdrByKey(tx, final.reverses)
        const others = await repo.activeReversalsOf(tx, final.reverses, cdrId)
        if (others.length > 0)
          final = {
            ok: false,
            code: 'credit_already_applied',
            reason: `CDR ${final.reverses.cdrId} is already reversed (by the credit charged in ${others[0]!.chargeId}): a second credit moves no money until an operator decides`,
          }
      }
      if (!final.ok && old) throw conflict('rerate_failed', `${final.code}: ${final.reason} (the active charge ${old.id} is kept)`)
      if (final.ok) {
        if (old) await repo.supersedeCharge(tx, old.id, final.charge.id)
        if (!(await repo.insertCharge(tx, final.charge))) throw new Error(`charge of CDR ${cdrId} not inserted under its lock`)
      }
      await saveOutcome(tx, cdrId, final)
      if (opts.mode === 'first') await deps.jobs.enqueue(tx, { queue: CDR_AUDIT_QUEUE, payload: { cdrId }, dedupeKey: cdrId })
      return final
    })

  const isApproved = async (cdrId: string) => (await repo.findRatingStatus(db, cdrId))?.decision === 'APPROVED'

  /**
   * The `cdr.received` job: rates the CDR once. A replay (at-least-once delivery) finds the active
   * charge and stores nothing new. The audit job is queued in the same transaction as the outcome.
   */
  const rateReceived = async (cdrId: string): Promise<RateOutcome> => {
    const cdr = await requireCdr(cdrId)
    const held = await repo.findActiveCharge(db, cdrId)
    if (held) return { ok: true, charge: held }
    const approved = await isApproved(cdrId)
    const final = await store(cdrId, await outcomeOf(cdr, approved), { approved, mode: 'first' })
    if (!final.ok) deps.log.warn({ cdrId, code: final.code, reason: final.reason }, 'CDR not rated')
    deps.jobs.kick()
    return final
  }

  /**
   * The `cdr.received` jobs of a claimed batch, in a few statements for all of them: the CDRs and
   * their states in one read each, the tokens, contracts and Locations they name in one read per
   * kind, and every outcome, charge and audit job in one transaction. Replays (a charge exists) do
   * nothing; credits and operator-approved CDRs take `rateReceived` one by one (they lock an
   * original). Throws if any CDR is unknown; the runner then runs each job alone.
   * `complete` (the runner's) marks the batch's jobs done in the transaction of the outcomes, one commit
   * less per batch; only when that transaction holds all of the batch's work (no CDR taken one by one).
   */
  const rateReceivedMany = async (cdrIds: string[], complete?: (tx: Db) => Promise<void>): Promise<void> => {
    const ids = [...new Set(cdrIds)]
    const [found, states] = await Promise.all([deps.cdrs.findByIds(ids), repo.ratingStatesOf(db, ids)])
    if (found.length !== ids.length) {
      const missing = ids.filter((id) => !found.some((c) => c.id === id))
      throw notFound('cdr_not_found', `No CDR ${missing.join(', ')}`)
    }
    const fresh = found.filter((c) => !states.get(c.id)?.activeChargeId)
    const alone = fresh.filter((c) => c.ocpi.credit || states.get(c.id)?.decision === 'APPROVED')
    const together = fresh.filter((c) => !alone.includes(c))
    if (together.length > 0) {
      const batch = await deps.lookups.forBatch({
        tokens: together.map((c) => ({ uid: c.token.uid, type: c.token.type })),
        contractIds: together.map((c) => c.token.contractId),
        locations: together.map((c) => ({ countryCode: c.countryCode, partyId: c.partyId, locationId: c.ocpi.cdr_location.id })),
      })
      const outcomes = await Promise.all(together.map(async (c) => ({ cdrId: c.id, outcome: await outcomeOf(c, false, batch) })))
      for (const { cdrId, outcome } of await storeFirstRatings(outcomes, alone.length === 0 ? complete : undefined))
        if (!outcome.ok) deps.log.warn({ cdrId, code: outcome.code, reason: outcome.reason }, 'CDR not rated')
    }
    for (const c of alone) await rateReceived(c.id)
    deps.jobs.kick()
  }

  /**
   * First ratings of several CDRs in one transaction, under their row locks (as `store` in mode
   * `first` for one): a CDR charged or rejected meanwhile keeps what it has; the others get their
   * outcome, charge and audit job. Answers what was stored.
   */
  const storeFirstRatings = (outcomes: { cdrId: string; outcome: RateOutcome }[], complete?: (tx: Db) => Promise<void>) =>
    db.transaction(async (tx) => {
      const locked = await repo.ratingStatesOf(
        tx,
        outcomes.map((o) => o.cdrId),
        { lock: true },
      )
      const stored = outcomes.filter(({ cdrId }) => {
        const state = locked.get(cdrId)
        return state && state.status !== 'REJECTED' && !state.activeChargeId
      })
      const newCharges = stored.flatMap(({ outcome }) => (outcome.ok ? [outcome.charge] : []))
      const [inserted] = await Promise.all([
        repo.insertCharges(tx, newCharges),
        repo.saveRatingStatuses(
          tx,
          stored.map(({ cdrId, outcome }) => statusOf(cdrId, outcome)),
        ),
        deps.jobs.enqueueMany(
          tx,
          stored.map(({ cdrId }) => ({ queue: CDR_AUDIT_QUEUE, payload: { cdrId }, dedupeKey: cdrId })),
        ),
        complete?.(tx),
      ])
      if (inserted !== newCharges.length) throw new Error('charges of a batch not inserted under their locks')
      return stored
    })

  /** The rating state of a CDR: status with reason, and every charge (oldest first). */
  const ratingOf = async (cdrId: string) => {
    await requireCdr(cdrId)
    const [status, history] = await Promise.all([repo.findRatingStatus(db, cdrId), repo.listChargesOfCdr(db, cdrId)])
    return { status: status ?? null, charges: history, active: history.find((c) => c.supersededBy === null) ?? null }
  }

  /**
   * Rates a CDR again (admin). A new charge replaces the active one, which stays as history
   * (`superseded_by`). If rating fails, an existing charge stays active and the failure is
   * answered (409 rerate_failed); a CDR without a charge is (still) UNRATED with the new reason.
   */
  const rerate = async (cdrId: string) => {
    const cdr = await requireCdr(cdrId)
    const approved = await isApproved(cdrId)
    const outcome = await store(cdrId, await outcomeOf(cdr, approved), { approved, mode: 'rerate' })
    return { outcome, ...(await ratingOf(cdrId)) }
  }

  /** The `cdr.received` job gave up (the last attempt failed): the CDR goes on the unrated list with the error. */
  const markFailed = async (cdrId: string, error: string) => {
    await db.transaction(async (tx) => {
      if (await repo.findActiveCharge(tx, cdrId)) return
      await saveOutcome(tx, cdrId, { ok: false, code: 'rating_failed', reason: `Rating failed after every retry: ${error}` })
    })
  }

  return {
    rateReceived,
    rateReceivedMany,
    rerate,
    ratingOf,
    markFailed,

    /** CDRs by rating status (`UNRATED` is the operators' exception list), oldest receipt first. */
    list: (filter: RatingListFilter) => repo.listByStatus(db, filter),

    /** How many acknowledged CDRs are unrated now (for the metrics). */
    countUnrated: () => repo.countUnrated(db),

    /**
     * Re-rates unrated CDRs (after the cause was fixed: a contract created, a Location or rate added),
     * oldest first, at most `limit`; answers what happened to each that stays unrated.
     */
    rerateUnrated: async (filter: {
      reasonCode?: string | undefined
      partnerId?: string | undefined
      limit: number
    }): Promise<BulkRerateResult> => {
      const { items } = await repo.listByStatus(db, {
        status: 'UNRATED',
        reasonCode: filter.reasonCode,
        partnerId: filter.partnerId,
        offset: 0,
        limit: filter.limit,
      })
      const result: BulkRerateResult = { attempted: 0, rated: 0, stillUnrated: [] }
      for (const item of items) {
        result.attempted++
        const { outcome } = await rerate(item.cdrId)
        if (outcome.ok) result.rated++
        else result.stillUnrated.push({ cdrId: item.cdrId, reasonCode: outcome.code, reason: outcome.reason })
      }
      return result
    },

    /**
     * An operator's decision on a held (unrated) CDR: APPROVE rates it although it was held (an
     * implausible CDR, a credit outside the rules), REJECT ends it without moving money.
     */
    decide: async (cdrId: string, decision: 'APPROVE' | 'REJECT', note: string | null) => {
      await requireCdr(cdrId)
      const status = await repo.findRatingStatus(db, cdrId)
      if (status?.status !== 'UNRATED')
        throw conflict('not_held', `CDR ${cdrId} is ${status?.status ?? 'PENDING'}: only an unrated CDR awaits a decision`)
      await repo.saveDecision(db, { cdrId, decision: decision === 'APPROVE' ? 'APPROVED' : 'REJECTED', note, at: clock.now() })
      if (decision === 'APPROVE') return await rerate(cdrId)
      return { outcome: { ok: false as const, code: 'rejected', reason: note ?? 'rejected by an operator' }, ...(await ratingOf(cdrId)) }
    },

    /**
     * Active charges of a contract whose CDR ended in [endedFrom, endedTo): what billing invoices.
     * Totals and line amounts are Decimals with 2 decimals; a credit CDR's REVERSAL is negative.
     */
    listCharges: (input: ListChargesInput): Promise<Charge[]> => repo.listActiveCharges(db, input),

    ...createQuoteService({
      clock,
      sessions: deps.sessions,
      lookups: deps.lookups,
      catalog,
      operators,
      ratedChargeOfSession: async (key: SessionKey, contractId: string, from: Date) => {
        const { items } = await deps.cdrs.list({ contractId, receivedFrom: from, offset: 0, limit: 100 })
        const cdr = items.find(
          (c) =>
            c.sessionId === key.sessionId.toUpperCase() &&
            c.countryCode === key.countryCode.toUpperCase() &&
            c.partyId === key.partyId.toUpperCase(),
        )
        return cdr ? repo.findActiveCharge(db, cdr.id) : undefined
      },
    }),
  }
}

export type RatingService = ReturnType<typeof createRatingService>
