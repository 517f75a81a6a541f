// `npm run --silent rate -- <case.json>`: rates one CDR with the customer's BMW Charging plan and
// prints the result as JSON. The case file holds `contract`, an OCPI 2.2.1 `cdr`, optionally the
// OCPI `location` and, for a credit CDR, the `original_cdr` it reverses.
// Exit codes: 0 rated; 2 bad input or a CDR that cannot be rated (message on stderr).
import { failWith, readCaseFile } from './lib/case-file.js'
import { CdrSchema } from '../src/ocpi/cdrs/cdrs.schema.js'
import { LocationSchema } from '../src/ocpi/locations/locations.schema.js'
import { describeZodError } from '../src/ocpi/v221/validation.js'
import { defaultCatalog } from '../src/rating/catalog/catalog.js'
import { operatorRegistrySeed } from '../src/rating/catalog/operators.seed.js'
import { rateCdr } from '../src/rating/engine/rate-cdr.js'
import type { RatedCdr, RatingResult } from '../src/rating/engine/rating.types.js'
import { fromOcpiRatingCase, type RatingCase, toRatingJson } from '../src/rating/rating.convert.js'

const fail = failWith('rate')
const readCase = (path: string | undefined) => readCaseFile('rate', path)

/** The OCPI wire schemas first, so a malformed CDR or Location is reported as the spec sees it. */
const checkWireShapes = (raw: unknown): void => {
  if (typeof raw !== 'object' || raw === null) fail('the case file must hold a JSON object')
  const obj = raw as Record<string, unknown>
  const checks: [string, { safeParse: (v: unknown) => { success: boolean; error?: unknown } }][] = [['cdr', CdrSchema]]
  if (obj.location !== undefined) checks.push(['location', LocationSchema])
  if (obj.original_cdr !== undefined) checks.push(['original_cdr', CdrSchema])
  for (const [key, schema] of checks) {
    const parsed = schema.safeParse(obj[key])
    if (!parsed.success) {
      const details = describeZodError(parsed.error as Parameters<typeof describeZodError>[0]).replace(/^/gm, `  ${key}.`)
      fail(`invalid OCPI ${key}:\n${details}`)
    }
  }
}

const rate = (input: RatingCase): RatingResult => {
  const shared = { contract: input.contract, location: input.location, catalog: defaultCatalog, operators: operatorRegistrySeed }
  let original: RatedCdr | undefined
  if (input.originalCdr) {
    const rated = rateCdr({ ...shared, cdr: input.originalCdr })
    if (!rated.ok) return rated
    original = rated
  }
  return rateCdr({ ...shared, cdr: input.cdr, ...(original ? { original } : {}) })
}

const main = (): void => {
  const raw = readCase(process.argv[2])
  checkWireShapes(raw)
  const parsed = fromOcpiRatingCase(raw)
  if (!parsed.ok) return fail(`invalid ${parsed.error.field}: ${parsed.error.message}`)
  const result = rate(parsed.value)
  if (!result.ok) return fail(`cannot rate (${result.code}): ${result.message}`)
  process.stdout.write(`${JSON.stringify(toRatingJson(result), null, 2)}\n`)
}

main()
