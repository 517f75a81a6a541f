// `npm run --silent price -- <case.json | folder>`: prices one CDR (or session) with OCPI 2.2.1
// tariffs and prints the report as JSON.
// - A case file holds `tariffs` (array) or `tariff` (else the CDR's embedded tariffs), `cdr` (an
//   OCPI CDR as a CPO sends it, a partial one with only what pricing needs, or a Session) and
//   optionally `time_zone` or `location` (an OCPI Location); without either, the zone comes from
//   the CDR location's country. It is read by the CDRs Receiver's own tolerant readers.
// - A folder is a golden case as shipped in test/fixtures/pricing/<name>/: `tariff.json` (or
//   `tariffs.json`, or the CDR's embedded tariffs), every `cdr*.json` and `expected.json` (zone,
//   per-CDR tariff file, expected totals). Prints `{ "<cdr file>": { report, expected } }` where
//   `expected` says whether every expected total matches.
// Exit codes: 0 priced (and, for a folder, every expectation met); 1 a folder's expectation not
// met; 2 bad input or a case that cannot be priced (message on stderr).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readPricingCase } from '../src/ocpi/pricing-case.js'
import { Dec, priceCdr, toPricingJson, type PricingJson } from '../src/pricing/index.js'
import { failWith, readCaseFile } from './lib/case-file.js'

const fail = failWith('price')

/** Prices one case; exits with 2 on bad input. */
const priceCase = (raw: unknown, name?: string): PricingJson => {
  const where = name ? `${name}: ` : ''
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${where}the case file must hold a JSON object`)
  if (typeof (raw as { cdr?: unknown }).cdr !== 'object') return fail(`${where}the case file needs a "cdr" (an OCPI CDR or Session)`)
  const read = readPricingCase(raw)
  if (!read.ok) return fail(`${where}${read.code}: ${read.message}`)
  const priced = priceCdr(read.value.input)
  if (!priced.ok)
    return fail(`${where}${priced.error.code}${priced.error.field ? ` (${priced.error.field})` : ''}: ${priced.error.message}`)
  return toPricingJson(priced.value)
}

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return fail(`cannot read ${path}: ${(error as Error).message}`)
  }
}

type Price = { excl_vat: string; incl_vat: string }
const TOTALS = [
  'total_cost',
  'total_energy_cost',
  'total_time_cost',
  'total_parking_cost',
  'total_fixed_cost',
  'total_reservation_cost',
] as const

/** Expected totals that the report misses, as `total_cost.excl_vat: 12.3750 ≠ 12.38`. */
const mismatches = (report: PricingJson, expected: Record<string, unknown>): string[] =>
  TOTALS.flatMap((total) => {
    const want = expected[total] as Price | undefined
    if (!want) return []
    return (['excl_vat', 'incl_vat'] as const)
      .filter((vat) => !new Dec(report[total][vat]).eq(want[vat]))
      .map((vat) => `${total}.${vat}: ${report[total][vat]} ≠ ${want[vat]}`)
  })

/** A golden folder: every CDR priced with the folder's tariff(s) and checked against expected.json. */
const priceFolder = (dir: string): number => {
  const spec = (existsSync(join(dir, 'expected.json')) ? readJson(join(dir, 'expected.json')) : {}) as {
    time_zone?: string
    cases?: Record<string, Record<string, unknown>>
  }
  const cdrFiles = readdirSync(dir)
    .filter((f) => /^cdr.*\.json$/.test(f))
    .sort()
  if (cdrFiles.length === 0) return fail(`${dir}: no cdr*.json in the folder`)
  const out: Record<string, unknown> = {}
  let failed = 0
  for (const file of cdrFiles) {
    const expected = spec.cases?.[file] ?? {}
    const tariffFile = typeof expected.tariff_file === 'string' ? expected.tariff_file : undefined
    const tariffs = tariffFile
      ? [readJson(join(dir, tariffFile))]
      : existsSync(join(dir, 'tariffs.json'))
        ? (readJson(join(dir, 'tariffs.json')) as unknown[])
        : existsSync(join(dir, 'tariff.json'))
          ? [readJson(join(dir, 'tariff.json'))]
          : undefined
    const kase = {
      cdr: readJson(join(dir, file)),
      ...(tariffs ? { tariffs } : {}),
      ...(spec.time_zone ? { time_zone: spec.time_zone } : {}),
    }
    if (typeof expected.error === 'string') {
      // a case whose expected outcome is a typed pricing error
      const read = readPricingCase(kase)
      const code = read.ok
        ? priceCdr(read.value.input).ok
          ? 'priced'
          : (priceCdr(read.value.input) as { error: { code: string } }).error.code
        : read.code
      if (code !== expected.error) failed++
      out[file] = { error: code, expected: { ok: code === expected.error, error: expected.error } }
      continue
    }
    const report = priceCase(kase, `${dir}/${file}`)
    const misses = mismatches(report, expected)
    if (misses.length > 0) failed++
    out[file] = { report, expected: { ok: misses.length === 0, mismatches: misses } }
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  return failed === 0 ? 0 : 1
}

const target = process.argv[2]
if (target && existsSync(target) && statSync(target).isDirectory()) process.exitCode = priceFolder(target)
else process.stdout.write(`${JSON.stringify(priceCase(readCaseFile('price', target)), null, 2)}\n`)
