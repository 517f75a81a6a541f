// The catalog in force: every version of every home market, and the lookup by instant.
// A new price list is a new file next to the old ones plus one line here; old versions stay so
// that late CDRs are rated with the prices valid when they started.
import type { Catalog, HomeMarket, MarketCatalog } from './catalog.types.js'
import { deCatalog20240101 } from './de-2024-01-01.js'
import { eeCatalog20250101 } from './ee-2025-01-01.js'
import { siCatalog20240101 } from './si-2024-01-01.js'

export const defaultCatalog: Catalog = [deCatalog20240101, siCatalog20240101, eeCatalog20250101]

/** The version of `homeMarket` with the latest `validFrom` at or before `instantMs`, if any. */
export const catalogVersionAt = (catalog: Catalog, homeMarket: HomeMarket, instantMs: number): MarketCatalog | undefined => {
  let best: MarketCatalog | undefined
  let bestFrom = -Infinity
  for (const version of catalog) {
    if (version.homeMarket !== homeMarket) continue
    const from = Date.parse(version.validFrom)
    if (from <= instantMs && from > bestFrom) {
      best = version
      bestFrom = from
    }
  }
  return best
}
