// OCPI 2.2.1 Commands module wire types (OCPI notes §11). We are the Sender: we POST these
// command bodies to the CPO and receive the CommandResult on our `response_url`.
import { z } from 'zod'
import { TokenSchema } from '../v221/tokens.schema.js'
import { DateTimeSchema, DisplayTextSchema, UrlSchema, ciString, listOf, ocpiEnum } from '../v221/common.schema.js'

export const CommandTypeSchema = ocpiEnum(['CANCEL_RESERVATION', 'RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR'])
export type CommandType = z.infer<typeof CommandTypeSchema>

export const CommandResponseTypeSchema = ocpiEnum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'UNKNOWN_SESSION'])
export type CommandResponseType = z.infer<typeof CommandResponseTypeSchema>

export const CommandResultTypeSchema = ocpiEnum([
  'ACCEPTED',
  'CANCELED_RESERVATION',
  'EVSE_OCCUPIED',
  'EVSE_INOPERATIVE',
  'FAILED',
  'NOT_SUPPORTED',
  'REJECTED',
  'TIMEOUT',
  'UNKNOWN_RESERVATION',
])
export type CommandResultType = z.infer<typeof CommandResultTypeSchema>

/**
 * `connector_id` only makes sense on a chosen EVSE, so it requires `evse_uid`. Whether the
 * EVSE demands a connector (START_SESSION_CONNECTOR_REQUIRED) is checked by the service.
 */
export const StartSessionSchema = z
  .object({
    response_url: UrlSchema,
    token: TokenSchema,
    location_id: ciString(36),
    evse_uid: ciString(36).nullish(),
    connector_id: ciString(36).nullish(),
    authorization_reference: ciString(36).nullish(),
  })
  .refine((c) => c.connector_id == null || c.evse_uid != null, {
    error: 'required when connector_id is set',
    path: ['evse_uid'],
  })
export type StartSession = z.infer<typeof StartSessionSchema>

export const StopSessionSchema = z.object({
  response_url: UrlSchema,
  session_id: ciString(36),
})
export type StopSession = z.infer<typeof StopSessionSchema>

export const ReserveNowSchema = z.object({
  response_url: UrlSchema,
  token: TokenSchema,
  expiry_date: DateTimeSchema,
  reservation_id: ciString(36),
  location_id: ciString(36),
  evse_uid: ciString(36).nullish(),
  authorization_reference: ciString(36).nullish(),
})
export type ReserveNow = z.infer<typeof ReserveNowSchema>

export const CancelReservationSchema = z.object({
  response_url: UrlSchema,
  reservation_id: ciString(36),
})
export type CancelReservation = z.infer<typeof CancelReservationSchema>

export const UnlockConnectorSchema = z.object({
  response_url: UrlSchema,
  location_id: ciString(36),
  evse_uid: ciString(36),
  connector_id: ciString(36),
})
export type UnlockConnector = z.infer<typeof UnlockConnectorSchema>

/** `data` of the CPO's synchronous answer to a command POST; `timeout` is in seconds. */
export const CommandResponseSchema = z.object({
  result: CommandResponseTypeSchema,
  timeout: z.int().min(0),
  message: listOf(DisplayTextSchema),
})
export type CommandResponse = z.infer<typeof CommandResponseSchema>

/** Body the CPO POSTs to our `response_url` later. */
export const CommandResultSchema = z.object({
  result: CommandResultTypeSchema,
  message: listOf(DisplayTextSchema),
})
export type CommandResult = z.infer<typeof CommandResultSchema>
