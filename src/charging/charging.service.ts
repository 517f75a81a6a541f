import { contractStanding, utcDay, type Contract, type ContractStanding, type CustomersService } from '../customers/index.js'
import type { Clock } from '../platform/clock.js'
import { DomainError, notFound } from '../platform/errors.js'
import type { AppLocationQueries } from './map.queries.js'
import type { SessionsService, StoredSession } from '../ocpi/sessions/index.js'
import { toOcpiToken, type TokenRecord, type TokensService } from '../ocpi/tokens/index.js'
import { REASON_MESSAGES } from '../ocpi/commands/index.js'
import type { CommandsService } from '../ocpi/commands/index.js'

export type AppSession = StoredSession

export interface StartInput {
  locationId: string
  evseUid: string
  connectorId?: string
  /** The CPO party, when the app knows it (a location id is unique only per CPO). */
  countryCode?: string
  partyId?: string
  /** The contract to charge on; default the customer's contract whose app token may charge. */
  contractId?: string
}

/** EVSE statuses that mean "known not to work" (OCPI 2.2.1 Status); CHARGING, BLOCKED etc. may be stale, the CPO decides. */
const OUT_OF_ORDER = new Set(['OUTOFORDER', 'INOPERATIVE', 'REMOVED'])
/** Sessions a driver can stop. */
const STOPPABLE = new Set(['ACTIVE', 'PENDING'])

const STANDING_MESSAGES: Record<Exclude<ContractStanding, 'ok'>, string> = {
  terminated: 'Your charging contract has been terminated. Please contact customer service.',
  ended: 'Your charging contract has ended.',
  not_started: 'Your charging contract has not started yet.',
  no_credit: 'Charging is paused: please check your payment details in your customer account.',
}

/**
 * What a driver does from the app: start and stop charging, follow the command, see their
 * sessions. Every refusal is a DomainError with a stable code and a sentence for the driver.
 */
