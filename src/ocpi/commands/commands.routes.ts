import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { EmptyEnvelope, okEmpty } from '../v221/envelope.js'
import { callerOf } from '../v221/request-context.js'
import { CommandResultSchema } from './commands.schema.js'
import type { CommandsService } from './commands.service.js'

const tags = ['ocpi: commands']
export const CommandResultParams = z.object({ command: z.string().max(20), command_id: z.string().max(36) })
export type CommandResultParams = z.infer<typeof CommandResultParams>

const MESSAGES = {
  applied: undefined,
  repeated: 'Result already received',
  ignored: 'A result was already received; this one is ignored',
} as const

/** Our Commands Sender endpoint (OCPI 2.2.1 §13.2.1): the CPO posts the CommandResult to the response_url we sent. */
export const commandsRoutes = (app: FastifyInstance, deps: { commands: CommandsService; clock: Clock }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/2.2.1/commands/:command/:command_id',
    {
      schema: {
        tags,
        summary: 'CommandResult for a command we sent (our unique response_url)',
        params: CommandResultParams,
        body: CommandResultSchema,
        response: { 200: EmptyEnvelope, '4xx': EmptyEnvelope },
      },
    },
    async (req) => {
      const outcome = await deps.commands.receiveResult(
        callerOf(req).partner,
        { command: req.params.command, commandId: req.params.command_id },
        req.body,
      )
      return okEmpty(deps.clock.now(), MESSAGES[outcome])
    },
  )
}
