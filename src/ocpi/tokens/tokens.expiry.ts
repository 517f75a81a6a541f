// The daily expiry: tokens of contracts that have ended (cancelled, past their end date) are
// blocked like any other block, so CPOs that whitelist our RFID cards get the PATCH `valid: false`
// through the usual outbox. One job per UTC day (dedupe key = day, so N instances run it once),
// with an explicit `asOf`; re-running it finds nothing left to block.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import type { Partner } from '../credentials/index.js'
import { utcDay } from '../../platform/clock.js'
import type { ContractStandingPort } from './tokens.model.js'
import { listValidTokensOfEndedContracts } from './tokens.repository.js'
import type { TokensService } from './tokens.service.js'

export const EXPIRY_QUEUE = 'tokens.expire'
export const EXPIRY_REASON = 'contract_ended'

/** The run of `day` starts at 00:05 UTC: a contract whose last day was yesterday stops that night. */
export const expiryRunAt = (day: string) => new Date(`${day}T00:05:00Z`)
const nextDay = (day: string) => utcDay(new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000))

export const createExpiryJobs = (deps: {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  tokens: Pick<TokensService, 'blockInTx'>
  partners: { listPartners(): Promise<Partner[]> }
  log: FastifyBaseLogger
  contractStanding: ContractStandingPort
}) => {
  const { db, jobs } = deps

  /** Blocks every still-valid token of a contract that has ended by `asOf`; answers how many. */
  const blockEnded = async (asOf: Date) => {
    const day = utcDay(asOf)
    // Read before the transaction: the embedded database has one connection.
    const partners = await deps.partners.listPartners()
    const blocked = await db.transaction(async (tx) => {
      let n = 0
      for (const { token, contract } of await listValidTokensOfEndedContracts(tx, day)) {
        if (deps.contractStanding(contract, day) !== 'ended') continue
        // blockInTx locks the token and skips it if it was blocked meanwhile (idempotent).
        await deps.tokens.blockInTx(tx, partners, token.uid, token.type, EXPIRY_REASON)
        n++
      }
      return n
    })
    jobs.kick()
    if (blocked > 0) deps.log.info({ day, blocked }, 'tokens of ended contracts blocked')
    return blocked
  }

  /** Makes sure the run of `day` is scheduled (idempotent: the day is the dedupe key). */
  const scheduleDay = (day: string) =>
    jobs.enqueue(db, {
      queue: EXPIRY_QUEUE,
      payload: { day, asOf: expiryRunAt(day).toISOString() },
      dedupeKey: day,
      runAt: expiryRunAt(day),
    })

  jobs.register(EXPIRY_QUEUE, async (payload) => {
    const day = String(payload.day)
    await blockEnded(new Date(String(payload.asOf)))
    await scheduleDay(nextDay(day))
  })

  return {
    blockEnded,
    scheduleDay,
    /**
     * Called once when the background loop starts: schedules today's run (already due after
     * 00:05, so a restart or an outage catches up at once; the chain then continues itself).
     */
    start: (now: Date) => scheduleDay(utcDay(now)),
  }
}
