import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { COMMAND_STATES, messageOf, type ChargingService, type CommandRecord } from '../ocpi/commands/index.js'
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
const STREAM_POLL_MS = 500
const STREAM_MAX_MS = 10 * 60_000

/** The app's Start and Stop buttons and the command they follow. */
export const chargingRoutes = (app: FastifyInstance, deps: { charging: ChargingService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { charging } = deps
  const Params = z.object({ id: z.string().min(1).max(64) })

  r.post('/charging/start', { schema: { tags, summary: 'Start charging at an EVSE (OCPI START_SESSION)', body: StartBody, response: { 202: CommandAccepted } } }, async (req, reply) => {
    const b = req.body
    const command = await charging.start(customerIdOf(req), {
      locationId: b.location_id, evseUid: b.evse_uid, connectorId: b.connector_id, countryCode: b.country_code, partyId: b.party_id, contractId: b.contract_id,
    }, req.correlationId)
    return reply.code(202).send({ command_id: command.id, state: command.state })
  })

  r.post('/charging/stop', { schema: { tags, summary: 'Stop one of your active sessions (OCPI STOP_SESSION)', body: StopBody, response: { 202: CommandAccepted } } }, async (req, reply) => {
    const command = await charging.stop(customerIdOf(req), req.body.session_id, req.correlationId)
    return reply.code(202).send({ command_id: command.id, state: command.state })
  })

  r.get('/charging/commands/:id', { schema: { tags, summary: 'A start or stop command as it stands', params: Params, response: { 200: CommandView } } }, async (req) =>
    toCommandView(await charging.command(customerIdOf(req), req.params.id)),
  )

  r.get('/charging/commands/:id/events', { schema: { tags, summary: 'Server-sent events: the command view at each state change, until it settles', params: Params } }, async (req, reply) => {
    const first = await charging.command(customerIdOf(req), req.params.id)
    streamStates(req, reply, first, (id) => charging.command(customerIdOf(req), id))
  })
}

/** Writes `event: state` with the command view whenever the state changes; ends once it settles or the client leaves. */
const streamStates = (req: FastifyRequest, reply: FastifyReply, first: CommandRecord, read: (id: string) => Promise<CommandRecord>) => {
  reply.hijack()
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': req.id,
  })
  let last = ''
  let closed = false
  const started = Date.now()
  const emit = (c: CommandRecord) => {
    const view = JSON.stringify(toCommandView(c))
    if (view !== last) reply.raw.write(`event: state\ndata: ${view}\n\n`)
    last = view
    return !LIVE.has(c.state)
  }
  const finish = () => {
    if (closed) return
    closed = true
    clearInterval(timer)
    reply.raw.end()
  }
  const timer = setInterval(() => {
    read(first.id)
      .then((c) => { if (!closed && (emit(c) || Date.now() - started > STREAM_MAX_MS)) finish() })
      .catch((err) => { req.log.warn({ err }, 'command stream read failed'); finish() })
  }, STREAM_POLL_MS)
  reply.raw.on('close', finish)
  if (emit(first)) finish()
}
