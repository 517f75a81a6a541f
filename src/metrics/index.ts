import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Gauge } from 'prom-client'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { errorBody } from '../platform/error-responses.js'
import { createMetricsRegistry } from './registry.js'
import { createSnapshotCache } from './snapshot.js'

export { createSnapshotCache, readOpsSnapshot, type OpsSnapshot, type SnapshotCache } from './snapshot.js'
export * as opsQueries from './ops.queries.js'

/** A scrape reads the database at most this often; scrapes in between get the same figures. */
export const SNAPSHOT_TTL_MS = 5_000

export interface MetricsDeps {
  db: Db
  clock: Clock
  /** METRICS_TOKEN: the bearer Prometheus sends; /metrics is closed without it. */
  token: string | undefined
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time; 403 when no token is configured. */
const bearerCheck = (token: string | undefined) => {
  const expected = token ? digest(token) : undefined
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!expected) return reply.code(403).send(errorBody('metrics_disabled', 'Metrics are closed: set METRICS_TOKEN to open them', req.id))
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (!given || !timingSafeEqual(digest(given), expected))
      return reply.code(401).send(errorBody('unauthorized', 'Missing or wrong metrics token', req.id))
  }
}

/**
 * Metrics: times every response (a root hook, so register this before the surfaces) and serves
 * `GET /metrics` in the Prometheus text format. Returns the snapshot cache the console shares.
 */
export const registerMetrics = (app: FastifyInstance, deps: MetricsDeps) => {
  const metrics = createMetricsRegistry()
  const snapshots = createSnapshotCache({ db: deps.db, clock: deps.clock, ttlMs: SNAPSHOT_TTL_MS })
  app.addHook('onResponse', async (req, reply) => {
    metrics.http.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (text format 0.0.4); the database figures are at most 5 s old',
        produces: ['text/plain'],
      },
      onRequest: bearerCheck(deps.token),
    },
    async (req, reply) => {
      try {
        metrics.apply(await snapshots.get())
      } catch (err) {
        req.log.warn({ err: (err as Error).message }, 'metrics: the database snapshot could not be read')
        metrics.markDown()
      }
      return reply.type(metrics.register.contentType).send(await metrics.register.metrics())
    },
  )
  /** A per-instance gauge read at scrape time (e.g. the app's open event streams). */
  const liveGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.register],
      collect() {
        this.set(read())
      },
    })
  /**
   * A gauge with labels read from the database at scrape time (e.g. blocked invoices per reason).
   * A failed read keeps the last figures and is logged; the scrape still answers.
   */
  const dbGauge = (name: string, help: string, label: string, read: () => Promise<{ label: string; value: number }[]>) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [metrics.register],
      async collect() {
        try {
          const rows = await read()
          this.reset()
          for (const r of rows) this.set({ [label]: r.label }, r.value)
        } catch (err) {
          app.log.warn({ err: (err as Error).message, metric: name }, 'metrics: a database gauge could not be read')
        }
      },
    })
  return { snapshots, liveGauge, dbGauge }
}
