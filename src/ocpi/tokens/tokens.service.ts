import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config.js'
import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import { type Clock, utcDay } from '../../platform/clock.js'
import { notFound } from '../../platform/errors.js'
import type { Ids } from '../../platform/ids.js'
import type { Partner } from '../credentials/index.js'
import { UnknownTokenError } from '../v221/errors.js'
import type { Page } from '../v221/pagination.js'
import { whitelistFor, type ContractStanding, type ContractStandingPort, type TokenOwner, type TokenRecord } from './tokens.model.js'
import { enqueueTokenPushes, enqueueRepushPage, type PushPolicy } from './tokens.push.js'
import * as repo from './tokens.repository.js'
import type { AllowedType, LocationReferences, TokenType } from './tokens.schema.js'

export interface TokensDeps {
  db: Db
  jobs: Pick<JobRunner, 'enqueue' | 'kick'>
  partners: {
    listPartners(): Promise<Partner[]>
    getPartner(id: string): Promise<Partner>
    findPartner(id: string): Promise<Partner | undefined>
  }
  party: Config['party']
  clock: Clock
  ids: Ids
  log: FastifyBaseLogger
  push: PushPolicy
  /** The contract rule (customers' `contractStanding`): authorization answers from it. */
  contractStanding: ContractStandingPort
  /** Random bytes for token uids; injected so tests can force collisions. */
  randomUid?: (bytes: number) => string
}

export interface IssueTokenInput {
  contractId: string
  type: Extract<TokenType, 'RFID' | 'APP_USER'>
  language: string | null
  groupId: string | null
  visualNumber: string | null
}

export interface AuthorizationResult {
  allowed: AllowedType
  token: TokenRecord
  location?: LocationReferences
  reference?: string
  info?: string
}

const ALLOWED_BY_STANDING: Record<ContractStanding, { allowed: AllowedType; info?: string }> = {
  ok: { allowed: 'ALLOWED' },
  terminated: { allowed: 'BLOCKED', info: 'The charging contract has been terminated.' },
  ended: { allowed: 'EXPIRED', info: 'The charging contract has ended.' },
  not_started: { allowed: 'NOT_ALLOWED', info: 'The charging contract has not started yet.' },
  no_credit: { allowed: 'NO_CREDIT', info: 'Charging is paused: please check your payment details in the My BMW app.' },
}

/** RFID uids look like a 7-byte card UID (14 hex); app tokens carry 16 random bytes (32 hex). */
const UID_BYTES: Record<IssueTokenInput['type'], number> = { RFID: 7, APP_USER: 16 }
const randomHex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase()

