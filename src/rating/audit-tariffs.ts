// The audit's compiled tariffs: a stored tariff version is turned into the pricing model once and
// kept in a bounded LRU (src/pricing CompiledTariffs) keyed by the version (party, id, last_updated)
// and checked against the JSON it was compiled from, instead of compiled once per CDR (issue 20
// item 2; scripts/bench/pricing.ts measures both).
import { fromOcpiTariff } from '../ocpi/tariffs/tariffs.convert.js'
import type { Tariff as WireTariff } from '../ocpi/tariffs/tariffs.schema.js'

/** A stored tariff version as the OCPI adapter holds it. */
export type { WireTariff }
import { CompiledTariffs, tariffVersionKey, type CompiledTariff, type PricingWarning } from '../pricing/index.js'

/** How many tariff versions the audit keeps compiled (a 48-element tariff is some 100 KB compiled). */
export const AUDIT_TARIFF_CACHE_SIZE = 2000

/** Compiles a stored version (as the OCPI adapter does), naming it `tariff <id>` in warnings. */
export const compileTariff = (version: WireTariff): CompiledTariff => {
  const warnings: PricingWarning[] = []
  return { tariff: fromOcpiTariff(version, `tariff ${version.id}`, warnings), warnings }
}

/**
 * Equality of two JSON values (as read from jsonb: no undefined, no cycles). Exact, and about ten
 * times cheaper than hashing the JSON text of a large tariff (formatting its numbers dominates).
 */
export const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    if (a.length !== other.length) return false
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], other[i])) return false
    return true
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let keys = 0
  for (const key in x) {
    keys++
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false
  }
  for (const key in y) keys--
  return keys === 0
}

export const auditTariffCache = (capacity = AUDIT_TARIFF_CACHE_SIZE) => new CompiledTariffs<WireTariff>(capacity, sameJson)

/** The compiled form of a stored tariff version, from `cache` when it holds this exact version. */
export const compiledTariff = (cache: CompiledTariffs<WireTariff>, version: WireTariff): CompiledTariff =>
  cache.get(
    tariffVersionKey({ countryCode: version.country_code, partyId: version.party_id, id: version.id, lastUpdated: version.last_updated }),
    version,
    compileTariff,
  )
