import type { FastifyInstance } from 'fastify'
import type { JobRunner } from '../../jobs/runner.js'
import type { SessionsService } from '../sessions/index.js'
import type { VersionsRegistry } from '../versions/index.js'
import { commandsRoutes } from './commands.routes.js'
import { createCommandsService, SEND_QUEUE, TIMEOUT_QUEUE, type CommandsDeps } from './commands.service.js'
import { createReachability } from './reachability.js'

export { COMMAND_STATES, REASON_MESSAGES, messageOf, type CommandRecord, type CommandReason, type CommandState } from './commands.model.js'
export type { CommandsService, CommandRoute } from './commands.service.js'
export { SEND_QUEUE, TIMEOUT_QUEUE, commandTopic } from './commands.service.js'
export type { Reachability, ReachabilityChecker, Unreachable } from './reachability.js'

/**
 * The Commands module (eMSP Sender): sends commands, receives CommandResults on our `commands`
 * endpoint, sends them through the `commands.send` job queue (partner lane) and expires commands
 * without a result through the `commands.timeout` job queue.
 */
export const createCommandsModule = (
  deps: Omit<CommandsDeps, 'reachability' | 'commandsUrl' | 'jobs'> & {
    jobs: JobRunner
    /** A session write moves its START_SESSION command to STARTED (in the write's transaction). */
    sessions: Pick<SessionsService, 'onWrite'>
    registry: Pick<VersionsRegistry, 'add' | 'moduleUrl'>
    partners: Parameters<typeof createReachability>[0]['partners']
    hubClientInfo: Parameters<typeof createReachability>[0]['hubClientInfo']
  },
) => {
  const reachability = createReachability({ partners: deps.partners, hubClientInfo: deps.hubClientInfo, clock: deps.clock })
  const service = createCommandsService({ ...deps, reachability, commandsUrl: () => deps.registry.moduleUrl('commands') })
  deps.registry.add({ identifier: 'commands', role: 'SENDER', path: 'commands' })
  deps.sessions.onWrite(service.sessionWritten)
  // A command's deadline is a single instant: one attempt suffices, retries only on database errors.
  deps.jobs.register(TIMEOUT_QUEUE, (payload) => service.expire(payload))
  // The POST to the CPO: partner lane, so a CPO that hangs never holds rating or other partners.
  deps.jobs.register(SEND_QUEUE, (payload, ctx) => service.deliver(payload, ctx.attempt), { lane: 'partner' })
  return { service, reachability, routes: (app: FastifyInstance) => commandsRoutes(app, { commands: service, clock: deps.clock }) }
}
