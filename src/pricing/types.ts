import type { Dec } from './decimal.js'

/** Domain model of the pricing core (camelCase; the OCPI wire shapes live in ocpi-types.ts). */

export type TariffDimension = 'ENERGY' | 'FLAT' | 'TIME' | 'PARKING_TIME'
export type ReservationRestriction = 'RESERVATION' | 'RESERVATION_EXPIRES'

export interface Price {
  exclVat: Dec
  inclVat: Dec
}

/** A tariff's min_price / max_price: OCPI makes incl_vat optional. */
export interface PriceBound {
  exclVat: Dec
  inclVat: Dec | null
}

export interface PriceComponent {
  type: TariffDimension
  /** per kWh, per hour or per session, excl. VAT */
  price: Dec
  /** percentage; null = no VAT applicable (not the same as 0 %) */
  vat: Dec | null
  /** Wh for ENERGY, seconds for TIME/PARKING_TIME; 0 = no rounding */
  stepSize: number
}

export interface Restrictions {
  /** minutes after local midnight */
  startTime?: number
  /** minutes after local midnight; "00:00" is stored as 1440 (end of day) */
  endTime?: number
  /** local calendar day as days since 1970-01-01 */
  startDate?: number
  endDate?: number
  minKwh?: Dec
  maxKwh?: Dec
  /** A, summed over phases */
  minCurrent?: Dec
  maxCurrent?: Dec
  /** kW */
  minPower?: Dec
  maxPower?: Dec
  /** seconds since session start */
  minDuration?: number
  maxDuration?: number
  /** bit i set = weekday i allowed, Monday = bit 0 */
  daysOfWeek?: number
  reservation?: ReservationRestriction
}

export interface TariffElement {
  /** only the first component of each dimension counts (later duplicates are dead) */
  components: Partial<Record<TariffDimension, PriceComponent>>
  restrictions: Restrictions | null
}

export interface Tariff {
  id: string
  currency: string
  type: string | null
  minPrice: PriceBound | null
  maxPrice: PriceBound | null
  elements: TariffElement[]
  /** validity window [validFrom, validUntil) in epoch ms; null = open */
  validFrom: number | null
  validUntil: number | null
  lastUpdated: number | null
}

/** Measured range of a period (MIN_x / MAX_x dimensions); one value is used for both bounds. */
export interface MeasuredRange {
  min: Dec
  max: Dec
}

export interface ChargingPeriod {
  startMs: number
  tariffId: string | null
  /** null = the period has no such dimension */
  energyKwh: Dec | null
  /** durations in whole seconds: exact safe integers, so plain numbers (see ocpi-input.ts) */
  timeSeconds: number | null
  parkingSeconds: number | null
  reservationSeconds: number | null
  current: MeasuredRange | null
  power: MeasuredRange | null
}

export interface SessionInput {
  startMs: number
  /** null for a live session without end */
  endMs: number | null
  currency: string
  periods: ChargingPeriod[]
}

export interface PricingWarning {
  code: string
  message: string
  periodIndex?: number
}

export interface PricingInput {
  tariffs: Tariff[]
  session: SessionInput
  /** IANA zone of the Location; every time/date/weekday restriction is evaluated in it */
  timeZone: string
  /** problems the input adapter tolerated (unknown fields, …), passed through to the report */
  warnings?: PricingWarning[]
}
