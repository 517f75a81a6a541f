// The audit's compiled tariffs: a stored tariff version is turned into the pricing model once and
// kept in a bounded LRU (src/pricing CompiledTariffs) keyed by the version (party, id, last_updated)
// and checked against the JSON it was compiled from, instead of compiled once per CDR (issue 20
// item 2; scripts/bench/pricing.ts measures both).
import { fromOcpiTariff, type Tariff as WireTariff } from '../ocpi/tariffs/index.js'

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
 * It runs on every audited CDR (the stored version is read again each time), so it skips the call
 * for equal primitives and asks `Object.hasOwn` only where an inherited property could pass for the
 * value (undefined, or an object such as `__proto__`'s): a JSON value is never a function.
 */
export const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) {
      const x = a[i]
      const y = b[i]
      if (x !== y && !sameJson(x, y)) return false
    }
    return true
  }
  if (Array.isArray(b)) return false
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let keys = 0
  for (const key in x) {
    keys++
    const xv = x[key]
    const yv = y[key]
    if (xv === yv) continue // an equal primitive or the same object: never inherited (see above)
    if ((yv === undefined || typeof yv === 'object') && !Object.hasOwn(y, key)) return false
    if (!sameJson(xv, yv)) return false
  }
  for (const _ in y) keys--
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
