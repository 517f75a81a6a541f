// The command state machine and the reasons shown to drivers. Pure: no I/O, no clock.
import type { CommandResponseType, CommandResultType, CommandType } from './commands.schema.js'

export const COMMAND_STATES = ['REQUESTED', 'ACCEPTED', 'REJECTED', 'STARTED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'TIMEOUT'] as const
export type CommandState = (typeof COMMAND_STATES)[number]

/** A command as the rest of the service sees it. */
export interface CommandRecord {
  id: string
  type: CommandType
  state: CommandState
  reason: CommandReason | null
  origin: 'app' | 'admin'
  customerId: string | null
  contractId: string | null
  partnerId: string
  countryCode: string
  partyId: string
  locationId: string | null
  evseUid: string | null
  connectorId: string | null
  sessionId: string | null
  reservationId: string | null
  authorizationReference: string | null
  request: Record<string, unknown>
  responseResult: CommandResponseType | null
  responseTimeoutS: number | null
  result: CommandResultType | null
  deadlineAt: Date
  requestedAt: Date
  respondedAt: Date | null
  resultAt: Date | null
  startedAt: Date | null
  updatedAt: Date
}

/**
 * Stable reason codes, each with the sentence a driver is shown. The wording follows the FAQ's
 * "station will not start" advice: check availability, whether the station supports app start,
 * and the operator's hotline on the station.
 */
export const REASON_MESSAGES = {
  station_unavailable:
    'This charging point is out of order or unavailable. Please choose another charging point; the app shows which ones are available.',
  app_start_not_supported:
    'This charging station cannot be started from the app. Please use your charging card or the QR code on the station.',
  operator_unreachable:
    "The station's operator cannot be reached right now. Please try again in a few minutes or use your charging card. For technical problems, call the operator's service hotline shown on the station.",
  evse_occupied: 'This charging point is already in use. Please choose another charging point.',
  rejected_by_operator:
    "The operator did not accept the request for this charging point. Please try another charging point or call the operator's service hotline shown on the station.",
  unknown_session: 'The operator does not know this charging session any more; it may have ended already.',
  failed:
    "The charging station could not carry out the request. Please try again or call the operator's service hotline shown on the station.",
  charge_point_timeout:
    "The charging station did not answer its operator in time. Please try again or call the operator's service hotline shown on the station.",
  no_result:
    "The operator did not confirm in time. If charging does not begin within a few minutes, please try again or call the operator's service hotline shown on the station.",
  no_response: 'The request could not be completed. Please try again.',
  invalid_response: "The operator's answer could not be understood. Please try again or use your charging card.",
  unknown_reservation: 'The operator does not know this reservation.',
  reservation_canceled: 'The reservation was canceled by the operator.',
} as const
export type CommandReason = keyof typeof REASON_MESSAGES

export const messageOf = (reason: CommandReason | null): string | null => (reason ? REASON_MESSAGES[reason] : null)

/** States after which nothing but a session (START_SESSION) or a reservation cancel changes the command. */
export const isSettled = (state: CommandState) => state !== 'REQUESTED' && state !== 'ACCEPTED'

/** The CPO's synchronous CommandResponse (OCPI 2.2.1 §13.4.2). */
export const stateAfterResponse = (result: CommandResponseType): { state: CommandState; reason: CommandReason | null } => {
  switch (result) {
    case 'ACCEPTED':
      return { state: 'ACCEPTED', reason: null }
    case 'NOT_SUPPORTED':
      return { state: 'REJECTED', reason: 'app_start_not_supported' }
    case 'UNKNOWN_SESSION':
      return { state: 'REJECTED', reason: 'unknown_session' }
    case 'REJECTED':
      return { state: 'REJECTED', reason: 'rejected_by_operator' }
  }
}

const RESULT_FAILURES: Record<Exclude<CommandResultType, 'ACCEPTED' | 'TIMEOUT' | 'CANCELED_RESERVATION'>, CommandReason> = {
  EVSE_OCCUPIED: 'evse_occupied',
  EVSE_INOPERATIVE: 'station_unavailable',
  FAILED: 'failed',
  NOT_SUPPORTED: 'app_start_not_supported',
  REJECTED: 'rejected_by_operator',
  UNKNOWN_RESERVATION: 'unknown_reservation',
}

/**
 * The CommandResult posted to our response_url (OCPI 2.2.1 §13.4.3). ACCEPTED on START_SESSION
 * only means the station took it: the command stays ACCEPTED until the session appears.
 */
export const stateAfterResult = (type: CommandType, result: CommandResultType): { state: CommandState; reason: CommandReason | null } => {
  if (result === 'ACCEPTED') return { state: type === 'START_SESSION' ? 'ACCEPTED' : 'SUCCEEDED', reason: null }
  if (result === 'TIMEOUT') return { state: 'TIMEOUT', reason: 'charge_point_timeout' }
  if (result === 'CANCELED_RESERVATION') return { state: 'CANCELED', reason: 'reservation_canceled' }
  return { state: 'FAILED', reason: RESULT_FAILURES[result] }
}

/**
 * Whether a CommandResult is applied to a command already holding `held`: the first result
 * counts; a repeat changes nothing; the one later result the spec foresees is a CPO canceling
 * a reservation it had accepted (OCPI notes §11.1 step 6).
 */
export const acceptsResult = (type: CommandType, held: CommandResultType | null, incoming: CommandResultType) =>
  held === null || (type === 'RESERVE_NOW' && held === 'ACCEPTED' && incoming === 'CANCELED_RESERVATION')
