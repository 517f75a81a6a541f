import type { FastifyInstance } from 'fastify'
import type { OwnEndpoint } from '../versions/index.js'
import { createSessionsService, type SessionsDeps } from './sessions.service.js'
import { sessionsRoutes } from './sessions.routes.js'

export type { SessionRecord, StoredSession } from './sessions.convert.js'
export { fromOcpiChargingPeriods, PERIOD_INTAKE, pricingSessionOf, readSessionBody, readSessionPatchBody } from './sessions.convert.js'
export type { ListedSession, PeriodSummary, SessionKey } from './sessions.repository.js'
export type { SessionsService, SessionWriteHook, SessionWriteOutcome, SessionWriteResult } from './sessions.service.js'
export { DEFAULT_MAX_PERIODS, sessionTopic } from './sessions.service.js'
export { LISTED_PERIODS } from './sessions.repository.js'

/** The sessions module: our Sessions Receiver endpoint and the lookups the app and rating use. */
export const createSessionsModule = (deps: SessionsDeps & { registry: { add: (e: OwnEndpoint) => void } }) => {
  const service = createSessionsService(deps)
  deps.registry.add({ identifier: 'sessions', role: 'RECEIVER', path: 'sessions' })
  return {
    service,
    routes: (app: FastifyInstance) => sessionsRoutes(app, { sessions: service, clock: deps.clock }),
  }
}
