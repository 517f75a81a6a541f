import type { PricingWarning, Tariff } from './types.js'

/** A tariff in the pricing model with the warnings its compilation gave (replayed on every use). */
export interface CompiledTariff {
  readonly tariff: Tariff
  readonly warnings: readonly PricingWarning[]
}

/**
 * A bounded LRU memo of compiled tariffs: a value the caller holds (the audit service keeps one).
 * An entry is found by the version's key (`tariffVersionKey`) and used only when the source it was
 * compiled from equals the source given (`sameSource`, the caller's): a CPO may replay a version with
 * the same `last_updated` and other content, and then it is compiled again. Pure: no clock, no I/O;
 * reading the source is the caller's `compile`, so OCPI stays in the adapter. The pricing core never
 * mutates a tariff (pinned by test/pricing/tariff-cache.test.ts), so one compiled tariff prices any
 * number of CDRs.
 */
export class CompiledTariffs<S> {
  /** `used` is the tick of the last use: a hit only updates it (no Map delete and insert per hit). */
  readonly #entries = new Map<string, { source: S; compiled: CompiledTariff; used: number }>()
  #tick = 0
  #hits = 0
  #misses = 0

  constructor(
    readonly capacity: number,
    private readonly sameSource: (held: S, given: S) => boolean,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
  }

  /** The tariff compiled from `source`; `compile` runs only when `key` holds no equal source (then the least recently used entry goes if full). */
  get(key: string, source: S, compile: (source: S) => CompiledTariff): CompiledTariff {
    const held = this.#entries.get(key)
    if (held !== undefined) {
      if (this.sameSource(held.source, source)) {
        this.#hits++
        held.used = ++this.#tick
        return held.compiled
      }
      this.#entries.delete(key)
    }
    this.#misses++
    const compiled = compile(source)
    this.#entries.set(key, { source, compiled, used: ++this.#tick })
    if (this.#entries.size > this.capacity) this.#dropLeastRecentlyUsed()
    return compiled
  }

  /** On a miss when full: one pass over the entries (a compilation costs far more). */
  #dropLeastRecentlyUsed(): void {
    let oldest: string | undefined
    let oldestUsed = Number.POSITIVE_INFINITY
    for (const [key, entry] of this.#entries) {
      if (entry.used < oldestUsed) {
        oldestUsed = entry.used
        oldest = key
      }
    }
    if (oldest !== undefined) this.#entries.delete(oldest)
  }

  get size(): number {
    return this.#entries.size
  }

  /** Hits (compilations saved) and misses (compilations run) since it was made. */
  get stats(): { hits: number; misses: number; size: number; capacity: number } {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size, capacity: this.capacity }
  }
}

/** The key of one tariff version: its party and id (CiStrings, upper-cased) and its `last_updated`. */
export const tariffVersionKey = (v: { countryCode: string; partyId: string; id: string; lastUpdated: string | null | undefined }): string =>
  `${v.countryCode.toUpperCase()}*${v.partyId.toUpperCase()}*${v.id.toUpperCase()}*${v.lastUpdated ?? ''}`
