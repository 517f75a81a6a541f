// Wire (OCPI 2.2.1 Tariff) → the pricing core's tariff model, and the tolerant reader of Tariff
// bodies. The wire schema has already judged the shape; this conversion is total and only records
// what pricing tolerates (a second component of one dimension, an ENERGY component in a
// reservation element) as warnings.
import { Dec, dayNumber } from '../../pricing/index.js'
import type {
  PriceBound,
  PriceComponent,
  PricingWarning,
  Restrictions,
  Tariff as PricingTariff,
  TariffDimension,
  TariffElement as PricingElement,
} from '../../pricing/index.js'
import { deviation, readTolerant, type Deviation, type IntakeResult } from '../v221/intake.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import {
  TariffSchema,
  type PriceComponent as WireComponent,
  type Tariff,
  type TariffElement,
  type TariffRestrictions,
} from './tariffs.schema.js'

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const
const MINUTES_PER_DAY = 1440

/** OCPI JSON numbers become Decimals through their shortest decimal text, never float arithmetic. */
const dec = (n: number) => new Dec(String(n))
const decOrNull = (n: number | null | undefined) => (n == null ? null : dec(n))
const instantMs = (text: string | null | undefined) => (text == null ? null : (parseOcpiDateTime(text)?.getTime() ?? null))

const vatByRate = new Map<number, Dec>()
/** One Decimal per VAT rate, so pricing can group components by rate cheaply (cost-lines.ts). */
const sharedVat = (vat: number | null | undefined): Dec | null => {
  if (vat == null) return null
  let shared = vatByRate.get(vat)
  if (!shared) {
    shared = dec(vat)
    if (vatByRate.size < 1000) vatByRate.set(vat, shared)
  }
  return shared
}

const priceBound = (p: Tariff['min_price']): PriceBound | null => (p ? { exclVat: dec(p.excl_vat), inclVat: decOrNull(p.incl_vat) } : null)

/** HH:MM → minutes after midnight; "00:00" becomes `midnightAs` (1440 for an end: end of day). */
const timeOfDay = (text: string | null | undefined, midnightAs: number): number | undefined => {
  if (text == null) return undefined
  const minutes = Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5))
  return minutes === 0 ? midnightAs : minutes
}

const restrictionsOf = (r: TariffRestrictions): Restrictions => {
  const out: Restrictions = {}
  const set = <K extends keyof Restrictions>(key: K, value: Restrictions[K] | undefined | null) => {
    if (value !== undefined && value !== null) out[key] = value
  }
  set('startTime', timeOfDay(r.start_time, 0))
  set('endTime', timeOfDay(r.end_time, MINUTES_PER_DAY))
  set('startDate', r.start_date == null ? undefined : dayNumber(r.start_date))
  set('endDate', r.end_date == null ? undefined : dayNumber(r.end_date))
  set('minKwh', decOrNull(r.min_kwh))
  set('maxKwh', decOrNull(r.max_kwh))
  set('minCurrent', decOrNull(r.min_current))
  set('maxCurrent', decOrNull(r.max_current))
  set('minPower', decOrNull(r.min_power))
  set('maxPower', decOrNull(r.max_power))
  set('minDuration', r.min_duration)
  set('maxDuration', r.max_duration)
  if (r.day_of_week)
    set(
      'daysOfWeek',
      r.day_of_week.reduce((mask, day) => mask | (1 << WEEKDAYS.indexOf(day)), 0),
    )
  set('reservation', r.reservation)
  return out
}

const componentOf = (c: WireComponent): PriceComponent => ({
  type: c.type,
  price: dec(c.price),
  vat: sharedVat(c.vat),
  stepSize: c.step_size,
})

const elementOf = (e: TariffElement, at: string, warnings: PricingWarning[]): PricingElement => {
  const restrictions = e.restrictions ? restrictionsOf(e.restrictions) : null
  const components: Partial<Record<TariffDimension, PriceComponent>> = {}
  for (const c of e.price_components) {
    if (components[c.type]) {
      warnings.push({ code: 'duplicate_component', message: `${at}: a second ${c.type} component is ignored (the first one counts)` })
    } else if (restrictions?.reservation && (c.type === 'ENERGY' || c.type === 'PARKING_TIME')) {
      warnings.push({
        code: 'reservation_component_ignored',
        message: `${at}: a reservation element prices only FLAT and TIME; its ${c.type} is ignored`,
      })
    } else {
      components[c.type] = componentOf(c)
    }
  }
  return { components, restrictions: restrictions && Object.keys(restrictions).length > 0 ? restrictions : null }
}

/**
 * An OCPI Tariff (as validated by the wire schema, or embedded in a CDR without its party or
 * `last_updated`) in the pricing core's model; `at` names it in warnings.
 */
export const fromOcpiTariff = (
  t: Omit<Tariff, 'country_code' | 'party_id' | 'last_updated'> & { last_updated?: string | null },
  at: string,
  warnings: PricingWarning[],
): PricingTariff => ({
  id: t.id,
  currency: t.currency,
  type: t.type ?? null,
  minPrice: priceBound(t.min_price),
  maxPrice: priceBound(t.max_price),
  elements: t.elements.map((e, i) => elementOf(e, `${at}.elements[${i}]`, warnings)),
  validFrom: instantMs(t.start_date_time),
  validUntil: instantMs(t.end_date_time),
  lastUpdated: instantMs(t.last_updated),
})

const RESTRICTION_KEYS = new Set(Object.keys(TariffSchema.shape.elements.element.shape.restrictions.unwrap().unwrap().shape))

/** Restriction keys the spec does not know (`dayOfWeek`): ignoring one silently widens the element. */
export const unknownRestrictions = (raw: unknown, at = ''): Deviation[] => {
  const elements = (raw as { elements?: unknown } | null)?.elements
  if (!Array.isArray(elements)) return []
  return elements.flatMap((e, i) => {
    const r = (e as { restrictions?: unknown } | null)?.restrictions
    if (typeof r !== 'object' || r === null) return []
    return Object.keys(r)
      .filter((k) => !RESTRICTION_KEYS.has(k))
      .map((k) => deviation('unknown_restriction', `${at}elements[${i}].restrictions.${k}`, k))
  })
}

/**
 * The tolerant reader of a Tariff body (PUT, pull): the format repairs of the intake, unknown
 * restriction keys reported, and a missing `last_updated` taken as the moment we receive it (the
 * spec's own tariff_put_example has none; a version needs a start).
 */
export const readTariffBody = (raw: unknown, now: Date): IntakeResult<Tariff> => {
  const deviations = unknownRestrictions(raw)
  const body = raw as Record<string, unknown> | null
  let input = raw
  if (body && typeof body === 'object' && !Array.isArray(body) && (body.last_updated === undefined || body.last_updated === null)) {
    input = { ...body, last_updated: now.toISOString() }
    deviations.push(deviation('last_updated_missing', 'last_updated'))
  }
  const read = readTolerant(TariffSchema, input)
  return read.ok ? { ...read, deviations: [...deviations, ...read.deviations] } : read
}
