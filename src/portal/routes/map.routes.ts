// The map and prices: a place → the stations near it (the app's own area query, nearest first) →
// one station with each charge point's status, app start and the customer's price (rating's quote).
import { Decimal } from 'decimal.js'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppEvseRow } from '../../charging/index.js'
import { DomainError, notFound } from '../../platform/errors.js'
import { html } from '../../web/html.js'
import type { MsgKey } from '../catalog.js'
import { formatters } from '../context.js'
import type { FieldErrors } from '../forms.js'
import type { PortalRouteDeps } from '../index.js'
import { RADII_KM, resultsList, searchForm, stationPage, type EvsePrice, type Station } from '../pages/map.js'
import { quoteLines } from '../price-text.js'
import { customerOf, render } from '../render.js'

const METERS_PER_DEGREE = 111_320
const MAX_STATIONS = 25
const COORDINATES = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/

/** A square around a point covering `radiusM`, as the area query takes it. */
const areaAround = (lat: number, lon: number, radiusM: number, limit: number) => {
  const dLat = radiusM / METERS_PER_DEGREE
  const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180))
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon, center: { lat, lon }, limit }
}

export const mapRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  /** EVSE rows (ordered by location) as stations within `radiusM`, with whether their operator can be reached. */
  const stationsOf = async (rows: (AppEvseRow & { distance: number })[], radiusM: number): Promise<Station[]> => {
    const stations = new Map<string, Station & { partnerId: string }>()
    for (const r of rows) {
      const distanceM = Math.round(Math.sqrt(r.distance) * METERS_PER_DEGREE)
      if (distanceM > radiusM) continue
      const key = `${r.country_code}/${r.party_id}/${r.location_id}`.toUpperCase()
      let s = stations.get(key)
      if (!s) {
        s = {
          countryCode: r.country_code,
          partyId: r.party_id,
          id: r.location_id,
          partnerId: r.partner_id,
          name: r.name,
          address: r.address,
          city: r.city,
          latitude: r.latitude,
          longitude: r.longitude,
          distanceM,
          operator: r.operator,
          reachable: true,
          evses: [],
        }
        stations.set(key, s)
      }
      s.evses.push({
        uid: r.uid,
        evseId: r.evse_id,
        status: r.status,
        appStart: r.capabilities.includes('REMOTE_START_STOP_CAPABLE'),
        connectors: (r.connectors ?? []).map((c) => ({
          id: c.id,
          standard: c.standard,
          powerType: c.power_type,
          maxPowerKw: new Decimal(c.max_power_w).div(1000).toFixed(),
        })),
      })
    }
    const out = [...stations.values()]
    await Promise.all(
      out.map(async (s) => {
        s.reachable = (await deps.reachability.check(s.partnerId, s.countryCode, s.partyId)).connected
        if (!s.reachable) for (const e of s.evses) e.appStart = false
      }),
    )
    return out
  }

  app.get<{ Querystring: { place?: string; radius?: string } }>('/map', { schema: { hide: true } }, async (req, reply) => {
    const { ctx } = req.portal
    const place = typeof req.query.place === 'string' ? req.query.place.trim().slice(0, 100) : ''
    const radius = (RADII_KM as readonly string[]).includes(req.query.radius ?? '') ? req.query.radius! : '5'
    const values = { place, radius }
    const page = (body: ReturnType<typeof html>, status = 200) =>
      render(reply, ctx, { title: ctx.t('nav.map'), current: 'map', body }, status)
    if (!place) return page(html`<p>${ctx.t('map.intro')}</p>${searchForm(ctx, { values })}`)
    const refuse = (errors: FieldErrors) => page(searchForm(ctx, { values, errors }), 422)
    const typed = COORDINATES.exec(place)
    let center: { lat: number; lon: number } | undefined
    if (typed) {
      const [lat, lon] = [Number(typed[1]), Number(typed[2])]
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return refuse({ place: 'err.coordinates' })
      center = { lat, lon }
    } else {
      center = await deps.locations.findPlace(place)
    }
    if (!center) return refuse({ place: 'map.notFound' })
    const radiusM = Number(radius) * 1000
    const rows = await deps.locations.inArea(areaAround(center.lat, center.lon, radiusM, MAX_STATIONS))
    const stations = await stationsOf(rows, radiusM)
    return page(html`${searchForm(ctx, { values })}${resultsList(ctx, { place, radiusKm: Number(radius), stations })}`)
  })

  // One station: found again by its key near the coordinates of the list's link.
  app.get<{ Params: { cc: string; pid: string; id: string }; Querystring: { lat?: string; lon?: string } }>(
    '/map/:cc/:pid/:id',
    { schema: { hide: true } },
    async (req, reply) => {
      const { ctx } = req.portal
      const [lat, lon] = [Number(req.query.lat), Number(req.query.lon)]
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
        throw notFound('station_not_found', 'No such station')
      const rows = (await deps.locations.inArea(areaAround(lat, lon, 50, 50))).filter(
        // Ids come as the CPO sent them; OCPI ids are case-insensitive (CiString).
        (r) =>
          r.country_code.toUpperCase() === req.params.cc.toUpperCase() &&
          r.party_id.toUpperCase() === req.params.pid.toUpperCase() &&
          r.location_id.toUpperCase() === req.params.id.toUpperCase(),
      )
      const [station] = await stationsOf(rows, Number.POSITIVE_INFINITY)
      if (!station) throw notFound('station_not_found', 'No such station')
      const f = formatters(ctx.locale)
      const prices = new Map<string, EvsePrice | MsgKey>()
      await Promise.all(
        station.evses.map(async (e) => {
          try {
            const quote = await deps.rating.quoteEvse({
              customerId: customerOf(req),
              countryCode: station.countryCode,
              partyId: station.partyId,
              locationId: station.id,
              evseUid: e.uid,
            })
            prices.set(e.uid, { connectors: quote.connectors.map((c) => ({ connectorId: c.connectorId, ...quoteLines(ctx, f, c) })) })
          } catch (err) {
            if (!(err instanceof DomainError) || err.httpStatus >= 500) throw err
            prices.set(e.uid, err.code === 'contract_not_found' ? 'price.noContract' : 'price.unavailable')
          }
        }),
      )
      return render(reply, ctx, { title: station.name ?? station.id, current: 'map', body: stationPage(ctx, station, prices) })
    },
  )
}
