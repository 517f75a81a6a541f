// `npm run --silent rate -- <case.json>`: rates one CDR with the customer's BMW Charging plan and
// prints the result as JSON. The case file holds `contract`, an OCPI 2.2.1 `cdr` (as a CPO sends it:
// the CDRs Receiver's tolerant readers apply; or partial, with only what rating needs), optionally
// the OCPI `location` (which also completes what the CDR leaves out) and, for a credit CDR, the
// `original_cdr` it reverses.
// Exit codes: 0 rated; 2 bad input or a CDR that cannot be rated (message on stderr).
import { defaultCatalog, operatorRegistrySeed } from '../src/catalog/index.js'
import { rateCdr } from '../src/rating/engine/rate-cdr.js'
import type { RatedCdr, RatingResult } from '../src/rating/engine/rating.types.js'
import { readRatingCase, type RatingCase, toRatingJson } from '../src/rating/rating.convert.js'
import { failWith, readCaseFile } from './lib/case-file.js'

const fail = failWith('rate')

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
  const parsed = readRatingCase(readCaseFile('rate', process.argv[2]))
  if (!parsed.ok) {
    const { field, message } = parsed.error
    fail(`invalid input: ${message.startsWith(field) ? message : `${field}: ${message}`}`)
    return
  }
  const result = rate(parsed.value)
  if (!result.ok) {
    fail(`cannot rate (${result.code}): ${result.message}`)
    return
  }
  process.stdout.write(`${JSON.stringify(toRatingJson(result), null, 2)}\n`)
}

main()
