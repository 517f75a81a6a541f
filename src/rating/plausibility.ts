// A non-credit CDR moves money automatically only when it is physically plausible (issue 16 items
// 6-7). Pure: the caller passes the clock's now, the token's creation and the connector's power.
import type { ChargeDetailRecord } from '../pricing/index.js'
import { Decimal } from './engine/decimal.js'

/** Configurable bounds (config: CDR_PLAUSIBILITY_*). */
export interface PlausibilityBounds {
  /** kW an AC / DC connector can deliver when the stored Location does not say (CDR_MAX_POWER_AC_KW / _DC_KW). */
  maxPowerKwAc: number
  maxPowerKwDc: number
  /** Longest plausible session, hours (CDR_MAX_SESSION_HOURS). */
  maxSessionHours: number
  /** Dates may be this far in the future (the CPO's clock), seconds (CDR_CLOCK_SKEW_S). */
  clockSkewS: number
  /** Largest plausible total cost in the CDR's currency (CDR_MAX_TOTAL_COST). */
  maxTotalCost: number
}

export const DEFAULT_BOUNDS: PlausibilityBounds = {
  maxPowerKwAc: 44,
  maxPowerKwDc: 400,
  maxSessionHours: 72,
  clockSkewS: 300,
  maxTotalCost: 1_000_000,
}

export interface PlausibilityFacts {
  now: Date
  /**
   * The earliest the CDR's token could be used: when we issued it, or its contract's start when that
   * is earlier (a contract moved over from another system keeps its cards). Undefined: not known.
   */
  tokenUsableFrom?: Date | undefined
  /** The connector's max power in W from the stored Location (phases included), if described. */
  connectorMaxPowerW?: number | undefined
}

/** Energy measured a little over the nominal power is not fraud: 10 % and 1 kWh of slack. */
const ENERGY_TOLERANCE = new Decimal('1.1')
const ENERGY_SLACK_KWH = new Decimal(1)
const MS_PER_HOUR = 3_600_000

/** Why a CDR is implausible, one sentence each; empty when it is plausible. Credits are judged by the credit rules instead. */
export const implausibilities = (
  cdr: ChargeDetailRecord,
  facts: PlausibilityFacts,
  bounds: PlausibilityBounds = DEFAULT_BOUNDS,
): string[] => {
  const out: string[] = []
  const hours = (cdr.endMs - cdr.startMs) / MS_PER_HOUR
  const latest = facts.now.getTime() + bounds.clockSkewS * 1000
  if (cdr.endMs < cdr.startMs)
    out.push(`it ends (${new Date(cdr.endMs).toISOString()}) before it starts (${new Date(cdr.startMs).toISOString()})`)
  if (hours > bounds.maxSessionHours) out.push(`it lasts ${hours.toFixed(1)} h, more than ${bounds.maxSessionHours} h`)
  if (cdr.startMs > latest || cdr.endMs > latest)
    out.push(`it is dated in the future (${new Date(Math.max(cdr.startMs, cdr.endMs)).toISOString()})`)
  if (facts.tokenUsableFrom && cdr.startMs < facts.tokenUsableFrom.getTime() - bounds.clockSkewS * 1000) {
    out.push(`it starts (${new Date(cdr.startMs).toISOString()}) before its token existed (${facts.tokenUsableFrom.toISOString()})`)
  }
  if (cdr.totalEnergyKwh.isNegative()) out.push(`total_energy is negative (${cdr.totalEnergyKwh.toString()} kWh)`)
  if (cdr.totalTimeHours.isNegative()) out.push(`total_time is negative (${cdr.totalTimeHours.toString()} h)`)
  if (cdr.totalParkingTimeHours?.isNegative()) out.push(`total_parking_time is negative (${cdr.totalParkingTimeHours.toString()} h)`)
  if (cdr.totalTimeHours.gt(Math.max(0, hours) + 1 / 60))
    out.push(`total_time (${cdr.totalTimeHours.toString()} h) is longer than the session (${hours.toFixed(4)} h)`)
  const kw =
    facts.connectorMaxPowerW !== undefined
      ? facts.connectorMaxPowerW / 1000
      : cdr.location.powerType === 'DC'
        ? bounds.maxPowerKwDc
        : bounds.maxPowerKwAc
  const maxKwh = new Decimal(kw).times(Math.max(0, hours)).times(ENERGY_TOLERANCE).plus(ENERGY_SLACK_KWH)
  if (cdr.totalEnergyKwh.gt(maxKwh)) {
    out.push(
      `total_energy ${cdr.totalEnergyKwh.toString()} kWh exceeds what ${kw} kW deliver in ${hours.toFixed(2)} h (${maxKwh.toFixed(1)} kWh)`,
    )
  }
  const cost = cdr.totalCost.inclVat ?? cdr.totalCost.exclVat
  if (cost.isNegative() || cdr.totalCost.exclVat.isNegative())
    out.push(`total_cost is negative (${cost.toString()} ${cdr.currency}) on a CDR that is not a credit`)
  if (cost.abs().gt(bounds.maxTotalCost) || cdr.totalCost.exclVat.abs().gt(bounds.maxTotalCost))
    out.push(`total_cost ${cost.toString()} ${cdr.currency} exceeds ${bounds.maxTotalCost}`)
  cdr.periods.forEach((p, i) => {
    if (p.energyKwh?.isNegative()) out.push(`charging_periods[${i}] has negative ENERGY`)
    else if (p.energyKwh?.gt(maxKwh))
      out.push(`charging_periods[${i}] ENERGY ${p.energyKwh.toString()} kWh exceeds ${maxKwh.toFixed(1)} kWh`)
    for (const [name, s] of [
      ['TIME', p.timeSeconds],
      ['PARKING_TIME', p.parkingSeconds],
    ] as const) {
      if (s !== null && (s < 0 || s > bounds.maxSessionHours * 3600))
        out.push(`charging_periods[${i}] ${name} is out of bounds (${(s / 3600).toFixed(4)} h)`)
    }
  })
  return out
}
