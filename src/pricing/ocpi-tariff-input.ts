import type { Dec } from './decimal.js'
import { dayNumber } from './local-time.js'
import {
  array, asObject, decimal, InputProblem, join, oneOf, optDateTime, optDecimal, optInteger,
  optObject, optString, string, type Obj,
} from './ocpi-read.js'
import type { PriceBound, PriceComponent, PricingWarning, Restrictions, Tariff, TariffDimension, TariffElement } from './types.js'

/** fromOcpiTariff: an OCPI 2.2.1 Tariff object → the pricing model, validating what pricing needs. */

const DIMENSIONS = ['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'] as const
const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const
const RESERVATIONS = ['RESERVATION', 'RESERVATION_EXPIRES'] as const
const RESTRICTION_KEYS = new Set([
  'start_time', 'end_time', 'start_date', 'end_date', 'min_kwh', 'max_kwh', 'min_current', 'max_current',
  'min_power', 'max_power', 'min_duration', 'max_duration', 'day_of_week', 'reservation',
])
const MINUTES_PER_DAY = 1440

export function fromOcpiTariff(value: unknown, path: string, warnings: PricingWarning[]): Tariff {
  const obj = asObject(value, path)
  const elements = array(obj, 'elements', path)
  if (elements.length === 0) throw new InputProblem(join(path, 'elements'), 'must hold at least one element')
  return {
    id: string(obj, 'id', path),
    currency: string(obj, 'currency', path),
    type: optString(obj, 'type', path) ?? null,
    minPrice: priceBound(obj, 'min_price', path),
    maxPrice: priceBound(obj, 'max_price', path),
    elements: elements.map((e, i) => element(e, join(join(path, 'elements'), i), warnings)),
    validFrom: optDateTime(obj, 'start_date_time', path) ?? null,
    validUntil: optDateTime(obj, 'end_date_time', path) ?? null,
    lastUpdated: optDateTime(obj, 'last_updated', path) ?? null,
  }
}

function priceBound(obj: Obj, key: string, path: string): PriceBound | null {
  const price = optObject(obj, key, path)
  if (!price) return null
  const at = join(path, key)
  return { exclVat: decimal(price, 'excl_vat', at), inclVat: optDecimal(price, 'incl_vat', at) ?? null }
}

function element(value: unknown, path: string, warnings: PricingWarning[]): TariffElement {
  const obj = asObject(value, path)
  const list = array(obj, 'price_components', path)
  if (list.length === 0) throw new InputProblem(join(path, 'price_components'), 'must hold at least one component')
  const restrictionsObj = optObject(obj, 'restrictions', path)
  const restrictions = restrictionsObj ? readRestrictions(restrictionsObj, join(path, 'restrictions'), warnings) : null
  const components: Partial<Record<TariffDimension, PriceComponent>> = {}
  list.forEach((c, i) => {
    const component = priceComponent(c, join(join(path, 'price_components'), i))
    if (components[component.type]) {
      warnings.push({ code: 'duplicate_component', message: `${path}: a second ${component.type} component is ignored (the first one counts)` })
    } else if (restrictions?.reservation && (component.type === 'ENERGY' || component.type === 'PARKING_TIME')) {
      warnings.push({ code: 'reservation_component_ignored', message: `${path}: a reservation element prices only FLAT and TIME; its ${component.type} is ignored` })
    } else {
      components[component.type] = component
    }
  })
  return { components, restrictions: restrictions && Object.keys(restrictions).length > 0 ? restrictions : null }
}

function priceComponent(value: unknown, path: string): PriceComponent {
  const obj = asObject(value, path)
  const stepSize = optInteger(obj, 'step_size', path)
  if (stepSize === undefined) throw new InputProblem(join(path, 'step_size'), 'is required')
  return {
    type: oneOf(string(obj, 'type', path), DIMENSIONS, join(path, 'type')),
    price: decimal(obj, 'price', path),
    vat: sharedVat(obj, path),
    stepSize,
  }
}

const vatByRate = new Map<unknown, Dec>()

/** One Decimal per VAT rate, so pricing can group components by rate cheaply (cost-lines.ts). */
function sharedVat(obj: Obj, path: string): Dec | null {
  const shared = vatByRate.get(obj.vat)
  if (shared) return shared
  const vat = optDecimal(obj, 'vat', path)
  if (vat === undefined) return null
  if (vatByRate.size < 1000) vatByRate.set(obj.vat, vat)
  return vat
}

function readRestrictions(obj: Obj, path: string, warnings: PricingWarning[]): Restrictions {
  for (const key of Object.keys(obj)) {
    // a misspelt key (`dayOfWeek`, `restriction`) would silently widen the element
    if (!RESTRICTION_KEYS.has(key)) warnings.push({ code: 'unknown_field', message: `${join(path, key)} is not an OCPI restriction and is ignored` })
  }
  const r: Restrictions = {}
  const set = <K extends keyof Restrictions>(key: K, value: Restrictions[K] | undefined) => {
    if (value !== undefined) r[key] = value
  }
  set('startTime', timeOfDay(obj, 'start_time', path, 0))
  set('endTime', timeOfDay(obj, 'end_time', path, MINUTES_PER_DAY))
  set('startDate', date(obj, 'start_date', path))
  set('endDate', date(obj, 'end_date', path))
  for (const [wire, key] of [['min_kwh', 'minKwh'], ['max_kwh', 'maxKwh'], ['min_current', 'minCurrent'], ['max_current', 'maxCurrent'], ['min_power', 'minPower'], ['max_power', 'maxPower']] as const) {
    set(key, optDecimal(obj, wire, path))
  }
  set('minDuration', optInteger(obj, 'min_duration', path))
  set('maxDuration', optInteger(obj, 'max_duration', path))
  const days = obj.day_of_week === undefined || obj.day_of_week === null ? undefined : array(obj, 'day_of_week', path)
  if (days) set('daysOfWeek', days.reduce<number>((mask, d, i) => mask | (1 << WEEKDAYS.indexOf(oneOf(String(d), WEEKDAYS, join(join(path, 'day_of_week'), i)))), 0))
  const reservation = optString(obj, 'reservation', path)
  if (reservation !== undefined) set('reservation', oneOf(reservation, RESERVATIONS, join(path, 'reservation')))
  return r
}

/** HH:MM → minutes after midnight; "00:00" becomes `midnightAs` (1440 for an end: end of day). */
function timeOfDay(obj: Obj, key: string, path: string, midnightAs: number): number | undefined {
  const text = optString(obj, key, path)
  if (text === undefined) return undefined
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text)
  if (!match) throw new InputProblem(join(path, key), `"${text}" is not a time HH:MM`)
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return minutes === 0 ? midnightAs : minutes
}

function date(obj: Obj, key: string, path: string): number | undefined {
  const text = optString(obj, key, path)
  if (text === undefined) return undefined
  const day = dayNumber(text)
  if (day === null) throw new InputProblem(join(path, key), `"${text}" is not a date YYYY-MM-DD`)
  return day
}
