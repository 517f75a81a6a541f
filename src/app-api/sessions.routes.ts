import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { FastifyBaseLogger } from 'fastify'
import type { AppSession, ChargingService } from '../charging/index.js'
import { Decimal } from 'decimal.js'
import { LISTED_PERIODS, type PeriodSummary } from '../ocpi/sessions/index.js'
import type { Clock } from '../platform/clock.js'
import type { RatingService, SessionEstimate } from '../rating/index.js'
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
    operator_total_cost: z
      .object({ excl_vat: z.string(), incl_vat: z.string().nullable() })
      .nullable()
      .describe("The CPO's running total when it sends one (its price, not ours)"),
    last_updated: z.string(),
    charging_periods: z
      .object({
        count: z.number().int().describe('Charging periods we hold (older ones merged beyond SESSION_MAX_PERIODS)'),
        latest: z
          .array(
            z.object({
              start_date_time: z.string(),
              tariff_id: z.string().nullable(),
              dimensions: z.array(z.object({ type: z.string(), volume: z.string().describe('Decimal string') })),
            }),
          )
          .describe('The newest periods, oldest first (at most 20)'),
      })
      .describe("The session's charging periods, summarised"),
    live_cost: z
      .object({
        estimate: z.boolean().describe('true until the CDR is rated'),
        total: z.string().nullable().describe('What the customer pays so far, incl. VAT, decimal string'),
        currency: z.string().nullable(),
        rule: z.string().nullable(),
        reason: z.string().nullable().describe('Why there is no total yet'),
      })
      .nullable()
      .describe('Our price for the customer (rating), on running sessions and on the single-session view; null when it cannot be computed'),
  })
  .meta({ id: 'AppSession' })
export type AppSessionView = z.infer<typeof AppSessionView>

export type LiveCost = AppSessionView['live_cost']
const toLiveCost = (e: SessionEstimate): LiveCost => ({
  estimate: e.estimate,
  total: e.total?.toFixed() ?? null,
  currency: e.currency,
  rule: e.rule,
  reason: e.reason,
})

type Period = NonNullable<AppSession['session']['charging_periods']>[number]
const toPeriodView = (p: Period) => ({
  start_date_time: p.start_date_time,
  tariff_id: p.tariff_id ?? null,
  dimensions: p.dimensions.map((d) => ({ type: d.type, volume: new Decimal(String(d.volume)).toFixed() })),
})

export const toAppSessionView = (s: AppSession & { periods?: PeriodSummary }, now: Date, liveCost: LiveCost = null): AppSessionView => {
  const periods = s.periods ?? {
    count: s.session.charging_periods?.length ?? 0,
    latest: (s.session.charging_periods ?? []).slice(-LISTED_PERIODS),
  }
  const end = s.endDateTime ?? (s.status === 'ACTIVE' || s.status === 'PENDING' ? now : s.lastUpdated)
  return {
    // As the CPO sent them (the key columns are upper-cased for look-ups).
    id: s.session.id,
    country_code: s.session.country_code,
    party_id: s.session.party_id,
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
    charging_periods: { count: periods.count, latest: periods.latest.map(toPeriodView) },
    live_cost: liveCost,
  }
}

const RUNNING = new Set(['ACTIVE', 'PENDING'])

/** The customer's charging sessions (energy, duration, status) with rating's live cost where it matters. */
export const appSessionsRoutes = (
  app: FastifyInstance,
  deps: { charging: ChargingService; clock: Clock; rating: Pick<RatingService, 'estimateSession'> },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  // A cost we cannot compute must not hide the session: it is logged and shown as null.
  const liveCost = async (customerId: string, s: AppSession, log: FastifyBaseLogger): Promise<LiveCost> => {
    try {
      return toLiveCost(
        await deps.rating.estimateSession({
          customerId,
          sessionKey: { countryCode: s.countryCode, partyId: s.partyId, sessionId: s.sessionId },
        }),
      )
    } catch (err) {
      log.warn({ err, sessionId: s.sessionId }, 'live cost estimate failed')
      return null
    }
  }
  r.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Your charging sessions, newest first (live cost on running ones)',
        response: { 200: z.object({ sessions: z.array(AppSessionView) }) },
      },
    },
    async (req) => {
      const customerId = customerIdOf(req)
      const now = deps.clock.now()
      const sessions = await deps.charging.sessions(customerId)
      return {
        sessions: await Promise.all(
          sessions.map(async (s) => toAppSessionView(s, now, RUNNING.has(s.status) ? await liveCost(customerId, s, req.log) : null)),
        ),
      }
    },
  )
  r.get(
    '/sessions/:id',
    {
      schema: {
        tags,
        summary: 'One of your sessions with its live cost',
        params: z.object({ id: z.string().min(1).max(36) }),
        response: { 200: AppSessionView },
      },
    },
    async (req) => {
      const customerId = customerIdOf(req)
      const session = await deps.charging.session(customerId, req.params.id)
      return toAppSessionView(session, deps.clock.now(), await liveCost(customerId, session, req.log))
    },
  )
}
