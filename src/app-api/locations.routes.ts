import { Decimal } from 'decimal.js'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ReachabilityChecker } from '../ocpi/commands/index.js'
import type { AppArea, AppEvseRow, AppLocationQueries } from '../charging/index.js'
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
const AppEvse = z.object({
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

const kw = (watts: number) => new Decimal(watts).div(1000).toFixed()

/** Groups EVSE rows (ordered by location) into locations and flags the unreachable operators. */
export const toAppLocations = async (
  rows: (AppEvseRow & { distance: number })[],
  reachability: ReachabilityChecker,
  radiusM?: number,
): Promise<AppLocation[]> => {
  const out: AppLocation[] = []
  const byKey = new Map<string, AppLocation>()
  const reach = new Map<string, ReturnType<ReachabilityChecker['check']>>()
  const partyOf = new Map<AppLocation, string>()
  for (const row of rows) {
    const distance = Math.round(Math.sqrt(row.distance) * METERS_PER_DEGREE)
    if (radiusM !== undefined && distance > radiusM) continue
    const key = `${row.country_code}/${row.party_id}/${row.location_id}`
    let loc = byKey.get(key)
    if (!loc) {
      const party = `${row.partner_id}/${row.country_code}/${row.party_id}`
      if (!reach.has(party)) reach.set(party, reachability.check(row.partner_id, row.country_code, row.party_id))
      loc = {
        country_code: row.country_code,
        party_id: row.party_id,
        id: row.location_id,
        name: row.name,
        address: row.address,
        city: row.city,
        latitude: row.latitude,
        longitude: row.longitude,
        distance_m: distance,
        operator: { name: row.operator },
        operator_reachable: true,
        offline_reason: null,
        evses: [],
      }
      partyOf.set(loc, party)
      byKey.set(key, loc)
      out.push(loc)
    }
    const connectors = row.connectors ?? []
    const strongest = connectors.reduce<(typeof connectors)[number] | undefined>(
      (best, c) => (!best || c.max_power_w > best.max_power_w ? c : best),
      undefined,
    )
    loc.evses.push({
      uid: row.uid,
      evse_id: row.evse_id,
      status: row.status,
      status_updated_at: new Date(row.last_updated).toISOString(),
      power_type: strongest?.power_type ?? null,
      max_power_kw: strongest ? kw(strongest.max_power_w) : null,
      connectors: connectors.map((c) => ({ id: c.id, standard: c.standard, power_type: c.power_type, max_power_kw: kw(c.max_power_w) })),
      capabilities: row.capabilities,
      app_start: row.capabilities.includes('REMOTE_START_STOP_CAPABLE'),
    })
  }
  for (const loc of out) {
    const r = await reach.get(partyOf.get(loc)!)!
    loc.operator_reachable = r.connected
    loc.offline_reason = r.why
    if (!r.connected) for (const e of loc.evses) e.app_start = false
  }
  return out
}

/** The map: locations with EVSE status, power, operator and whether the app can start them. */
export const appLocationsRoutes = (
  app: FastifyInstance,
  deps: { locations: Pick<AppLocationQueries, 'inArea'>; reachability: ReachabilityChecker },
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
    async (req) => {
      const area = areaOf(req.query)
      const start = req.query.start === 'true'
      const rows = await deps.locations.inArea(area, { available: req.query.available === 'true', start })
      const all = await toAppLocations(rows, deps.reachability, area.radiusM)
      const locations = start ? all.filter((l) => l.operator_reachable) : all
      return { locations, truncated: new Set(rows.map((r) => `${r.country_code}/${r.party_id}/${r.location_id}`)).size >= area.limit }
    },
  )
}
