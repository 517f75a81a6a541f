import type { FastifyInstance } from 'fastify'
import type { JobRunner } from '../../jobs/runner.js'
import type { OcpiClient } from '../v221/client.js'
import type { VersionsRegistry } from '../versions/index.js'
import { createExpiryJobs } from './tokens.expiry.js'
import { createPushHandler, createRepushHandler, pushBackoff, PUSH_QUEUE, REPUSH_QUEUE, type PushPolicy } from './tokens.push.js'
import { tokensRoutes } from './tokens.routes.js'
import { createTokensService, type TokensDeps } from './tokens.service.js'

export type { TokensService, IssueTokenInput, AuthorizationResult } from './tokens.service.js'
export type { ContractFacts, ContractStanding, ContractStandingPort, TokenRecord } from './tokens.model.js'
export { toOcpiToken } from './tokens.convert.js'

/**
 * The Tokens module, Sender role: the composition root. Registers our `tokens` SENDER endpoint
 * and the job queues (per-change pushes, the pages of a full re-push, the daily expiry).
 */
export const createTokensModule = (
  deps: Omit<TokensDeps, 'jobs' | 'push'> & {
    jobs: JobRunner
    client: OcpiClient
    registry: Pick<VersionsRegistry, 'add' | 'moduleUrl'>
    pushGiveUpHours: number
  },
) => {
  const push: PushPolicy = { baseMs: 1000, capMs: 60_000, giveUpMs: deps.pushGiveUpHours * 3_600_000 }
  const service = createTokensService({ ...deps, push })
  deps.registry.add({ identifier: 'tokens', role: 'SENDER', path: 'tokens' })
  const owner = service.owner
  deps.jobs.register(
    PUSH_QUEUE,
    createPushHandler({ client: deps.client, partners: deps.partners, party: owner, clock: deps.clock, push, log: deps.log }),
    { lane: 'partner', backoffMs: pushBackoff(push) },
  )
  deps.jobs.register(
    REPUSH_QUEUE,
    createRepushHandler({ db: deps.db, jobs: deps.jobs, owner, party: deps.party, push, partners: deps.partners }),
  )
  const expiry = createExpiryJobs({
    db: deps.db,
    jobs: deps.jobs,
    tokens: service,
    partners: deps.partners,
    log: deps.log,
    contractStanding: deps.contractStanding,
  })
  return {
    service,
    /** The daily block of ended contracts' tokens; `expiry.start(now)` when the background loop runs. */
    expiry,
    /** Listener for a completed registration: the partner gets all our tokens (a full re-push). */
    onPartnerRegistered: async (partnerId: string) => void (await service.repushAll(partnerId)),
    routes: (app: FastifyInstance, opts: { pageLimit: number }) =>
      tokensRoutes(app, {
        tokens: service,
        clock: deps.clock,
        pageLimit: opts.pageLimit,
        listUrl: () => deps.registry.moduleUrl('tokens'),
      }),
  }
}
