import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ChargingService } from '../charging/index.js'
import { COMMAND_STATES, commandTopic, messageOf, type CommandRecord } from '../ocpi/commands/index.js'
import type { EventStreams } from './streams.js'
import { customerIdOf } from './surface.js'

const tags = ['app: charging']
const Id = z.string().min(1).max(36)

export const StartBody = z.object({
  location_id: Id,
  evse_uid: Id,
  connector_id: Id.optional().describe('Required when the EVSE has START_SESSION_CONNECTOR_REQUIRED and more than one connector'),
  country_code: z.string().length(2).optional().describe('The CPO party of the location (as listed by /app/v1/locations)'),
  party_id: z.string().length(3).optional(),
  contract_id: z.string().min(1).max(36).optional().describe("Default: the customer's contract that may charge"),
})
export type StartBody = z.infer<typeof StartBody>
export const StopBody = z.object({ session_id: Id.describe('The `id` shown by /app/v1/sessions (the OCPI session id)') })
export const CommandAccepted = z.object({ command_id: z.string(), state: z.enum(COMMAND_STATES) }).meta({ id: 'AppCommandAccepted' })
export const CommandView = z
  .object({
    command_id: z.string(),
    state: z.enum(COMMAND_STATES),
    reason: z.string().nullable().describe('Stable code, e.g. operator_unreachable, evse_occupied, no_result'),
    message: z.string().nullable().describe('The reason in words for the driver'),
    session_id: z.string().nullable(),
  })
  .meta({ id: 'AppCommand' })
export type CommandView = z.infer<typeof CommandView>

export const toCommandView = (c: CommandRecord): CommandView => ({
  command_id: c.id,
  state: c.state,
  reason: c.reason,
  message: messageOf(c.reason),
  session_id: c.type === 'START_SESSION' || c.type === 'STOP_SESSION' ? c.sessionId : null,
})

/** Until these, a command can still change on its own (a START_SESSION after TIMEOUT may yet start: the stream ends anyway). */
const LIVE = new Set(['REQUESTED', 'ACCEPTED'])

/** The app's Start and Stop buttons and the command they follow. */
export const chargingRoutes = (app: FastifyInstance, deps: { charging: ChargingService; streams: EventStreams }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { charging, streams } = deps
  const Params = z.object({ id: z.string().min(1).max(64) })

  r.post(
    '/charging/start',
    { schema: { tags, summary: 'Start charging at an EVSE (OCPI START_SESSION)', body: StartBody, response: { 202: CommandAccepted } } },
    async (req, reply) => {
      const b = req.body
      const command = await charging.start(
        customerIdOf(req),
        {
          locationId: b.location_id,
          evseUid: b.evse_uid,
          connectorId: b.connector_id,
          countryCode: b.country_code,
          partyId: b.party_id,
          contractId: b.contract_id,
        },
        req.correlationId,
      )
      return reply.code(202).send({ command_id: command.id, state: command.state })
    },
  )

  r.post(
    '/charging/stop',
    {
      schema: { tags, summary: 'Stop one of your active sessions (OCPI STOP_SESSION)', body: StopBody, response: { 202: CommandAccepted } },
    },
    async (req, reply) => {
      const command = await charging.stop(customerIdOf(req), req.body.session_id, req.correlationId)
      return reply.code(202).send({ command_id: command.id, state: command.state })
    },
  )

  r.get(
    '/charging/commands/:id',
    { schema: { tags, summary: 'A start or stop command as it stands', params: Params, response: { 200: CommandView } } },
    async (req) => toCommandView(await charging.command(customerIdOf(req), req.params.id)),
  )

  r.get(
    '/charging/commands/:id/events',
    {
      schema: {
        tags,
        params: Params,
        summary:
          'Server-sent events: the command view at each state change, until it settles (at most 10 minutes; a comment line every 15 s). 429 `too_many_streams` beyond the open streams allowed per customer or in total',
      },
    },
    async (req, reply) => {
      const customerId = customerIdOf(req)
      const first = await charging.command(customerId, req.params.id)
      streams.follow(req, reply, {
        customerId,
        topic: commandTopic(first.id),
        first,
        event: 'state',
        read: () => charging.command(customerId, first.id),
        render: (c) => JSON.stringify(toCommandView(c)),
        settled: (c) => !LIVE.has(c.state),
      })
    },
  )
}
