// Compiled tariffs (issue 20 item 2): the audit keeps stored tariff versions compiled in a bounded
// LRU. Pinned here: pricing with shared, reused compiled tariffs gives exactly what fresh ones give
// over the whole golden corpus (and the engine never writes to a tariff); a changed version is
// compiled again; the cache is bounded and drops the least recently used version.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { readPricingCase } from '../../src/ocpi/pricing-case.js'
import type { Tariff as WireTariff } from '../../src/ocpi/tariffs/tariffs.schema.js'
import { CompiledTariffs, priceCdr, toPricingJson, type Tariff } from '../../src/pricing/index.js'
import { auditTariffCache, compiledTariff, sameJson } from '../../src/rating/audit-tariffs.js'

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'pricing')
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

t.test('over the golden corpus, compiled tariffs reused across CDRs price exactly like fresh ones', async (t) => {
  const cache = new CompiledTariffs<unknown>(1000, sameJson)
  let priced = 0
  // two passes: the second prices every CDR with tariffs compiled during the first (and frozen)
  for (const pass of [1, 2]) {
    for (const scenario of readdirSync(ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()) {
      const dir = join(ROOT, scenario)
      const spec = readJson(join(dir, 'expected.json')) as { time_zone?: string; cases: Record<string, { tariff_file?: string }> }
      for (const [file, expected] of Object.entries(spec.cases)) {
        const cdr = readJson(join(dir, file)) as { tariffs?: unknown[] }
        const tariffs = expected.tariff_file
          ? [readJson(join(dir, expected.tariff_file))]
          : readdirSync(dir).includes('tariffs.json')
            ? (readJson(join(dir, 'tariffs.json')) as unknown[])
            : readdirSync(dir).includes('tariff.json')
              ? [readJson(join(dir, 'tariff.json'))]
              : undefined
        const kase = { cdr, ...(tariffs ? { tariffs } : {}), ...(spec.time_zone ? { time_zone: spec.time_zone } : {}) }
        const fresh = readPricingCase(kase)
        if (!fresh.ok) throw new Error(`${scenario}/${file}: ${fresh.message}`)
        const wire = (tariffs ?? cdr.tariffs ?? []) as { id: string; last_updated?: string }[]
        const shared: Tariff[] = wire.map(
          (w, i) =>
            cache.get(`${scenario}*${w.id}*${w.last_updated ?? ''}`, w, () =>
              deepFreeze({ tariff: fresh.value.input.tariffs[i]!, warnings: [] }),
            ).tariff,
        )
        const want = priceCdr(fresh.value.input)
        const got = priceCdr({ ...fresh.value.input, tariffs: shared })
        t.same(
          got.ok ? toPricingJson(got.value) : got.error,
          want.ok ? toPricingJson(want.value) : want.error,
          `pass ${pass}: ${scenario}/${file}`,
        )
        priced++
      }
    }
  }
  t.ok(priced >= 80, `${priced} CDRs priced`)
  t.ok(
    cache.stats.hits >= priced / 2,
    `the second pass used the compiled tariffs (${cache.stats.hits} hits, ${cache.stats.misses} compilations)`,
  )
})

const version = (over: Partial<WireTariff> = {}): WireTariff =>
  ({
    country_code: 'DE',
    party_id: 'ABC',
    id: 'T1',
    currency: 'EUR',
    last_updated: '2026-01-01T00:00:00Z',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 19, step_size: 1 }] }],
    ...over,
  }) as WireTariff

t.test('the audit compiles a version once; a changed version (or a replay with other content) is compiled again', async (t) => {
  const cache = auditTariffCache(10)
  const first = compiledTariff(cache, version())
  t.equal(
    compiledTariff(cache, JSON.parse(JSON.stringify(version()))),
    first,
    'the same version read again (a new, equal object) is not recompiled',
  )
  t.equal(
    compiledTariff(cache, version({ id: 't1', party_id: 'abc' }) as WireTariff).tariff.id,
    't1',
    'ids are CiStrings in the key, but the content differs: compiled again',
  )
  const next = compiledTariff(
    cache,
    version({
      last_updated: '2026-02-01T00:00:00Z',
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 19, step_size: 1 }] }],
    }),
  )
  t.not(next, first, 'a newer version is compiled')
  t.equal(next.tariff.elements[0]!.components.ENERGY!.price.toString(), '0.5')
  const replay = compiledTariff(
    cache,
    version({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.45, vat: 19, step_size: 1 }] }] }),
  )
  t.equal(
    replay.tariff.elements[0]!.components.ENERGY!.price.toString(),
    '0.45',
    'same last_updated, other content: the new content is priced',
  )
  t.equal(
    compiledTariff(cache, version({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.45, vat: 19, step_size: 1 }] }] })),
    replay,
    'and kept',
  )
  t.same({ hits: cache.stats.hits, misses: cache.stats.misses }, { hits: 2, misses: 4 })
})

t.test('compilation warnings come back on every use', async (t) => {
  const cache = auditTariffCache(10)
  const dup = version({
    elements: [
      {
        price_components: [
          { type: 'ENERGY', price: 0.4, vat: 19, step_size: 1 },
          { type: 'ENERGY', price: 0.9, vat: 19, step_size: 1 },
        ],
      },
    ],
  })
  t.same(
    compiledTariff(cache, dup).warnings.map((w) => w.code),
    ['duplicate_component'],
  )
  t.same(
    compiledTariff(cache, structuredClone(dup)).warnings.map((w) => w.code),
    ['duplicate_component'],
  )
  t.equal(cache.stats.hits, 1)
})

t.test('the cache is bounded and drops the least recently used version', async (t) => {
  const cache = auditTariffCache(3)
  const v = (n: number) => version({ id: `T${n}` })
  const compiled = [1, 2, 3].map((n) => compiledTariff(cache, v(n)))
  t.equal(compiledTariff(cache, v(1)), compiled[0], 'T1 used again: now the most recent')
  compiledTariff(cache, v(4))
  t.equal(cache.size, 3, 'never more than its capacity')
  t.equal(compiledTariff(cache, v(1)), compiled[0], 'T1 kept')
  t.equal(compiledTariff(cache, v(3)), compiled[2], 'T3 kept')
  t.not(compiledTariff(cache, v(2)), compiled[1], 'T2, the least recently used, was dropped and is compiled again')
  for (let n = 0; n < 100; n++) compiledTariff(cache, v(100 + n))
  t.equal(cache.size, 3)
  t.throws(() => new CompiledTariffs(0, sameJson), RangeError)
})

t.test('sameJson: exact JSON equality, key order aside', async (t) => {
  t.ok(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }))
  t.notOk(sameJson({ a: 1 }, { a: 1, b: 2 }))
  t.notOk(sameJson({ a: 1, b: 2 }, { a: 1 }))
  t.notOk(sameJson({ a: null }, { b: null }))
  t.notOk(sameJson([1, 2], [2, 1]))
  t.notOk(sameJson([1], { 0: 1 }))
  t.notOk(sameJson({ a: 0.4 }, { a: '0.4' }))
  t.notOk(sameJson(null, {}))
})
