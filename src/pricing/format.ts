import { SECONDS_PER_HOUR, toOcpiNumber, type Dec } from './decimal.js'
import type { CostTotals, PeriodReport, PricedLine, PricingError, PricingReport } from './report.js'
import type { Price } from './types.js'

/**
 * The report as JSON (snake_case, decimal strings): the only place amounts and volumes are
 * rounded, through toOcpiNumber (4 decimals, half away from zero). Totals are rounded from exact
 * sums, so the rounded lines of a breakdown may differ from a rounded total in the last digit.
 */
export interface PriceJson {
  excl_vat: string
  incl_vat: string
}

const price = (p: Price): PriceJson => ({ excl_vat: toOcpiNumber(p.exclVat), incl_vat: toOcpiNumber(p.inclVat) })
const hours = (seconds: Dec): string => toOcpiNumber(seconds.div(SECONDS_PER_HOUR))

const UNIT: Record<PricedLine['dimension'], string> = {
  ENERGY: 'kWh',
  TIME: 's',
  PARKING_TIME: 's',
  RESERVATION_TIME: 's',
  FLAT: 'session',
  RESERVATION_FLAT: 'session',
}

function totalsJson(t: CostTotals) {
  return {
    total_cost: price(t.totalCost),
    total_energy_cost: price(t.totalEnergyCost),
    total_time_cost: price(t.totalTimeCost),
    total_parking_cost: price(t.totalParkingCost),
    total_fixed_cost: price(t.totalFixedCost),
    total_reservation_cost: price(t.totalReservationCost),
  }
}

function lineJson(line: PricedLine) {
  const active = line.active
  return {
    dimension: line.dimension,
    tariff_id: active?.tariffId ?? null,
    element_index: active?.elementIndex ?? null,
    price: active ? active.component.price.toString() : null,
    vat: active?.component.vat?.toString() ?? null,
    step_size: active?.component.stepSize ?? null,
    unit: UNIT[line.dimension],
    volume: line.volume.toString(),
    billed_volume: line.billedVolume.toString(),
    cost: price(line.cost),
  }
}

function periodJson(period: PeriodReport) {
  return {
    index: period.index,
    start_date_time: new Date(period.startMs).toISOString(),
    end_date_time: period.endMs === null ? null : new Date(period.endMs).toISOString(),
    local_start: period.local.dateTime,
    weekday: period.local.weekday,
    tariff_id: period.tariffId,
    lines: period.lines.map(lineJson),
  }
}

export function toPricingJson(report: PricingReport) {
  const v = report.volumes
  return {
    currency: report.currency,
    tariff_id: report.tariffId,
    time_zone: report.timeZone,
    ...totalsJson(report.totals),
    price_cap: { applied: report.priceCap.applied, before: price(report.priceCap.before) },
    total_energy: toOcpiNumber(v.energyKwh),
    total_time: v.sessionSeconds === null ? null : hours(v.sessionSeconds),
    total_charging_time: hours(v.timeSeconds),
    total_parking_time: hours(v.parkingSeconds),
    total_reservation_time: hours(v.reservationSeconds),
    billed: {
      energy: toOcpiNumber(v.billedEnergyKwh),
      time: hours(v.billedTimeSeconds),
      parking_time: hours(v.billedParkingSeconds),
      reservation_time: hours(v.billedReservationSeconds),
      time_seconds: v.billedTimeSeconds.toString(),
      parking_time_seconds: v.billedParkingSeconds.toString(),
      reservation_time_seconds: v.billedReservationSeconds.toString(),
    },
    periods: report.periods.map(periodJson),
    warnings: report.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.periodIndex === undefined ? {} : { period_index: w.periodIndex }),
    })),
  }
}

export type PricingJson = ReturnType<typeof toPricingJson>

export function errorJson(error: PricingError) {
  return { error: { code: error.code, field: error.field ?? null, message: error.message } }
}
