// The map and prices (FAQ: check before charging whether the station is available or out of order
// and whether it supports the app's "Start" button): stations near a place, and per station its
// charge points with status, app start and the price the customer will be charged.
import { inputField, selectField } from '../../web/form.js'
import { html } from '../../web/html.js'
import type { MsgKey } from '../catalog.js'
import { formatters, type PageContext } from '../context.js'
import { errorOf, summaryOf, type FieldErrors, type FormBody } from '../forms.js'
import { BASE } from '../layout.js'

export const RADII_KM = ['1', '2', '5', '10', '25'] as const

export interface StationEvse {
  uid: string
  evseId: string | null
  status: string
  appStart: boolean
  connectors: { id: string; standard: string; powerType: string; maxPowerKw: string }[]
}

export interface Station {
  countryCode: string
  partyId: string
  id: string
  name: string | null
  address: string | null
  city: string | null
  latitude: string
  longitude: string
  distanceM: number
  operator: string | null
  reachable: boolean
  evses: StationEvse[]
}

const STATUS_KEYS: Record<string, MsgKey> = {
  AVAILABLE: 'evse.status.AVAILABLE',
  BLOCKED: 'evse.status.BLOCKED',
  CHARGING: 'evse.status.CHARGING',
  INOPERATIVE: 'evse.status.OUTOFORDER',
  OUTOFORDER: 'evse.status.OUTOFORDER',
  PLANNED: 'evse.status.PLANNED',
  RESERVED: 'evse.status.RESERVED',
  UNKNOWN: 'evse.status.UNKNOWN',
}
const OUT_OF_ORDER = new Set(['INOPERATIVE', 'OUTOFORDER'])

const STANDARDS: Record<string, string> = {
  IEC_62196_T2: 'Type 2',
  IEC_62196_T2_COMBO: 'CCS',
  IEC_62196_T1: 'Type 1',
  IEC_62196_T1_COMBO: 'CCS Type 1',
  CHADEMO: 'CHAdeMO',
  DOMESTIC_F: 'Schuko',
  TESLA_S: 'Tesla',
  GBT_DC: 'GB/T',
}

const statusBadge = (ctx: PageContext, status: string) => {
  const badge = status === 'AVAILABLE' ? 'badge-ok' : OUT_OF_ORDER.has(status) ? 'badge-bad' : 'badge-warn'
  return html`<span class="badge ${badge}">${ctx.t(STATUS_KEYS[status] ?? 'evse.status.UNKNOWN')}</span>`
}

export const stationPath = (s: Pick<Station, 'countryCode' | 'partyId' | 'id' | 'latitude' | 'longitude'>) =>
  `${BASE}/map/${encodeURIComponent(s.countryCode)}/${encodeURIComponent(s.partyId)}/${encodeURIComponent(s.id)}?lat=${s.latitude}&lon=${s.longitude}`

const appStartText = (ctx: PageContext, s: Station, appStart: boolean) =>
  !s.reachable ? ctx.t('station.operatorOffline') : appStart ? ctx.t('station.appStart.yes') : ctx.t('station.appStart.no')

export const searchForm = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors }) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  return html`<form class="stack" method="get" action="${BASE}/map" novalidate role="search">
${summaryOf(ctx, v.errors, ['place'])}
${inputField({ name: 'place', type: 'search', label: t('map.place'), hint: t('map.placeHint'), value: v.values.place, error: errorOf(ctx, v.errors, 'place'), maxlength: 100, autocomplete: 'off' })}
${selectField({ name: 'radius', label: t('map.radius'), value: v.values.radius || '5', options: RADII_KM.map((r) => ({ value: r, label: f.distance(Number(r) * 1000) })) })}
<div class="actions"><button type="submit">${t('map.search')}</button></div>
</form>`
}

export const resultsList = (ctx: PageContext, v: { place: string; radiusKm: number; stations: Station[] }) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  return html`<section aria-labelledby="results"><h2 id="results">${t('map.results', { count: v.stations.length, radius: f.distance(v.radiusKm * 1000), place: v.place })}</h2>
${v.stations.map((s) => {
  const available = s.evses.filter((e) => e.status === 'AVAILABLE').length
  const broken = s.evses.filter((e) => OUT_OF_ORDER.has(e.status)).length
  const appStart = s.evses.some((e) => e.appStart)
  return html`<div class="station">
<h3><a href="${stationPath(s)}">${s.name ?? s.id}</a></h3>
<p class="meta">${[s.address, s.city].filter(Boolean).join(', ')} · ${t('map.distance', { distance: f.distance(s.distanceM) })}${s.operator ? html` · ${t('map.operator', { name: s.operator })}` : ''}</p>
<p>${t('map.available', { available, total: s.evses.length })}${broken ? html` · <strong>${t('map.outOfOrder', { count: broken })}</strong>` : ''}</p>
<p>${appStartText(ctx, s, appStart)}</p>
</div>`
})}
</section>`
}

export interface EvsePrice {
  /** One entry per connector: label and price sentences. */
  connectors: { connectorId: string; basis: string; lines: string[] }[]
}

export const stationPage = (ctx: PageContext, s: Station, prices: Map<string, EvsePrice | MsgKey>) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  return html`<p class="meta">${[s.address, s.city].filter(Boolean).join(', ')}${s.operator ? html` · ${t('map.operator', { name: s.operator })}` : ''}</p>
${s.reachable ? '' : html`<p class="notice notice-error">${t('station.operatorOffline')}</p>`}
<p>${t('station.checkBefore')}</p>
${s.evses.map((e) => {
  const price = prices.get(e.uid)
  return html`<section class="panel" aria-labelledby="evse-${e.uid}">
<h2 id="evse-${e.uid}">${e.evseId ?? e.uid}</h2>
<dl class="facts">
<dt>${t('station.status')}</dt><dd>${statusBadge(ctx, e.status)}</dd>
<dt>${t('station.appStart')}</dt><dd>${appStartText(ctx, s, e.appStart)}</dd>
${e.connectors.map((c) => {
  const q = typeof price === 'object' ? price.connectors.find((p) => p.connectorId === c.id) : undefined
  return html`<dt>${STANDARDS[c.standard] ?? c.standard}, ${f.kw(c.maxPowerKw)}</dt>
<dd>${q ? html`${q.basis}<ul class="prices">${q.lines.map((l) => html`<li>${l}</li>`)}</ul>` : typeof price === 'string' ? t(price) : t('price.unavailable')}</dd>`
})}
</dl>
</section>`
})}
<p><a href="${BASE}/map">${t('map.back')}</a></p>
<p class="meta">${t('tariff.allPricesInclVat')}</p>`
}
