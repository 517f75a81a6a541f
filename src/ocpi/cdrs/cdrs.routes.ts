import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { EmptyEnvelope, envelopeOf, ok, okEmpty } from '../v221/envelope.js'
import { deviationsOf } from '../v221/intake.js'
import { callerOf } from '../v221/request-context.js'
import { toOcpiCdr } from './cdrs.convert.js'
import { CdrIntakeSchema, CdrSchema } from './cdrs.schema.js'
import type { CdrsService } from './cdrs.service.js'

const tags = ['ocpi: cdrs']
export const CdrIdParams = z.object({ id: z.uuid() })

/** The body text as received, kept so the CDR can be stored byte for byte. */
const rawBodies = new WeakMap<FastifyRequest, string>()

/**
 * Our CDRs Receiver endpoint (OCPI 2.2.1 CDRs, eMSP Receiver interface): POST a CDR, GET it at
 * the `Location` we answered (`{cdrs_url}/{our id}`).
 */
export const cdrsRoutes = (app: FastifyInstance, deps: { cdrs: CdrsService; clock: Clock; cdrUrl: (id: string) => string }) => {
  const { cdrs, clock } = deps
  // Own plugin scope: the raw-body JSON parser applies to these routes only.
  app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error')
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      rawBodies.set(req, body as string)
      parseJson(req, body as string, done)
    })
    const r = scope.withTypeProvider<ZodTypeProvider>()

    // The body is read tolerantly (src/ocpi/intake.ts): CdrIntakeSchema documents what we accept.
    r.post(
      '/2.2.1/cdrs',
      {
        schema: {
          tags,
          summary: 'Receive a CDR',
          body: CdrIntakeSchema,
          response: { 200: EmptyEnvelope, 201: EmptyEnvelope, '4xx': EmptyEnvelope },
        },
      },
      async (req, reply) => {
        const result = await cdrs.receive(callerOf(req).partner, req.body, rawBodies.get(req), deviationsOf(req.body))
        return reply
          .code(result.created ? 201 : 200)
          .header('location', deps.cdrUrl(result.id))
          .send(okEmpty(clock.now(), result.created ? undefined : 'Identical CDR already received'))
      },
    )

    // The normalised CDR is served as stored: a field we could not resolve stays absent, and an id
    // a few characters over its limit stays as sent, so the answer is not re-validated (documented as CdrSchema).
    r.get(
      '/2.2.1/cdrs/:id',
      {
        schema: {
          tags,
          summary: 'A CDR we received, normalised',
          params: CdrIdParams,
          response: { 200: envelopeOf(CdrSchema), '4xx': EmptyEnvelope },
        },
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (req) => ok(toOcpiCdr(await cdrs.getForPartner(callerOf(req).partner, req.params.id)) as never, clock.now()),
    )
  })
}
