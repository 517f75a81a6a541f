import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { JobRunner } from '../../jobs/runner.js'
import type { Clock } from '../../platform/clock.js'
import type { EventBus } from '../../platform/events.js'
import { DomainError, notFound } from '../../platform/errors.js'
import type { Ids } from '../../platform/ids.js'
import { outboundTarget, type Partner } from '../credentials/index.js'
import type { StoredSession } from '../sessions/index.js'
import type { Token } from '../v221/tokens.schema.js'
import { RetryLater } from '../../jobs/runner.js'
import { joinUrl, type OcpiClient } from '../v221/client.js'
import { UnknownObjectError } from '../v221/errors.js'
import { postCommand, type SendOutcome } from './commands.client.js'
import {
  acceptsResult,
  REASON_MESSAGES,
  stateAfterResponse,
  stateAfterResult,
  type CommandReason,
  type CommandRecord,
  type CommandState,
} from './commands.model.js'
import * as repo from './commands.repository.js'
import type { CommandResult, CommandType } from './commands.schema.js'
import type { ReachabilityChecker } from './reachability.js'

export const TIMEOUT_QUEUE = 'commands.timeout'
/** The partner-lane queue that POSTs a command to the CPO and records its answer. */
export const SEND_QUEUE = 'commands.send'
/** How long a command may take to reach the CPO, retries included; then FAILED (or TIMEOUT if never tried). */
export const SEND_WINDOW_MS = 30_000

export interface CommandsDeps {
  db: Db
  client: OcpiClient
  jobs: Pick<JobRunner, 'enqueue' | 'kick'>
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  /** Our party: OCPI-from-* of every command. */
  party: { countryCode: string; partyId: string }
  /** Our commands endpoint URL (the base of every response_url). */
  commandsUrl: () => string
  /** COMMAND_TIMEOUT_GRACE_S: added to the CPO's `timeout` before we give up on a result. */
  graceS: number
  /** How long one POST of a command may take (OCPI_COMMAND_TIMEOUT_MS). */
  sendTimeoutMs: number
  reachability: ReachabilityChecker
  /** Each state change is published (after commit) on `commandTopic(id)`. */
  events: Pick<EventBus, 'publish'>
}

/** The topic a command's state changes are published on; the payload is `{ state }`. */
export const commandTopic = (id: string) => `command:${id}`

/** Where a command goes: a connected partner with a commands endpoint, and the CPO party addressed. */
export interface CommandRoute {
  partner: Partner
  commandsUrl: string
  countryCode: string
  partyId: string
}

interface SendInput {
  type: CommandType
  origin: 'app' | 'admin'
  route: CommandRoute
  customerId?: string | null
  contractId?: string | null
  locationId?: string | null
  evseUid?: string | null
  connectorId?: string | null
  sessionId?: string | null
  reservationId?: string | null
  authorizationReference?: string | null
  correlationId?: string
  /** The command object, given our unique response_url. */
  body: (responseUrl: string) => Record<string, unknown>
}

const upper = (v: string | null | undefined) => (v ? v.toUpperCase() : null)
const orNull = (v: string | null | undefined) => v ?? null

/**
 * The Commands Sender (OCPI 2.2.1 §13, OCPI notes §11): sends commands to CPOs, follows each one as a
 * state machine, receives CommandResults on unique response_urls, and turns a missing result into
 * TIMEOUT through a durable job. START_SESSION becomes STARTED in the write of a session with its
 * authorization_reference, even after TIMEOUT or FAILED (a later session wins).
 * Reads never write; every state change is published once committed.
 */
