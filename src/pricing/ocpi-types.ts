/**
 * OCPI 2.2.1 wire shapes the pricing core reads, typed structurally (snake_case, as on the wire).
 * Only the fields pricing needs are listed; the full zod schemas live in src/ocpi/** and are not
 * imported here (the pricing core depends on nothing but decimal.js).
 */
export interface OcpiPrice {
  excl_vat: number
  incl_vat?: number
}

export interface OcpiPriceComponent {
  type: 'ENERGY' | 'FLAT' | 'PARKING_TIME' | 'TIME'
  price: number
  vat?: number
  step_size: number
}

export interface OcpiTariffRestrictions {
  start_time?: string
  end_time?: string
  start_date?: string
  end_date?: string
  min_kwh?: number
  max_kwh?: number
  min_current?: number
  max_current?: number
  min_power?: number
  max_power?: number
  min_duration?: number
  max_duration?: number
  day_of_week?: string[]
  reservation?: 'RESERVATION' | 'RESERVATION_EXPIRES'
}

export interface OcpiTariffElement {
  price_components: OcpiPriceComponent[]
  restrictions?: OcpiTariffRestrictions
}

export interface OcpiTariff {
  country_code?: string
  party_id?: string
  id: string
  currency: string
  type?: string
  min_price?: OcpiPrice
  max_price?: OcpiPrice
  elements: OcpiTariffElement[]
  start_date_time?: string
  end_date_time?: string
  last_updated?: string
}

export interface OcpiCdrDimension {
  type: string
  volume: number
}

export interface OcpiChargingPeriod {
  start_date_time: string
  dimensions: OcpiCdrDimension[]
  tariff_id?: string
}

/** A CDR, or a Session (which has no cdr_location and may still be open). */
export interface OcpiCdrOrSession {
  id?: string
  start_date_time: string
  end_date_time?: string
  currency: string
  cdr_location?: { country?: string; time_zone?: string }
  tariffs?: OcpiTariff[]
  charging_periods?: OcpiChargingPeriod[]
  total_cost?: OcpiPrice
  total_energy_cost?: OcpiPrice
  total_time_cost?: OcpiPrice
  total_parking_cost?: OcpiPrice
  total_fixed_cost?: OcpiPrice
  total_reservation_cost?: OcpiPrice
  credit?: boolean
}

export interface OcpiLocation {
  country?: string
  time_zone: string
}

/** The pricing case: what the CLI reads and what the CDR audit gets from its caller. */
export interface OcpiPricingCase {
  tariffs?: OcpiTariff[]
  tariff?: OcpiTariff
  cdr: OcpiCdrOrSession
  time_zone?: string
  location?: OcpiLocation
}
