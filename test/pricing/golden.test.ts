// Walks every folder of test/fixtures/pricing: tariff.json (or tariffs.json, or the CDR's embedded
// tariffs), one or more cdr*.json and expected.json with hand-computed values (see each `note`).
// Each case is priced from the OCPI JSON (read by the intake's readers, as `npm run price` reads it)
// and, when the CDR states a total, audited too: a CDR whose
// stated totals are the hand-computed ones must not be flagged.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { readPricingCase } from '../../src/ocpi/pricing-case.js'
import { auditCdr, Dec, priceCdr, toPricingJson } from '../../src/pricing/index.js'
import type { PricingJson } from '../../src/pricing/index.js'

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'pricing')
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

type PriceExpectation = { excl_vat: string; incl_vat: string }
interface CaseExpectation {
  tariff_file?: string
  error?: string
  price_cap?: string | null
  price_cap_before?: PriceExpectation
  billed?: Record<string, string>
  warnings?: string[]
  lines?: { period: number; dimension: string; element_index: number | null; billed_volume: string }[]
  [total: string]: unknown
}

const TOTALS = [
  'total_cost',
  'total_energy_cost',
  'total_time_cost',
  'total_parking_cost',
  'total_fixed_cost',
  'total_reservation_cost',
] as const

function samePrice(t: Test, actual: { excl_vat: string; incl_vat: string }, expected: PriceExpectation, what: string): void {
  t.ok(new Dec(actual.excl_vat).eq(expected.excl_vat), `${what} excl_vat: ${actual.excl_vat} = ${expected.excl_vat}`)
  t.ok(new Dec(actual.incl_vat).eq(expected.incl_vat), `${what} incl_vat: ${actual.incl_vat} = ${expected.incl_vat}`)
}

function checkReport(t: Test, out: PricingJson, expected: CaseExpectation): void {
  for (const total of TOTALS) {
    if (expected[total]) samePrice(t, out[total], expected[total] as PriceExpectation, total)
  }
  if ('price_cap' in expected) t.equal(out.price_cap.applied, expected.price_cap, 'price cap')
  if (expected.price_cap_before) samePrice(t, out.price_cap.before, expected.price_cap_before, 'before the price cap')
  for (const [key, value] of Object.entries(expected.billed ?? {})) {
    t.ok(
      new Dec(out.billed[key as keyof PricingJson['billed']]).eq(value),
      `billed ${key}: ${out.billed[key as keyof PricingJson['billed']]} = ${value}`,
    )
  }
  if (expected.warnings) t.same(out.warnings.map((w) => w.code).sort(), [...expected.warnings].sort(), 'warning codes')
  for (const want of expected.lines ?? []) {
    const line = out.periods[want.period]?.lines.find((l) => l.dimension === want.dimension)
    t.ok(line, `period ${want.period} has a ${want.dimension} line`)
    t.equal(line?.element_index, want.element_index, `period ${want.period} ${want.dimension} element`)
    t.ok(
      line && new Dec(line.billed_volume).eq(want.billed_volume),
      `period ${want.period} ${want.dimension} billed ${line?.billed_volume} = ${want.billed_volume}`,
    )
  }
}

function tariffsOf(dir: string, expected: CaseExpectation): unknown[] | undefined {
  if (expected.tariff_file) return [readJson(join(dir, expected.tariff_file))]
  if (existsSync(join(dir, 'tariffs.json'))) return readJson(join(dir, 'tariffs.json')) as unknown[]
  if (existsSync(join(dir, 'tariff.json'))) return [readJson(join(dir, 'tariff.json'))]
  return undefined // the CDR's embedded tariffs
}

const scenarios = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
t.ok(scenarios.length >= 30, `golden corpus has ${scenarios.length} scenarios`)

for (const scenario of scenarios) {
  t.test(scenario, async (t) => {
    const dir = join(ROOT, scenario)
    const spec = readJson(join(dir, 'expected.json')) as { note: string; time_zone?: string; cases: Record<string, CaseExpectation> }
    t.ok(spec.note.length > 20, 'the expectation explains its hand computation')
    const cdrFiles = readdirSync(dir)
      .filter((f) => /^cdr.*\.json$/.test(f))
      .sort()
    t.same(Object.keys(spec.cases).sort(), cdrFiles, 'every CDR file has an expectation')
    for (const [file, expected] of Object.entries(spec.cases)) {
      t.test(file, async (t) => {
        const cdr = readJson(join(dir, file)) as Record<string, unknown>
        const tariffs = tariffsOf(dir, expected)
        const read = readPricingCase({ cdr, ...(tariffs ? { tariffs } : {}), ...(spec.time_zone ? { time_zone: spec.time_zone } : {}) })
        if (!read.ok) throw new Error(`input rejected: ${read.message}`)
        t.same(read.value.deviations, [], 'the golden CDRs conform to OCPI 2.2.1')
        const priced = priceCdr(read.value.input)
        if (expected.error) {
          t.equal(priced.ok ? 'priced' : priced.error.code, expected.error, 'typed error')
          return
        }
        if (!priced.ok) throw new Error(`not priced: ${priced.error.message}`)
        checkReport(t, toPricingJson(priced.value), expected)
        if (cdr.total_cost === undefined) return
        if (!read.value.claimed) throw new Error('a CDR with total_cost states its totals')
        const audit = auditCdr({ pricing: read.value.input, claimed: read.value.claimed })
        t.equal(audit.ok && audit.value.disputed, false, 'the CDR totals pass the audit')
      })
    }
  })
}
