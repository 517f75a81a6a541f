import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppSession, ChargingService } from '../ocpi/commands/index.js'
import type { Clock } from '../platform/clock.js'
import { customerIdOf } from './surface.js'

const tags = ['app: sessions']

/** Quantities and money are decimal strings (never binary floats), as stored. */
export const AppSessionView = z
  .object({
    id: z.string().describe('The OCPI session id (what /app/v1/charging/stop takes)'),
    country_code: z.string(),
    party_id: z.string(),
    location_id: z.string(),
    evse_uid: z.string(),
    connector_id: z.string(),
    status: z.string(),
    start_date_time: z.string(),
    end_date_time: z.string().nullable(),
    duration_s: z.number().int().describe('Until end_date_time, or until now while the session runs'),
    kwh: z.string().describe('Energy so far, kWh, decimal string'),
    currency: z.string(),
    operator_total_cost: z.object({ excl_vat: z.string(), incl_vat: z.string().nullable() }).nullable().describe("The CPO's running total when it sends one (its price, not ours)"),
    last_updated: z.string(),
  })
  .meta({ id: 'AppSession' })
export type AppSessionView = z.infer<typeof AppSessionView>

export const toAppSessionView = (s: AppSession, now: Date): AppSessionView => {
  const end = s.endDateTime ?? (s.status === 'ACTIVE' || s.status === 'PENDING' ? now : s.lastUpdated)
  return {
    id: s.sessionId,
    country_code: s.countryCode,
    party_id: s.partyId,
    location_id: s.locationId,
    evse_uid: s.evseUid,
    connector_id: s.connectorId,
    status: s.status,
    start_date_time: s.startDateTime.toISOString(),
    end_date_time: s.endDateTime?.toISOString() ?? null,
    duration_s: Math.max(0, Math.floor((end.getTime() - s.startDateTime.getTime()) / 1000)),
    kwh: s.kwh.toFixed(),
    currency: s.currency,
    operator_total_cost: s.totalCost ? { excl_vat: s.totalCost.exclVat.toFixed(), incl_vat: s.totalCost.inclVat?.toFixed() ?? null } : null,
    last_updated: s.lastUpdated.toISOString(),
  }
}

/** The customer's charging sessions (energy, duration, status). The live cost comes with rating. */
export const appSessionsRoutes = (app: FastifyInstance, deps: { charging: ChargingService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get('/sessions', { schema: { tags, summary: 'Your charging sessions, newest first', response: { 200: z.object({ sessions: z.array(AppSessionView) }) } } }, async (req) => {
    const now = deps.clock.now()
    return { sessions: (await deps.charging.sessions(customerIdOf(req))).map((s) => toAppSessionView(s, now)) }
  })
  r.get('/sessions/:id', { schema: { tags, summary: 'One of your sessions', params: z.object({ id: z.string().min(1).max(36) }), response: { 200: AppSessionView } } }, async (req) =>
    toAppSessionView(await deps.charging.session(customerIdOf(req), req.params.id), deps.clock.now()),
  )
}
