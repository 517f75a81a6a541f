import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { HelpDeskService } from '../charging/index.js'
import { COMMAND_STATES, type CommandRecord, type CommandsService } from '../ocpi/commands/index.js'
import { DateTimeSchema } from '../ocpi/wire.js'

const tags = ['admin: commands']
const Id = z.string().min(1).max(36)
const Party = { country_code: z.string().length(2).optional(), party_id: z.string().length(3).optional() }

export const AdminCommandBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('RESERVE_NOW'),
    location_id: Id,
    evse_uid: Id.optional(),
    ...Party,
    contract_id: Id,
    reservation_id: Id,
    expiry_date: DateTimeSchema,
  }),
  z.object({ type: z.literal('CANCEL_RESERVATION'), reservation_id: Id }),
  z.object({ type: z.literal('UNLOCK_CONNECTOR'), location_id: Id, evse_uid: Id, connector_id: Id, ...Party }),
])
export type AdminCommandBody = z.infer<typeof AdminCommandBody>

export const AdminCommandView = z
  .object({
    command_id: z.string(),
    type: z.string(),
    state: z.enum(COMMAND_STATES),
    reason: z.string().nullable(),
    origin: z.string(),
    partner_id: z.string(),
    country_code: z.string(),
    party_id: z.string(),
    customer_id: z.string().nullable(),
    contract_id: z.string().nullable(),
    location_id: z.string().nullable(),
    evse_uid: z.string().nullable(),
    connector_id: z.string().nullable(),
    session_id: z.string().nullable(),
    reservation_id: z.string().nullable(),
    authorization_reference: z.string().nullable(),
    response_result: z.string().nullable(),
    response_timeout_s: z.number().int().nullable(),
    result: z.string().nullable(),
    requested_at: z.string(),
    responded_at: z.string().nullable(),
    result_at: z.string().nullable(),
    started_at: z.string().nullable(),
    deadline_at: z.string(),
    request: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AdminCommand' })

const iso = (d: Date | null) => d?.toISOString() ?? null
export const toAdminCommandView = (c: CommandRecord): z.infer<typeof AdminCommandView> => ({
  command_id: c.id,
  type: c.type,
  state: c.state,
  reason: c.reason,
  origin: c.origin,
  partner_id: c.partnerId,
  country_code: c.countryCode,
  party_id: c.partyId,
  customer_id: c.customerId,
  contract_id: c.contractId,
  location_id: c.locationId,
  evse_uid: c.evseUid,
  connector_id: c.connectorId,
  session_id: c.sessionId,
  reservation_id: c.reservationId,
  authorization_reference: c.authorizationReference,
  response_result: c.responseResult,
  response_timeout_s: c.responseTimeoutS,
  result: c.result,
  requested_at: c.requestedAt.toISOString(),
  responded_at: iso(c.respondedAt),
  result_at: iso(c.resultAt),
  started_at: iso(c.startedAt),
  deadline_at: c.deadlineAt.toISOString(),
  request: c.request,
})

const send = (helpDesk: HelpDeskService, b: AdminCommandBody) => {
  switch (b.type) {
    case 'RESERVE_NOW':
      return helpDesk.reserveNow({
        locationId: b.location_id,
        evseUid: b.evse_uid,
        countryCode: b.country_code,
        partyId: b.party_id,
        contractId: b.contract_id,
        reservationId: b.reservation_id,
        expiryDate: b.expiry_date,
      })
    case 'CANCEL_RESERVATION':
      return helpDesk.cancelReservation({ reservationId: b.reservation_id })
    case 'UNLOCK_CONNECTOR':
      return helpDesk.unlockConnector({
        locationId: b.location_id,
        evseUid: b.evse_uid,
        connectorId: b.connector_id,
        countryCode: b.country_code,
        partyId: b.party_id,
      })
  }
}

/** Help-desk commands (RESERVE_NOW, CANCEL_RESERVATION, UNLOCK_CONNECTOR) and any command's full record. */
export const commandsAdminRoutes = (
  app: FastifyInstance,
  deps: { helpDesk: HelpDeskService; commands: Pick<CommandsService, 'require'> },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/commands',
    {
      schema: {
        tags,
        summary: 'Send a help-desk command to the CPO of a location',
        body: AdminCommandBody,
        response: { 202: AdminCommandView },
      },
    },
    async (req, reply) => reply.code(202).send(toAdminCommandView(await send(deps.helpDesk, req.body))),
  )
  r.get(
    '/commands/:id',
    {
      schema: {
        tags,
        summary: 'A command with its response, result and timestamps',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: AdminCommandView },
      },
    },
    async (req) => toAdminCommandView(await deps.commands.require(req.params.id)),
  )
}
