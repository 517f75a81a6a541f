// Our outbound call: POST {cpo_commands_url}/{CommandType} (OCPI 2.2.1 §13.2.2, CPO Receiver).
import { OcpiClientError, joinUrl, type OcpiClient, type OcpiTarget, type RoutingHeaders } from '../v221/client.js'
import { CommandResponseSchema, type CommandResponse, type CommandType } from './commands.schema.js'

/** What the CPO's synchronous answer means for us. */
export type SendOutcome =
  | { kind: 'response'; response: CommandResponse; ocpiStatus: number }
  /** No usable CommandResponse: transport failure, 401, no envelope, or an envelope without valid `data`. */
  | { kind: 'unreachable' | 'invalid_response'; detail: string; ocpiStatus?: number }

/**
 * Sends one command and classifies the answer. An OCPI error status still carries a
 * CommandResponse in practice (the spec's example: 2003 with `result: REJECTED`), so `data` is
 * read whatever the status code; an error status without one counts as a rejection by the caller.
 */
export const postCommand = async (
  client: OcpiClient,
  req: {
    endpoint: string
    type: CommandType
    target: OcpiTarget
    body: unknown
    routing: RoutingHeaders
    correlationId?: string
    timeoutMs?: number
  },
): Promise<SendOutcome> => {
  let reply
  try {
    reply = await client.call({
      method: 'POST',
      url: joinUrl(req.endpoint, req.type),
      target: req.target,
      body: req.body,
      routing: req.routing,
      correlationId: req.correlationId,
      timeoutMs: req.timeoutMs,
    })
  } catch (err) {
    if (err instanceof OcpiClientError) return { kind: 'unreachable', detail: err.message }
    throw err
  }
  const parsed = CommandResponseSchema.safeParse(reply.envelope.data)
  if (parsed.success) return { kind: 'response', response: parsed.data, ocpiStatus: reply.envelope.status_code }
  const status = reply.envelope.status_code
  if (status >= 2000 && status < 3000) {
    return { kind: 'response', response: { result: 'REJECTED', timeout: 0, message: null }, ocpiStatus: status }
  }
  // 3xxx: the CPO failed; 4xxx: a hub could not reach it. Either way the operator is not reachable.
  if (status >= 3000) return { kind: 'unreachable', detail: `OCPI ${status}: ${reply.envelope.status_message ?? ''}`, ocpiStatus: status }
  return {
    kind: 'invalid_response',
    detail: `OCPI ${status} without a valid CommandResponse: ${reply.envelope.status_message ?? ''}`,
    ocpiStatus: status,
  }
}
