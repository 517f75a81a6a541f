import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { CountryCodeSchema, PartyIdSchema } from '../v221/common.schema.js'
import { answerWrite, EmptyEnvelope, envelopeOf, ok } from '../v221/envelope.js'
import { UnknownObjectError } from '../v221/errors.js'
import { callerOf } from '../v221/request-context.js'
import { ClientInfoSchema } from './hubclientinfo.schema.js'
import type { HubClientInfoService } from './hubclientinfo.service.js'

const tags = ['ocpi: hubclientinfo']
const Params = z.object({ country_code: CountryCodeSchema, party_id: PartyIdSchema })

/** HubClientInfo Receiver interface: GET and PUT per party (a configuration module, no routing headers). */
export const hubClientInfoRoutes = (app: FastifyInstance, deps: { hubClientInfo: HubClientInfoService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { hubClientInfo, clock } = deps
  const path = '/2.2.1/hubclientinfo/:country_code/:party_id'
  r.get(
    path,
    {
      schema: {
        tags,
        summary: 'ClientInfo of a party',
        params: Params,
        response: { 200: envelopeOf(ClientInfoSchema), '4xx': EmptyEnvelope },
      },
    },
    async (req) => {
      const info = await hubClientInfo.getClientInfo(callerOf(req).partner, req.params)
      if (!info) throw new UnknownObjectError('client_info', `No ClientInfo for ${req.params.country_code}/${req.params.party_id}`)
      return ok(info, clock.now())
    },
  )
  r.put(
    path,
    {
      schema: {
        tags,
        summary: 'A party behind the hub changed its connection status',
        params: Params,
        body: ClientInfoSchema,
        response: { 200: EmptyEnvelope, 201: EmptyEnvelope, '4xx': EmptyEnvelope },
      },
    },
    async (req, reply) => answerWrite(reply, await hubClientInfo.putClientInfo(callerOf(req).partner, req.params, req.body), clock.now()),
  )
}