export const createChargingService = (deps: {
  customers: Pick<CustomersService, 'getCustomer'>
  tokens: Pick<TokensService, 'authorize' | 'owner'>
  sessions: Pick<SessionsService, 'listByContract'>
  locations: Pick<AppLocationQueries, 'findEvse'>
  commands: Pick<CommandsService, 'routeTo' | 'startSession' | 'stopSession' | 'get'>
  clock: Clock
}) => {
  const contractsOf = async (customerId: string) => (await deps.customers.getCustomer(customerId)).contracts

  /** The contract and its valid APP_USER token; refuses when none may charge today. */
  const chargingContract = async (customerId: string, contractId?: string): Promise<{ contract: Contract; token: TokenRecord }> => {
    const all = await contractsOf(customerId)
    const candidates = contractId
      ? all.filter((c) => c.contract.contractId === contractId.toUpperCase() || c.contract.contractId === contractId)
      : all
    if (contractId && candidates.length === 0) throw notFound('contract_not_found', `You have no contract ${contractId}.`)
    const withToken = candidates
      .map((c) => ({ contract: c.contract, token: c.tokens.find((t) => t.type === 'APP_USER' && t.valid) }))
      .filter((c): c is { contract: Contract; token: TokenRecord } => c.token !== undefined)
    if (withToken.length === 0)
      throw new DomainError(
        'app_token_invalid',
        'Your app is not enabled for charging on this contract. Please contact customer service.',
        403,
      )
    const today = utcDay(deps.clock.now())
    const usable = withToken.find((c) => contractStanding(c.contract, today) === 'ok')
    if (!usable) {
      const standing = contractStanding(withToken[0]!.contract, today) as Exclude<ContractStanding, 'ok'>
      throw new DomainError('contract_not_active', STANDING_MESSAGES[standing], 403, { standing })
    }
    return usable
  }

  /** The EVSE the driver chose, checked for what the app can know before asking the CPO. */
  const chosenEvse = async (input: StartInput) => {
    const rows = await deps.locations.findEvse(input)
    if (rows.length === 0) throw notFound('evse_not_found', 'We cannot find this charging point. Please refresh the map and try again.')
    if (rows.length > 1)
      throw new DomainError('ambiguous_location', 'Several operators use this location id: send country_code and party_id too.', 409)
    const evse = rows[0]!
    if (OUT_OF_ORDER.has(evse.status))
      throw new DomainError('station_unavailable', REASON_MESSAGES.station_unavailable, 409, { status: evse.status })
    if (!evse.capabilities.includes('REMOTE_START_STOP_CAPABLE'))
      throw new DomainError('app_start_not_supported', REASON_MESSAGES.app_start_not_supported, 409)
    const connectors = evse.connector_ids ?? []
    // Matched ignoring case; sent as the CPO wrote it.
    let connectorId =
      input.connectorId === undefined ? undefined : connectors.find((c) => c.toUpperCase() === input.connectorId!.toUpperCase())
    if (input.connectorId !== undefined && connectorId === undefined)
      throw notFound('connector_not_found', 'This charging point has no such connector. Please choose the plug again.')
    // START_SESSION_CONNECTOR_REQUIRED: with a single connector there is nothing to choose.
    if (connectorId === undefined && evse.capabilities.includes('START_SESSION_CONNECTOR_REQUIRED')) {
      if (connectors.length !== 1)
        throw new DomainError('connector_required', 'Please choose the plug you want to use at this charging point.', 400)
      connectorId = connectors[0]
    }
    return { ...evse, connectorId }
  }

  return {
    /** POST /app/v1/charging/start: the checks in the order a driver would understand them, then START_SESSION. */
    start: async (customerId: string, input: StartInput, correlationId?: string) => {
      // Both reads at once; the contract's refusal still comes first, as the driver reads them.
      const [who, where] = await Promise.allSettled([chargingContract(customerId, input.contractId), chosenEvse(input)])
      if (who.status === 'rejected') throw who.reason
      if (where.status === 'rejected') throw where.reason
      const { contract, token } = who.value
      const evse = where.value
      const route = await deps.commands.routeTo(evse.partner_id, evse.country_code, evse.party_id)
      // We authorize our own token before sending it (OCPI notes §11.2); the reference ties the session to this command.
      const verdict = await deps.tokens.authorize({
        partnerId: route.partner.id,
        uid: token.uid,
        type: 'APP_USER',
        location: { location_id: evse.location_id, evse_uids: [evse.uid] },
      })
      if (verdict.allowed !== 'ALLOWED' || !verdict.reference) {
        throw new DomainError('contract_not_active', verdict.info ?? 'Your contract does not allow charging right now.', 403, {
          allowed: verdict.allowed,
        })
      }
      return deps.commands.startSession({
        route,
        customerId,
        contractId: contract.contractId,
        token: toOcpiToken(verdict.token, deps.tokens.owner),
        locationId: evse.location_id,
        evseUid: evse.uid,
        connectorId: evse.connectorId,
        authorizationReference: verdict.reference,
        correlationId,
      })
    },

    /** POST /app/v1/charging/stop: only the customer's own session, while it runs. */
    stop: async (customerId: string, sessionId: string, correlationId?: string) => {
      const session = await findSession(customerId, sessionId)
      if (!STOPPABLE.has(session.status))
        throw new DomainError('session_not_active', 'This charging session has already ended.', 409, { status: session.status })
      const route = await deps.commands.routeTo(session.partnerId, session.countryCode, session.partyId)
      return deps.commands.stopSession({
        route,
        customerId,
        contractId: session.token.contractId,
        sessionId: session.session.id,
        correlationId,
      })
    },

    /** A command of this customer (others' commands do not exist for them). */
    command: async (customerId: string, id: string) => {
      const found = await deps.commands.get(id)
      if (!found || found.customerId !== customerId) throw notFound('command_not_found', `No command ${id}`)
      return found
    },

    /** The customer's sessions on all their contracts, newest first. */
    sessions: async (customerId: string) => listSessions(customerId),
    session: (customerId: string, sessionId: string) => findSession(customerId, sessionId),
  }

  async function listSessions(customerId: string) {
    const contracts = await contractsOf(customerId)
    const lists = await Promise.all(contracts.map((c) => deps.sessions.listByContract(c.contract.contractId)))
    return lists.flat().sort((a, b) => b.startDateTime.getTime() - a.startDateTime.getTime() || a.sessionId.localeCompare(b.sessionId))
  }

  async function findSession(customerId: string, sessionId: string) {
    const found = (await listSessions(customerId)).find((s) => s.sessionId === sessionId.toUpperCase())
    if (!found) throw notFound('session_not_found', 'We cannot find this charging session in your account.')
    return found
  }
}

export type ChargingService = ReturnType<typeof createChargingService>
