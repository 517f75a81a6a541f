import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import { exponentialBackoff, RetryLater, type JobContext, type JobRunner } from '../../jobs/runner.js'
import { addressedParty, outboundTarget, type Partner } from '../credentials/index.js'
import { OcpiClientError, retryAfterMs, type OcpiClient, type OcpiReply } from '../v221/client.js'
import { sendTokenChange, tokenReceiverUrl } from './tokens.client.js'
import { toOcpiBlockPatch, toOcpiToken } from './tokens.convert.js'
import type { TokenOwner, TokenRecord } from './tokens.model.js'
import { listTokensAfter } from './tokens.repository.js'

export const PUSH_QUEUE = 'tokens.push'
export const REPUSH_QUEUE = 'tokens.repush'
const REPUSH_PAGE = 500

/** Retry policy of token pushes: backoff capped low so a CPO that comes back gets its backlog within a minute. */
export interface PushPolicy {
  baseMs: number
  capMs: number
  /** Give up on one change after about this long (then it is marked failed). */
  giveUpMs: number
}

export const pushBackoff = (p: PushPolicy) => exponentialBackoff(p.baseMs, p.capMs)

/** Attempts that span `giveUpMs`: the doubling phase up to the cap, then one attempt per cap interval. */
export const pushMaxAttempts = (p: PushPolicy) => Math.ceil(Math.log2(p.capMs / p.baseMs)) + 1 + Math.ceil(p.giveUpMs / p.capMs)

export interface TokenPushPayload {
  partnerId: string
  method: 'PUT' | 'PATCH'
  uid: string
  type: string
  /** The change's snapshot: every change is delivered as it was, in order (README). */
  body: Record<string, unknown>
}

const tokensReceiverOf = (p: Partner) => p.endpoints.find((e) => e.identifier === 'tokens' && e.role === 'RECEIVER')?.url

/** Partners that get our tokens: registered, with a Tokens Receiver endpoint. */
export const pushTargets = (partners: Partner[]) => partners.filter((p) => p.state === 'REGISTERED' && tokensReceiverOf(p) !== undefined)

interface EnqueueDeps {
  jobs: Pick<JobRunner, 'enqueue'>
  owner?: TokenOwner
  party: { countryCode: string; partyId: string; name: string }
  push: PushPolicy
}

const ownerOf = (deps: EnqueueDeps): TokenOwner =>
  deps.owner ?? { countryCode: deps.party.countryCode, partyId: deps.party.partyId, issuer: deps.party.name }

/** Queues one push of this change per target partner, in the transaction of the change (outbox). */
export const enqueueTokenPushes = async (deps: EnqueueDeps, tx: Db, partners: Partner[], token: TokenRecord, method: 'PUT' | 'PATCH') => {
  const body = method === 'PUT' ? toOcpiToken(token, ownerOf(deps)) : toOcpiBlockPatch(token)
  for (const partner of pushTargets(partners)) {
    const payload: TokenPushPayload = { partnerId: partner.id, method, uid: token.uid, type: token.type, body }
    await deps.jobs.enqueue(tx, {
      queue: PUSH_QUEUE,
      orderKey: `tokens:${partner.id}:${token.uid}:${token.type}`,
      payload: payload as unknown as Record<string, unknown>,
      maxAttempts: pushMaxAttempts(deps.push),
    })
  }
}

export const enqueueRepushPage = async (deps: EnqueueDeps, db: Db, partnerId: string, after: { uid: string; type: string } | undefined) => {
  await deps.jobs.enqueue(db, { queue: REPUSH_QUEUE, orderKey: `tokens-repush:${partnerId}`, payload: { partnerId, after: after ?? null } })
}

/** One page of a full re-push: PUT jobs for the next tokens, then the job for the page after. */
export const createRepushHandler =
  (deps: EnqueueDeps & { db: Db; partners: { getPartner(id: string): Promise<Partner> } }) => async (payload: Record<string, unknown>) => {
    const partnerId = payload.partnerId as string
    const after = (payload.after as { uid: string; type: string } | null) ?? undefined
    const partner = await deps.partners.getPartner(partnerId)
    await deps.db.transaction(async (tx) => {
      const page = await listTokensAfter(tx, after, REPUSH_PAGE)
      for (const token of page) await enqueueTokenPushes(deps, tx, [partner], token, 'PUT')
      const last = page.at(-1)
      if (page.length === REPUSH_PAGE && last) await enqueueRepushPage(deps, tx, partnerId, { uid: last.uid, type: last.type })
    })
  }

/**
 * Sends one token change. Retried (backoff or Retry-After): network errors, timeouts, 401 (a
 * rotation in flight), 429, 5xx and OCPI 3xxx. Not retried: other 4xx and OCPI 2xxx, where the CPO
 * refused this body; sending it again cannot succeed and would block every later change of the
 * token behind it, so it is logged as an error and the next change (a full PUT) goes ahead.
 */
export const createPushHandler = (deps: {
  client: OcpiClient
  partners: { findPartner(id: string): Promise<Partner | undefined> }
  party: TokenOwner & { name?: string }
  clock: { now(): Date }
  push: PushPolicy
  log: FastifyBaseLogger
}) => {
  const backoff = pushBackoff(deps.push)
  return async (raw: Record<string, unknown>, ctx: JobContext) => {
    const p = raw as unknown as TokenPushPayload
    const partner = await deps.partners.findPartner(p.partnerId)
    const url = partner && partner.state === 'REGISTERED' ? tokensReceiverOf(partner) : undefined
    if (!partner || !url) {
      // Gone or unregistered: a re-registration is followed by a full re-push, so nothing is lost.
      ctx.log.warn({ partnerId: p.partnerId, uid: p.uid }, 'token push dropped: partner not registered or without a tokens receiver')
      return
    }
    const to = addressedParty(partner)
    let reply: OcpiReply<unknown>
    try {
      reply = await sendTokenChange(deps.client, {
        method: p.method,
        url: tokenReceiverUrl(url, deps.party, p.uid, p.type),
        target: outboundTarget(partner),
        body: p.body,
        routing: {
          fromCountryCode: deps.party.countryCode,
          fromPartyId: deps.party.partyId,
          toCountryCode: to?.countryCode,
          toPartyId: to?.partyId,
        },
      })
    } catch (err) {
      if (err instanceof OcpiClientError && err.kind === 'http' && err.httpStatus !== undefined)
        return judge(err.httpStatus, undefined, err.retryAfterMs, ctx, p)
      throw err
    }
    return judge(reply.httpStatus, reply.envelope.status_code, retryAfterMs(reply.headers['retry-after'], deps.clock.now()), ctx, p)
  }

  function judge(http: number, ocpi: number | undefined, retryAfter: number | undefined, ctx: JobContext, p: TokenPushPayload) {
    if (http === 429) throw new RetryLater(`HTTP 429 from the CPO`, retryAfter ?? backoff(ctx.attempt))
    if (http >= 500 || (ocpi !== undefined && ocpi >= 3000)) throw new Error(`CPO answered HTTP ${http}, OCPI ${ocpi ?? '-'}`)
    if (http >= 400 || (ocpi !== undefined && (ocpi < 1000 || ocpi >= 2000))) {
      ctx.log.error(
        { partnerId: p.partnerId, uid: p.uid, type: p.type, method: p.method, http, ocpi },
        'token push refused by the CPO; not retried',
      )
    }
  }
}
