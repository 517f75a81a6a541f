import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../platform/clock.js'
import type { VersionsRegistry } from '../versions/index.js'
import { hubClientInfoRoutes } from './hubclientinfo.routes.js'
import { createHubClientInfoService } from './hubclientinfo.service.js'

export type { HubClientInfoService } from './hubclientinfo.service.js'

/** The HubClientInfo module (eMSP Receiver): party reachability as a hub reports it. */
export const createHubClientInfoModule = (
  deps: Parameters<typeof createHubClientInfoService>[0] & { clock: Clock; registry: Pick<VersionsRegistry, 'add'> },
) => {
  const service = createHubClientInfoService(deps)
  deps.registry.add({ identifier: 'hubclientinfo', role: 'RECEIVER', path: 'hubclientinfo' })
  return { service, routes: (app: FastifyInstance) => hubClientInfoRoutes(app, { hubClientInfo: service, clock: deps.clock }) }
}
