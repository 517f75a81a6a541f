import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ReachabilityChecker } from '../ocpi/commands/index.js'
import type { AppArea, AppLocationQueries, MapKey, NearKey } from '../charging/index.js'
import type { Bulkhead } from '../platform/concurrency.js'
import { DomainError } from '../platform/errors.js'

const tags = ['app: locations']
const METERS_PER_DEGREE = 111_320
/** Larger areas are a country, not a map view: refused rather than scanned. */
const MAX_SPAN_DEG = 2

const Coordinate = (min: number, max: number) => z.coerce.number().min(min).max(max)
export const LocationsQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat')
    .optional()
    .describe('minLon,minLat,maxLon,maxLat (WGS 84)'),
  lat: Coordinate(-90, 90).optional(),
  lon: Coordinate(-180, 180).optional(),
  radius_m: z.coerce.number().int().min(1).max(50_000).default(2_000),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Most locations returned, nearest first'),
  available: z.enum(['true', 'false']).optional().describe('true: only EVSEs AVAILABLE now (and locations that have one)'),
  start: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only EVSEs the app can start (REMOTE_START_STOP_CAPABLE at a reachable operator), and locations that have one'),
})
export type LocationsQuery = z.infer<typeof LocationsQuery>

const Kw = z.string().describe('kW, decimal string')
export const AppEvse = z.object({
  uid: z.string(),
  evse_id: z.string().nullable(),
  status: z.string(),
  status_updated_at: z.string().describe('last_updated of the EVSE as the CPO sent it'),
  power_type: z.string().nullable(),
  max_power_kw: Kw.nullable(),
  connectors: z.array(z.object({ id: z.string(), standard: z.string(), power_type: z.string(), max_power_kw: Kw })),
  capabilities: z.array(z.string()),
  app_start: z.boolean().describe('REMOTE_START_STOP_CAPABLE and the operator is connected'),
})
export const AppLocation = z
  .object({
    country_code: z.string(),
    party_id: z.string(),
    id: z.string(),
    name: z.string().nullable(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    latitude: z.string(),
    longitude: z.string(),
    distance_m: z.number().int(),
    operator: z.object({ name: z.string().nullable() }),
    operator_reachable: z.boolean(),
    offline_reason: z
      .enum(['partner_offline', 'partner_unregistered'])
      .nullable()
      .describe('Why the operator cannot be reached (hub says offline, or no registered connection)'),
    evses: z.array(AppEvse),
  })
  .meta({ id: 'AppLocation' })
export type AppLocation = z.infer<typeof AppLocation>

/** The query as an area: a bounding box, or a square around a point (then filtered to the radius). */
export const areaOf = (q: LocationsQuery): AppArea & { radiusM?: number } => {
  if (q.bbox) {
    const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number) as [number, number, number, number]
    if (minLon > maxLon || minLat > maxLat) throw new DomainError('invalid_request', 'bbox must be minLon,minLat,maxLon,maxLat', 400)
    if (maxLon - minLon > MAX_SPAN_DEG || maxLat - minLat > MAX_SPAN_DEG)
      throw new DomainError('area_too_large', `The area may span at most ${MAX_SPAN_DEG} degrees each way`, 400)
    return { minLat, maxLat, minLon, maxLon, center: { lat: (minLat + maxLat) / 2, lon: (minLon + maxLon) / 2 }, limit: q.limit }
  }
  if (q.lat === undefined || q.lon === undefined) throw new DomainError('invalid_request', 'Give bbox, or lat and lon (and radius_m)', 400)
  const dLat = q.radius_m / METERS_PER_DEGREE
  const dLon = dLat / Math.max(0.01, Math.cos((q.lat * Math.PI) / 180))
  return {
    minLat: q.lat - dLat,
    maxLat: q.lat + dLat,
    minLon: q.lon - dLon,
    maxLon: q.lon + dLon,
    center: { lat: q.lat, lon: q.lon },
    limit: q.limit,
    radiusM: q.radius_m,
  }
}

/**
 * The nearest locations as the map shows them: within the radius (when a point was searched near),
 * each with its operator's reachability, and with `start` only those whose operator can be reached.
 * Locations left out are still counted (`shown: false`): the answer tells whether the limit cut it.
 */
export const mapKeysOf = async (near: NearKey[], reachability: ReachabilityChecker, opts: { radiusM?: number; start: boolean }) => {
  const reach = new Map<string, ReturnType<ReachabilityChecker['check']>>()
  const keys: MapKey[] = []
  for (const k of near) {
    const party = `${k.partner_id}/${k.country_code}/${k.party_id}`
    if (!reach.has(party)) reach.set(party, reachability.check(k.partner_id, k.country_code, k.party_id))
    const r = await reach.get(party)!
    const distance = Math.round(Math.sqrt(k.distance) * METERS_PER_DEGREE)
    const shown = (opts.radiusM === undefined || distance <= opts.radiusM) && (!opts.start || r.connected)
    keys.push({
      country_code: k.country_code,
      party_id: k.party_id,
      id: k.id,
      ord: k.ord,
      distance_m: distance,
      shown,
      reachable: r.connected,
      why: r.why,
    })
  }
  return keys
}

/** The map: locations with EVSE status, power, operator and whether the app can start them. */
export const appLocationsRoutes = (
  app: FastifyInstance,
  deps: { locations: Pick<AppLocationQueries, 'nearest' | 'mapAnswer'>; reachability: ReachabilityChecker; bulkhead: Bulkhead },
) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/locations',
    {
      schema: {
        tags,
        summary: 'Locations in a bounding box or near a point, nearest first',
        querystring: LocationsQuery,
        response: { 200: z.object({ locations: z.array(AppLocation), truncated: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const area = areaOf(req.query)
      const start = req.query.start === 'true'
      const filter = { available: req.query.available === 'true', start }
      // A map request runs its two or three statements inside the bulkhead (APP_MAP_CONCURRENCY at once).
      const { counted, locations } = await deps.bulkhead.run(async () => {
        const keys = await mapKeysOf(await deps.locations.nearest(area, filter), deps.reachability, { radiusM: area.radiusM, start })
        return deps.locations.mapAnswer(keys, filter)
      })
      // The database wrote the locations as JSON in the shape above; Fastify sends a string body as it is
      // (the schema still documents it, and the tests check answers against it).
      const body = `{"locations":${locations},"truncated":${counted >= area.limit}}`
      return reply.type('application/json; charset=utf-8').send(body as unknown as never)
    },
  )
}