export const createCommandsService = (deps: CommandsDeps) => {
  const { db, clock } = deps
  const later = (from: Date, ms: number) => new Date(from.getTime() + ms)
  const published = async (id: string, state: CommandState) => {
    await deps.events.publish(commandTopic(id), { state })
  }
  const publishing = async (record: CommandRecord) => {
    await published(record.id, record.state)
    return record
  }

  /** The partner and endpoint a command for this CPO party goes to; `operator_unreachable` (503) otherwise. */
  const routeTo = async (partnerId: string, countryCode: string, partyId: string): Promise<CommandRoute> => {
    const r = await deps.reachability.check(partnerId, countryCode, partyId, { fresh: true })
    if (!r.connected || !r.partner || !r.commandsUrl) {
      throw new DomainError('operator_unreachable', REASON_MESSAGES.operator_unreachable, 503, { why: r.why ?? 'no_commands_endpoint' })
    }
    return { partner: r.partner, commandsUrl: r.commandsUrl, countryCode: countryCode.toUpperCase(), partyId: partyId.toUpperCase() }
  }

  /**
   * Writes the command (REQUESTED) with its send job and its deadline job in one transaction and
   * returns at once: the CPO is called by the `commands.send` job in the partner lane, so a slow
   * CPO never holds the driver's request nor a worker other work needs.
   */
  const send = async (input: SendInput): Promise<CommandRecord> => {
    const id = deps.ids.uuid()
    const now = clock.now()
    const request = input.body(joinUrl(deps.commandsUrl(), input.type, id))
    const record: repo.NewCommand = {
      id,
      type: input.type,
      state: 'REQUESTED',
      reason: null,
      origin: input.origin,
      customerId: input.customerId ?? null,
      contractId: input.contractId ?? null,
      partnerId: input.route.partner.id,
      countryCode: input.route.countryCode,
      partyId: input.route.partyId,
      // The CPO's ids as it sent them (and as this command sends them); our authorization reference
      // is kept upper-cased, as sessions hold it, for matching.
      locationId: orNull(input.locationId),
      evseUid: orNull(input.evseUid),
      connectorId: orNull(input.connectorId),
      sessionId: orNull(input.sessionId),
      reservationId: orNull(input.reservationId),
      authorizationReference: upper(input.authorizationReference),
      request,
      // If the CPO is never reached (partner lane backed up, we died), the deadline job settles the command.
      deadlineAt: later(now, SEND_WINDOW_MS + deps.graceS * 1000),
      requestedAt: now,
    }
    await db.transaction(async (tx) => {
      await repo.insertCommand(tx, record)
      await deps.jobs.enqueue(tx, {
        queue: TIMEOUT_QUEUE,
        payload: { commandId: id },
        dedupeKey: `${id}:requested`,
        runAt: record.deadlineAt,
      })
      await deps.jobs.enqueue(tx, {
        queue: SEND_QUEUE,
        payload: { commandId: id, partnerId: input.route.partner.id, correlationId: input.correlationId ?? null },
        dedupeKey: `${id}:send`,
        maxAttempts: 10,
      })
    })
    deps.jobs.kick()
    return (await repo.findCommand(db, id))!
  }

  /**
   * The `commands.send` job: POSTs a command still REQUESTED to the CPO (never inside a transaction:
   * the CPO may post the result before its answer reaches us) and records the answer. A CPO that
   * cannot be reached is tried again while the send window lasts, then the command is FAILED.
   */
  const deliver = async (payload: Record<string, unknown>, attempt: number) => {
    const held = await repo.findCommand(db, String(payload.commandId))
    // Settled meanwhile (a result, the deadline): nothing to send any more.
    if (!held || held.state !== 'REQUESTED' || held.respondedAt) return
    const r = await deps.reachability.check(held.partnerId, held.countryCode, held.partyId, { fresh: true })
    const outcome: SendOutcome =
      r.connected && r.partner && r.commandsUrl
        ? await postCommand(deps.client, {
            endpoint: r.commandsUrl,
            type: held.type,
            target: outboundTarget(r.partner),
            body: held.request,
            timeoutMs: deps.sendTimeoutMs,
            routing: {
              fromCountryCode: deps.party.countryCode,
              fromPartyId: deps.party.partyId,
              toCountryCode: held.countryCode,
              toPartyId: held.partyId,
            },
            correlationId: typeof payload.correlationId === 'string' ? payload.correlationId : undefined,
          })
        : { kind: 'unreachable', detail: r.why ?? 'no_commands_endpoint' }
    if (outcome.kind === 'unreachable') {
      const retryIn = Math.min(1000 * 2 ** (attempt - 1), 8000)
      const windowEnd = held.requestedAt.getTime() + SEND_WINDOW_MS
      if (clock.now().getTime() + retryIn + deps.sendTimeoutMs <= windowEnd) {
        deps.log.warn({ commandId: held.id, attempt, detail: outcome.detail }, 'command not delivered; trying again')
        throw new RetryLater(`command not delivered: ${outcome.detail}`, retryIn)
      }
    }
    await applyOutcome(held.id, outcome)
    deps.jobs.kick()
  }

  const applyOutcome = async (id: string, outcome: SendOutcome): Promise<CommandRecord> => {
    const at = clock.now()
    if (outcome.kind !== 'response') {
      deps.log.warn({ commandId: id, detail: outcome.detail }, 'command not delivered')
      const reason: CommandReason = outcome.kind === 'unreachable' ? 'operator_unreachable' : 'invalid_response'
      return publishing(
        await repo.recordResponse(db, id, { result: null, timeoutS: null, message: null, state: 'FAILED', reason, deadlineAt: at, at }),
      )
    }
    const { result, timeout, message } = outcome.response
    const next = stateAfterResponse(result)
    if (next.state !== 'ACCEPTED')
      return publishing(
        await repo.recordResponse(db, id, { result, timeoutS: timeout, message: message ?? [], ...next, deadlineAt: at, at }),
      )
    const deadlineAt = later(at, (timeout + deps.graceS) * 1000)
    return publishing(
      await db.transaction(async (tx) => {
        const record = await repo.recordResponse(tx, id, { result, timeoutS: timeout, message: message ?? [], ...next, deadlineAt, at })
        await deps.jobs.enqueue(tx, { queue: TIMEOUT_QUEUE, payload: { commandId: id }, dedupeKey: `${id}:accepted`, runAt: deadlineAt })
        return record
      }),
    )
  }

  /**
   * POST CommandResult on our response_url (OCPI 2.2.1 §13.2.1, eMSP Sender). Only the partner the
   * command went to may answer it, for the command type in the URL; a repeat changes nothing.
   */
  const receiveResult = async (partner: Pick<Partner, 'id'>, path: { command: string; commandId: string }, body: CommandResult) => {
    const outcome = await db.transaction(async (tx) => {
      const held = /^[0-9a-f-]{36}$/i.test(path.commandId) ? await repo.findCommand(tx, path.commandId, { forUpdate: true }) : undefined
      if (!held || held.partnerId !== partner.id || held.type !== path.command.toUpperCase()) {
        throw new UnknownObjectError('command', `Unknown command ${path.command}/${path.commandId}`)
      }
      if (held.result === body.result) return 'repeated' as const
      if (!acceptsResult(held.type, held.result, body.result)) return 'ignored' as const
      const next = stateAfterResult(held.type, body.result)
      // A session already seen outranks whatever the station says afterwards.
      const state: CommandState = held.state === 'STARTED' ? 'STARTED' : next.state
      await repo.recordResult(tx, held.id, {
        result: body.result,
        message: body.message ?? [],
        state,
        reason: state === 'STARTED' ? null : next.reason,
        at: clock.now(),
      })
      return { applied: held.id, state }
    })
    if (typeof outcome === 'string') return outcome
    await published(outcome.applied, outcome.state)
    return 'applied' as const
  }

  /** The command as it stands (a read: it never moves the state). */
  const get = async (id: string): Promise<CommandRecord | undefined> => (/^[0-9a-f-]{36}$/i.test(id) ? repo.findCommand(db, id) : undefined)

  /**
   * Runs inside a session write's transaction: the START_SESSION commands whose
   * authorization_reference the session carries become STARTED. Answers what to publish after commit.
   */
  const sessionWritten = async (tx: Db, session: StoredSession) => {
    const { authorizationReference: reference, token } = session
    if (!reference || !token.contractId) return
    const moved = await repo.markStartedBySession(tx, {
      authorizationReference: reference,
      contractId: token.contractId,
      sessionId: session.session.id,
      at: clock.now(),
    })
    if (moved.length === 0) return
    return async () => {
      for (const id of moved) await published(id, 'STARTED')
    }
  }

  const require = async (id: string) => {
    const found = await get(id)
    if (!found) throw notFound('command_not_found', `No command ${id}`)
    return found
  }

  /** The `commands.timeout` job: idempotent, it only moves a command past its deadline without a result. */
  const expire = async (payload: Record<string, unknown>) => {
    const id = String(payload.commandId)
    if (!(await repo.expireCommand(db, id, clock.now()))) return
    deps.log.info({ commandId: id }, 'command timed out without a result')
    await published(id, 'TIMEOUT')
  }

  return {
    routeTo,
    /** START_SESSION with a token we authorized ourselves (OCPI notes §11.2). */
    startSession: (i: {
      route: CommandRoute
      customerId: string
      contractId: string
      token: Token
      locationId: string
      evseUid: string
      connectorId?: string | null
      authorizationReference: string
      correlationId?: string
    }) =>
      send({
        type: 'START_SESSION',
        origin: 'app',
        route: i.route,
        customerId: i.customerId,
        contractId: i.contractId,
        locationId: i.locationId,
        evseUid: i.evseUid,
        connectorId: i.connectorId,
        authorizationReference: i.authorizationReference,
        correlationId: i.correlationId,
        body: (response_url) => ({
          response_url,
          token: i.token,
          location_id: i.locationId,
          evse_uid: i.evseUid,
          ...(i.connectorId ? { connector_id: i.connectorId } : {}),
          authorization_reference: i.authorizationReference,
        }),
      }),
    stopSession: (i: {
      route: CommandRoute
      customerId: string | null
      contractId: string | null
      sessionId: string
      origin?: 'app' | 'admin'
      correlationId?: string
    }) =>
      send({
        type: 'STOP_SESSION',
        origin: i.origin ?? 'app',
        route: i.route,
        customerId: i.customerId,
        contractId: i.contractId,
        sessionId: i.sessionId,
        correlationId: i.correlationId,
        body: (response_url) => ({ response_url, session_id: i.sessionId }),
      }),
    reserveNow: (i: {
      route: CommandRoute
      contractId: string
      customerId: string | null
      token: Token
      locationId: string
      evseUid?: string | null
      reservationId: string
      expiryDate: string
      authorizationReference: string
    }) =>
      send({
        type: 'RESERVE_NOW',
        origin: 'admin',
        route: i.route,
        customerId: i.customerId,
        contractId: i.contractId,
        locationId: i.locationId,
        evseUid: i.evseUid,
        reservationId: i.reservationId,
        authorizationReference: i.authorizationReference,
        body: (response_url) => ({
          response_url,
          token: i.token,
          expiry_date: i.expiryDate,
          reservation_id: i.reservationId,
          location_id: i.locationId,
          ...(i.evseUid ? { evse_uid: i.evseUid } : {}),
          authorization_reference: i.authorizationReference,
        }),
      }),
    /** CANCEL_RESERVATION goes where the RESERVE_NOW with that reservation id went. */
    cancelReservation: async (i: { reservationId: string }) => {
      const reservation = await repo.findLatestReservation(db, i.reservationId)
      if (!reservation) throw notFound('reservation_not_found', `No RESERVE_NOW was sent with reservation id ${i.reservationId}`)
      const route = await routeTo(reservation.partnerId, reservation.countryCode, reservation.partyId)
      // The id exactly as the RESERVE_NOW sent it (the look-up ignored case).
      const reservationId = reservation.reservationId ?? i.reservationId
      return send({
        type: 'CANCEL_RESERVATION',
        origin: 'admin',
        route,
        customerId: reservation.customerId,
        contractId: reservation.contractId,
        locationId: reservation.locationId,
        reservationId,
        body: (response_url) => ({ response_url, reservation_id: reservationId }),
      })
    },
    /** Help desk only (a cable stuck after a session); never exposed to drivers (OCPI notes §11.2). */
    unlockConnector: (i: { route: CommandRoute; locationId: string; evseUid: string; connectorId: string }) =>
      send({
        type: 'UNLOCK_CONNECTOR',
        origin: 'admin',
        route: i.route,
        locationId: i.locationId,
        evseUid: i.evseUid,
        connectorId: i.connectorId,
        body: (response_url) => ({ response_url, location_id: i.locationId, evse_uid: i.evseUid, connector_id: i.connectorId }),
      }),
    receiveResult,
    sessionWritten,
    deliver,
    get,
    require,
    expire,
  }
}

export type CommandsService = ReturnType<typeof createCommandsService>
