import type { Dec } from './decimal.js'
import type { Price, PriceComponent, PricingWarning } from './types.js'

/**
 * What the pricing core returns. Amounts are exact Decimals; rounding to OCPI's 4 decimals
 * happens only when the report is written out (format.ts).
 */

/** ENERGY/TIME/PARKING_TIME/FLAT of a charging phase, plus the reservation phase's TIME and FLAT. */
export type BillingDimension = 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'FLAT' | 'RESERVATION_TIME' | 'RESERVATION_FLAT'

export interface ActiveComponent {
  tariffId: string
  elementIndex: number
  component: PriceComponent
}

/** One dimension of one period before costing. Volumes: kWh (ENERGY), seconds (times), 1 (FLAT). */
export interface SelectedLine {
  periodIndex: number
  dimension: BillingDimension
  /** null = no element matched: the volume is free */
  active: ActiveComponent | null
  volume: Dec
  /** volume after step_size (only the last priced line of a rounding group can differ) */
  billedVolume: Dec
  /** time dimensions only: the same volumes as exact integer seconds, for allocation-free sums */
  seconds: number | null
  billedSeconds: number | null
}

export interface PricedLine extends SelectedLine {
  cost: Price
}

export interface LocalStart {
  /** local wall-clock start as YYYY-MM-DDTHH:MM:SS */
  dateTime: string
  weekday: string
}

export interface PeriodReport {
  index: number
  startMs: number
  endMs: number | null
  tariffId: string
  local: LocalStart
  lines: PricedLine[]
}

export interface CostTotals {
  totalCost: Price
  totalEnergyCost: Price
  totalTimeCost: Price
  totalParkingCost: Price
  totalFixedCost: Price
  totalReservationCost: Price
}

export interface PriceCap {
  applied: 'min_price' | 'max_price' | null
  /** total before min_price / max_price */
  before: Price
}

export interface VolumeTotals {
  energyKwh: Dec
  timeSeconds: Dec
  parkingSeconds: Dec
  reservationSeconds: Dec
  billedEnergyKwh: Dec
  billedTimeSeconds: Dec
  billedParkingSeconds: Dec
  billedReservationSeconds: Dec
  /** CDR end − start, null for an open session */
  sessionSeconds: Dec | null
}

export interface PricingReport {
  currency: string
  /** the tariff in force at session start (its min/max price apply) */
  tariffId: string
  timeZone: string
  totals: CostTotals
  priceCap: PriceCap
  volumes: VolumeTotals
  periods: PeriodReport[]
  warnings: PricingWarning[]
}

export type PricingErrorCode =
  | 'invalid_input'
  | 'invalid_time_zone'
  | 'time_zone_unknown'
  | 'no_tariff'
  | 'no_tariff_valid_at_start'
  | 'unknown_tariff_id'
  | 'currency_mismatch'
  | 'periods_not_chronological'
  | 'invalid_duration'

export interface PricingError {
  code: PricingErrorCode
  /** the input field at fault, as a path like `cdr.charging_periods[2].start_date_time` */
  field?: string
  message: string
}

export type Result<T, E = PricingError> = { ok: true; value: T } | { ok: false; error: E }
export type PricingResult = Result<PricingReport>

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value })
export const fail = (code: PricingErrorCode, message: string, field?: string): { ok: false; error: PricingError } => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
})
