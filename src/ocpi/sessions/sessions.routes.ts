import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { EmptyEnvelope, envelopeOf, ok, okEmpty } from '../v221/envelope.js'
import { callerOf } from '../v221/request-context.js'
import { toOcpiSession } from './sessions.convert.js'
import { SessionPatchSchema, SessionSchema } from './sessions.schema.js'
import type { SessionsService } from './sessions.service.js'

const tags = ['ocpi: sessions']
export const SessionPathParams = z.object({ country_code: z.string().max(2), party_id: z.string().max(3), session_id: z.string().max(36) })
export type SessionPathParams = z.infer<typeof SessionPathParams>
const path = '/2.2.1/sessions/:country_code/:party_id/:session_id'
const writeResponse = { 200: EmptyEnvelope, 201: EmptyEnvelope, '4xx': EmptyEnvelope }

const keyOf = (p: SessionPathParams) => ({ countryCode: p.country_code, partyId: p.party_id, sessionId: p.session_id })

/** Our Sessions Receiver endpoint (OCPI 2.2.1 Sessions, eMSP Receiver interface): GET, PUT, PATCH. */
export const sessionsRoutes = (app: FastifyInstance, deps: { sessions: SessionsService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { sessions, clock } = deps

  r.get(
    path,
    {
      schema: {
        tags,
        summary: 'A session we hold',
        params: SessionPathParams,
        response: { 200: envelopeOf(SessionSchema), '4xx': EmptyEnvelope },
      },
    },
    async (req) => ok(toOcpiSession(await sessions.get(callerOf(req).partner, keyOf(req.params))), clock.now()),
  )

  r.put(
    path,
    { schema: { tags, summary: 'Create or replace a session', params: SessionPathParams, body: SessionSchema, response: writeResponse } },
    async (req, reply) => {
      const result = await sessions.put(callerOf(req).partner, keyOf(req.params), req.body)
      return reply
        .code(result.outcome === 'created' ? 201 : 200)
        .send(okEmpty(clock.now(), result.outcome === 'ignored' ? 'Older than the session we hold; ignored' : undefined))
    },
  )

  r.patch(
    path,
    {
      schema: {
        tags,
        summary: 'Update a session; charging periods are appended',
        params: SessionPathParams,
        body: SessionPatchSchema,
        response: writeResponse,
      },
    },
    async (req) => {
      const result = await sessions.patch(callerOf(req).partner, keyOf(req.params), req.body)
      return okEmpty(clock.now(), result.outcome === 'ignored' ? 'Older than the session we hold; ignored' : undefined)
    },
  )
}
