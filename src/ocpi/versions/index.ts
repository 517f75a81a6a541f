import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../platform/clock.js'
import { createVersionsRegistry, type VersionsRegistry } from './versions.registry.js'
import { versionsRoutes } from './versions.routes.js'

export { OCPI_VERSION, type OwnEndpoint, type VersionsRegistry } from './versions.registry.js'
export { discoverVersion, type DiscoveredVersion } from './versions.client.js'

/** The versions module: our registry of served endpoints and the two versions routes. */
export const createVersionsModule = (baseUrl: () => string) => {
  const registry = createVersionsRegistry(baseUrl)
  return {
    registry,
    routes: (app: FastifyInstance, deps: { clock: Clock }) => versionsRoutes(app, { registry, clock: deps.clock }),
  }
}
