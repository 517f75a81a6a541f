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
  readonly #entries = new Map<string, { source: S; compiled: CompiledTariff }>()
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
    if (held) this.#entries.delete(key) // Map keeps insertion order: re-inserting makes it the most recent
    if (held && this.sameSource(held.source, source)) {
      this.#hits++
      this.#entries.set(key, held)
      return held.compiled
    }
    this.#misses++
    const compiled = compile(source)
    this.#entries.set(key, { source, compiled })
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!)
    return compiled
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
