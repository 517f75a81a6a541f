// Benchmark: CDRs rated per second on one core (goal 20k/s, issue 7).
// Run: npx tsx scripts/bench/rating.ts [rounds] [cdrsPerRound]
// Rates a fixed mix of realistic cases (fixed prices with blocking windows, Portugal tiers,
// pass-through, IONITY Plus, Estonian share and partners, credits) in a single thread, several
// rounds after a warm-up, and reports the median and the ratio to the goal. Two figures:
// the pure engine on parsed input, and adapter + engine from OCPI JSON (what the service pays).
import { defaultCatalog, operatorRegistrySeed } from '../../src/catalog/index.js'
import { rateCdr } from '../../src/rating/engine/rate-cdr.js'
import type { RateCdrInput } from '../../src/rating/engine/rating.types.js'
import { readRatingCase } from '../../src/rating/rating.convert.js'
import { type CdrSpec, type LocationSpec, ocpiCdr, ocpiLocation } from '../../test/rating/helpers.js'

const GOAL_PER_SECOND = 20_000
const rounds = Number(process.argv[2] ?? 7)
const perRound = Number(process.argv[3] ?? 50_000)

type Contract = { home_market: 'DE' | 'SI' | 'EE'; tariff: 'ACTIVE' | 'FLEX'; packages?: 'IONITY_PLUS'[] }
const berlin: LocationSpec = { country: 'DEU', timeZone: 'Europe/Berlin' }
const mix: [Contract, CdrSpec, LocationSpec?][] = [
  [
    { home_market: 'DE', tariff: 'ACTIVE' },
    { country: 'DEU', start: '2025-05-06T06:00:00Z', end: '2025-05-06T10:05:30Z', kwh: 22.5 },
    berlin,
  ],
  [
    { home_market: 'DE', tariff: 'ACTIVE' },
    { country: 'DEU', start: '2025-05-06T18:00:00Z', end: '2025-05-07T07:00:00Z', kwh: 40 },
    berlin,
  ],
  [
    { home_market: 'DE', tariff: 'ACTIVE' },
    { country: 'DEU', start: '2025-05-06T10:00:00Z', end: '2025-05-06T11:40:20Z', kwh: 45.5, power: 'DC' },
  ],
  [
    { home_market: 'SI', tariff: 'ACTIVE' },
    { country: 'PRT', start: '2025-05-06T10:00:00Z', end: '2025-05-06T12:00:00Z', kwh: 60, power: 'DC' },
  ],
  [
    { home_market: 'DE', tariff: 'FLEX' },
    { country: 'FRA', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:40:00Z', kwh: 20 },
  ],
  [
    { home_market: 'DE', tariff: 'ACTIVE', packages: ['IONITY_PLUS'] },
    {
      country: 'DEU',
      party: ['DE', 'ION'],
      start: '2025-05-06T10:00:00Z',
      end: '2025-05-06T10:30:00Z',
      kwh: 40,
      power: 'DC',
      totalIncl: 35,
      fixed: { excl_vat: 1, incl_vat: 1.19 },
    },
  ],
  [
    { home_market: 'EE', tariff: 'ACTIVE' },
    { country: 'EST', start: '2025-05-06T10:00:00Z', end: '2025-05-06T10:40:00Z', kwh: 20, totalIncl: 10.05 },
  ],
  [
    { home_market: 'EE', tariff: 'ACTIVE' },
    { country: 'DEU', start: '2025-05-06T08:00:00Z', end: '2025-05-06T13:00:00Z', kwh: 22 },
    { ...berlin, operatorName: 'Allego' },
  ],
  [
    { home_market: 'DE', tariff: 'ACTIVE' },
    {
      country: 'DEU',
      id: 'C-1',
      start: '2025-05-06T06:00:00Z',
      end: '2025-05-06T08:00:00Z',
      kwh: 12,
      totalIncl: -5,
      credit: { referenceId: 'C' },
    },
    berlin,
  ],
]

const cases = mix.map(([contract, cdr, location]) => ({
  contract,
  cdr: ocpiCdr(cdr),
  ...(location ? { location: ocpiLocation(location) } : {}),
}))
const parsed: RateCdrInput[] = cases.map((kase) => {
  const result = readRatingCase(kase)
  if (!result.ok) throw new Error(`${result.error.field}: ${result.error.message}`)
  const { contract, cdr, location } = result.value
  return { contract, cdr, ...(location ? { location } : {}), catalog: defaultCatalog, operators: operatorRegistrySeed }
})

const engineOnly = (i: number): boolean => rateCdr(parsed[i % parsed.length]!).ok
const fromJson = (i: number): boolean => {
  const result = readRatingCase(cases[i % cases.length])
  if (!result.ok) return false
  const { contract, cdr, location } = result.value
  return rateCdr({ contract, cdr, ...(location ? { location } : {}), catalog: defaultCatalog, operators: operatorRegistrySeed }).ok
}

const perSecond = (work: (i: number) => boolean): number => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < perRound; i++) if (!work(i)) throw new Error(`case ${i % parsed.length} did not rate`)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return perRound / seconds
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const measure = (name: string, work: (i: number) => boolean): void => {
  perSecond(work) // warm-up: JIT, formatter and offset caches
  const samples = Array.from({ length: rounds }, () => perSecond(work))
  const med = median(samples)
  console.log(
    `${name.padEnd(26)} median ${Math.round(med).toLocaleString('en')} CDRs/s ` +
      `(min ${Math.round(Math.min(...samples)).toLocaleString('en')}, max ${Math.round(Math.max(...samples)).toLocaleString('en')}) ` +
      `ratio to goal ${(med / GOAL_PER_SECOND).toFixed(2)}`,
  )
}

console.log(`node ${process.version}, ${rounds} rounds × ${perRound} CDRs, mix of ${parsed.length} cases, one thread`)
measure('engine (parsed input)', engineOnly)
measure('adapter + engine (JSON)', fromJson)
