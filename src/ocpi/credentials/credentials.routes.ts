import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from '../../platform/clock.js'
import { EmptyEnvelope, envelopeOf, ok, okEmpty } from '../v221/envelope.js'
import { callerOf } from '../v221/request-context.js'
import { CredentialsSchema } from './credentials.schema.js'
import type { CredentialsService } from './credentials.service.js'

const tags = ['ocpi: credentials']
const response = { 200: envelopeOf(CredentialsSchema), '4xx': EmptyEnvelope }

/**
 * Our credentials endpoint (OCPI 2.2.1 "Credentials module", Sender/Receiver interface).
 * Bodies are validated by the service so a bad one is answered 2001 with the field named.
 */
export const credentialsRoutes = (app: FastifyInstance, deps: { credentials: CredentialsService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { credentials, clock } = deps
  const config = { ocpiAccess: 'handshake' as const }

  r.get('/2.2.1/credentials', { config, schema: { tags, summary: 'Our credentials for the caller', response } }, async (req) =>
    ok(credentials.ourCredentials(callerOf(req).token), clock.now()),
  )
  // A role the partner claims and may not have is named in status_message (parked for the operator).
  r.post(
    '/2.2.1/credentials',
    { config, schema: { tags, summary: 'Register (token A)', body: CredentialsSchema.loose(), response } },
    async (req) => {
      const registered = await credentials.registerFromPartner(callerOf(req), req.body, req.correlationId)
      return ok(registered.credentials, clock.now(), registered.message)
    },
  )
  r.put(
    '/2.2.1/credentials',
    { config, schema: { tags, summary: 'Update credentials / rotate the token', body: CredentialsSchema.loose(), response } },
    async (req) => {
      const updated = await credentials.updateFromPartner(callerOf(req), req.body, req.correlationId)
      return ok(updated.credentials, clock.now(), updated.message)
    },
  )
  r.delete(
    '/2.2.1/credentials',
    { config, schema: { tags, summary: 'Unregister', response: { 200: EmptyEnvelope, '4xx': EmptyEnvelope } } },
    async (req) => {
      await credentials.unregisterFromPartner(callerOf(req))
      return okEmpty(clock.now())
    },
  )
}