/** Our tokens (OCPI 2.2.1 Tokens module, Sender): issue, block, list, real-time authorization, pushes. */
export const createTokensService = (deps: TokensDeps) => {
  const { db, clock, ids } = deps
  const owner: TokenOwner = { countryCode: deps.party.countryCode, partyId: deps.party.partyId, issuer: deps.party.name }
  const lookup = repo.prepareAuthorizationLookup(db)
  const recordAuthorization = repo.prepareAuthorizationInsert(db)
  const randomUid = deps.randomUid ?? randomHex

  /**
   * Issues a token inside the caller's transaction and queues its PUT to every connected CPO.
   * `partners` is read by the caller before its transaction (the embedded database has one connection).
   */
  const issueToken = async (tx: Db, partners: Partner[], input: IssueTokenInput): Promise<TokenRecord> => {
    const now = clock.now()
    for (let attempt = 0; attempt < 5; attempt++) {
      const token: TokenRecord = {
        uid: randomUid(UID_BYTES[input.type]),
        type: input.type,
        contractId: input.contractId,
        visualNumber: input.visualNumber,
        groupId: input.groupId,
        valid: true,
        whitelist: whitelistFor(input.type),
        language: input.language,
        blockedReason: null,
        lastUpdated: now,
        createdAt: now,
      }
      if (await repo.insertToken(tx, token)) {
        await enqueueTokenPushes(deps, tx, partners, token, 'PUT')
        return token
      }
    }
    throw new Error('could not draw an unused token uid in 5 attempts')
  }

  /** Blocks a token in the caller's transaction (idempotent) and queues the PATCH `valid: false`. */
  const blockInTx = async (tx: Db, partners: Partner[], uid: string, type: string, reason: string) => {
    const token = await repo.findToken(tx, uid, type, { forUpdate: true })
    if (!token) throw notFound('token_not_found', `No ${type} token ${uid}`)
    if (!token.valid) return token
    const blocked = { ...token, valid: false, blockedReason: reason, lastUpdated: clock.now() }
    await repo.updateToken(tx, blocked)
    await enqueueTokenPushes(deps, tx, partners, blocked, 'PATCH')
    return blocked
  }

  const blockToken = async (uid: string, type: string, reason: string) => {
    const partners = await deps.partners.listPartners()
    const token = await db.transaction((tx) => blockInTx(tx, partners, uid, type, reason))
    deps.jobs.kick()
    return token
  }

  /** The token, or undefined when we issued none with this uid and type (callers need not catch a 404). */
  const findToken = (uid: string, type: string) => repo.findToken(db, uid, type)

  const getToken = async (uid: string, type: string) => {
    const token = await findToken(uid, type)
    if (!token) throw notFound('token_not_found', `No ${type} token ${uid}`)
    return token
  }

  /**
   * Real-time authorization (OCPI 2.2.1 Tokens 10.3, OCPI notes §10.3): decided from the token and its
   * contract only, never from opening hours or EVSE status. Every answer is recorded; the
   * reference is handed out only with ALLOWED (a refused request starts no session).
   */
  const authorize = async (input: {
    partnerId: string
    uid: string
    type: TokenType
    location?: LocationReferences
  }): Promise<AuthorizationResult> => {
    const found = await lookup(input.uid, input.type)
    if (!found) throw new UnknownTokenError(`Unknown token ${input.uid} (${input.type})`)
    const now = clock.now()
    const verdict = found.token.valid
      ? ALLOWED_BY_STANDING[deps.contractStanding(found.contract, utcDay(now))]
      : { allowed: 'BLOCKED' as const, info: 'This token is blocked.' }
    const reference = ids.uuid()
    await recordAuthorization({
      reference,
      tokenUid: found.token.uid,
      tokenType: found.token.type,
      contractId: found.token.contractId,
      partnerId: input.partnerId,
      allowed: verdict.allowed,
      locationId: input.location?.location_id ?? null,
      evseUids: input.location?.evse_uids ?? null,
      createdAt: now,
    })
    return {
      allowed: verdict.allowed,
      token: found.token,
      ...(input.location ? { location: input.location } : {}),
      ...(verdict.allowed === 'ALLOWED' ? { reference } : {}),
      ...(verdict.info ? { info: verdict.info } : {}),
    }
  }

  /** Queues a PUT of every token to one partner (its first sync, or a resync); answers the count. */
  const repushAll = async (partnerId: string) => {
    const partner = await deps.partners.getPartner(partnerId)
    await enqueueRepushPage(deps, db, partner.id, undefined)
    deps.jobs.kick()
    return repo.countTokens(db)
  }

  return {
    owner,
    issueToken,
    blockInTx,
    blockToken,
    getToken,
    findToken,
    /** Several tokens in one statement, answered in the order asked (undefined where not ours). */
    findTokens: (keys: { uid: string; type: string }[]) => repo.findTokens(db, keys),
    authorize,
    repushAll,
    listPage: (page: Page) => repo.listTokensPage(db, page),
    listOfContract: (contractId: string, tx: Db = db) => repo.listTokensOfContract(tx, contractId),
    findAuthorization: (reference: string) => repo.findAuthorization(db, reference),
  }
}

export type TokensService = ReturnType<typeof createTokensService>
