// The bound on stored charging periods (issue 16 item 10): a session PATCHed to 16,000 periods is
// kept, with its older periods merged, so what we store and read per session stays bounded.
// Pure: no I/O.
import { Decimal } from 'decimal.js'
import type { CdrDimension, ChargingPeriod } from './sessions.schema.js'

/** Quantities of the period (summed when periods merge); the rest are readings or ranges. */
const SUMMED = new Set(['ENERGY', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'TIME', 'PARKING_TIME', 'RESERVATION_TIME'])
const LOWEST = new Set(['MIN_CURRENT', 'MIN_POWER'])
const HIGHEST = new Set(['MAX_CURRENT', 'MAX_POWER'])
const AVERAGED = new Set(['CURRENT', 'POWER'])
// Anything else (STATE_OF_CHARGE): the newest reading.

/** The newest periods are never merged (with a bound of at least 200), so a replayed PATCH still finds them as they came. */
export const RAW_TAIL = 50

const shapeOf = (p: ChargingPeriod) => JSON.stringify([p.tariff_id ?? null, p.dimensions.map((d) => d.type).sort()])

/** Merges consecutive periods into one starting at the first: quantities summed, ranges widened, readings kept newest. */
export const mergePeriods = (group: readonly ChargingPeriod[]): ChargingPeriod => {
  const first = group[0]!
  if (group.length === 1) return first
  const types: string[] = []
  const values = new Map<string, Decimal[]>()
  for (const p of group) {
    for (const d of p.dimensions) {
      if (!values.has(d.type)) {
        types.push(d.type)
        values.set(d.type, [])
      }
      values.get(d.type)!.push(new Decimal(String(d.volume)))
    }
  }
  const combine = (type: string, v: Decimal[]): Decimal => {
    if (SUMMED.has(type)) return Decimal.sum(...v)
    if (LOWEST.has(type)) return Decimal.min(...v)
    if (HIGHEST.has(type)) return Decimal.max(...v)
    if (AVERAGED.has(type)) return Decimal.sum(...v).dividedBy(v.length)
    return v[v.length - 1]!
  }
  const dimensions = types.map((type) => ({ type, volume: combine(type, values.get(type)!).toNumber() }) as CdrDimension)
  return { start_date_time: first.start_date_time, dimensions, ...(first.tariff_id == null ? {} : { tariff_id: first.tariff_id }) }
}

/**
 * At most `max` periods: when over, the older periods are merged in runs of the same
 * tariff and dimension types down to about half the bound (so a growing session is not compacted on
 * every PATCH); the newest `RAW_TAIL` (at most a quarter) stay as sent. If alternating tariffs still
 * leave too many, the merged periods past the bound become one (it keeps the first one's tariff).
 * Energy, time and the other quantities keep their totals. Answers the periods and how many were merged away.
 */
export const boundPeriods = (periods: readonly ChargingPeriod[], max: number): { periods: ChargingPeriod[]; merged: number } => {
  if (periods.length <= max) return { periods: [...periods], merged: 0 }
  const tail = Math.min(RAW_TAIL, Math.floor(max / 4))
  const head = periods.slice(0, periods.length - tail)
  const room = Math.max(1, Math.floor(max / 2) - tail)
  const per = Math.ceil(head.length / room)
  const merged: ChargingPeriod[] = []
  let group: ChargingPeriod[] = []
  for (const p of head) {
    if (group.length > 0 && (group.length === per || shapeOf(group[0]!) !== shapeOf(p))) {
      merged.push(mergePeriods(group))
      group = []
    }
    group.push(p)
  }
  if (group.length > 0) merged.push(mergePeriods(group))
  const keep = max - tail - 1
  const older = merged.length > keep + 1 ? [...merged.slice(0, keep), mergePeriods(merged.slice(keep))] : merged
  const out = [...older, ...periods.slice(periods.length - tail)]
  return { periods: out, merged: periods.length - out.length }
}
