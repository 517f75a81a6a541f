import { fail, ok, type Result } from './report.js'
import type { ChargingPeriod, Tariff } from './types.js'

/**
 * Step "pick the active tariff": the version of each tariff valid at the session start.
 *
 * A tariff id may come in several versions (same id, different start/end_date_time). The
 * version used for the whole session is the one whose window [start_date_time, end_date_time)
 * contains the session start; overlapping versions resolve to the latest start_date_time, then
 * the latest last_updated. A period naming a `tariff_id` is priced with that tariff's version;
 * a period without one uses the session tariff (the first one named, else the first valid
 * tariff in list order).
 */
export interface TariffChoice {
  session: Tariff
  byId: ReadonlyMap<string, Tariff>
}

export function validAt(tariff: Tariff, instantMs: number): boolean {
  return (tariff.validFrom === null || tariff.validFrom <= instantMs) && (tariff.validUntil === null || instantMs < tariff.validUntil)
}

function newer(a: Tariff, b: Tariff): boolean {
  const fromA = a.validFrom ?? -Infinity
  const fromB = b.validFrom ?? -Infinity
  if (fromA !== fromB) return fromA > fromB
  return (a.lastUpdated ?? -Infinity) > (b.lastUpdated ?? -Infinity)
}

export function versionsValidAt(tariffs: readonly Tariff[], startMs: number): Map<string, Tariff> {
  const byId = new Map<string, Tariff>()
  for (const tariff of tariffs) {
    if (!validAt(tariff, startMs)) continue
    const known = byId.get(tariff.id)
    if (!known || newer(tariff, known)) byId.set(tariff.id, tariff)
  }
  return byId
}

export function pickTariffs(
  tariffs: readonly Tariff[],
  startMs: number,
  periods: readonly ChargingPeriod[],
  currency: string,
): Result<TariffChoice> {
  if (tariffs.length === 0) return fail('no_tariff', 'no tariff to price with', 'tariffs')
  const byId = versionsValidAt(tariffs, startMs)
  for (let i = 0; i < periods.length; i++) {
    const id = periods[i]!.tariffId
    if (id === null || byId.has(id)) continue
    const field = `charging_periods[${i}].tariff_id`
    return tariffs.some((t) => t.id === id)
      ? fail('no_tariff_valid_at_start', `no version of tariff "${id}" is valid at the session start`, field)
      : fail('unknown_tariff_id', `period names tariff "${id}", which is not among the tariffs given`, field)
  }
  const namedId = periods.find((p) => p.tariffId !== null)?.tariffId
  const sessionId = namedId ?? tariffs.find((t) => byId.get(t.id) !== undefined)?.id
  const session = sessionId === undefined ? undefined : byId.get(sessionId)
  if (!session) return fail('no_tariff_valid_at_start', 'no tariff is valid at the session start', 'tariffs')
  const used = new Set([session, ...periods.map((p) => (p.tariffId === null ? session : byId.get(p.tariffId)!))])
  for (const tariff of used) {
    if (tariff.currency !== currency) {
      return fail('currency_mismatch', `tariff "${tariff.id}" is in ${tariff.currency}, the session in ${currency}`, 'currency')
    }
  }
  return ok({ session, byId })
}
