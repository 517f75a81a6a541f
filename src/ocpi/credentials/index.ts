import type { FastifyInstance } from 'fastify'
import { createCredentialsService, type CredentialsDeps } from './credentials.service.js'
import { credentialsRoutes } from './credentials.routes.js'

export { outboundTarget, type Caller, type CredentialsService } from './credentials.service.js'
export type { Partner, PartnerRole } from './partners.repository.js'

/** The credentials module: partners, tokens and the registration handshakes in both directions. */
export const createCredentialsModule = (
  deps: CredentialsDeps & {
    registry: CredentialsDeps['registry'] & { add: (e: { identifier: string; role: 'SENDER' | 'RECEIVER'; path: string }) => void }
  },
) => {
  const service = createCredentialsService(deps)
  // The spec now advises SENDER for credentials; peers ignore the role on this module.
  deps.registry.add({ identifier: 'credentials', role: 'SENDER', path: 'credentials' })
  return {
    service,
    routes: (app: FastifyInstance) => credentialsRoutes(app, { credentials: service, clock: deps.clock }),
  }
}
export { addressedParty, assertOwnsParty, assertPathMatchesBody, isHub, ownsParty, type PartyRef } from './party-access.js'
export type { RoleRef } from './roles.js'
export type { RoleRequest, RoleRequestState } from './roles.repository.js'
