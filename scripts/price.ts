// `npm run --silent price -- <case.json>`: prices one CDR (or session) with OCPI 2.2.1 tariffs and
// prints the report as JSON. The case file holds `tariffs` (array) or `tariff`, `cdr` (an OCPI CDR,
// or a Session with charging periods) and optionally `time_zone` or `location` (an OCPI Location);
// without either, the zone comes from the CDR location's country.
// Exit codes: 0 priced; 2 bad input or a case that cannot be priced (message on stderr).
import { failWith, readCaseFile } from './lib/case-file.js'
import { CdrSchema } from '../src/ocpi/cdrs/cdrs.schema.js'
import { LocationSchema } from '../src/ocpi/locations/locations.schema.js'
import { SessionSchema } from '../src/ocpi/sessions/sessions.schema.js'
import { TariffSchema } from '../src/ocpi/tariffs/tariffs.schema.js'
import { describeZodError } from '../src/ocpi/v221/validation.js'
import { fromOcpiPricingCase, priceCdr, toPricingJson } from '../src/pricing/index.js'

const fail = failWith('price')
const readCase = (path: string | undefined) => readCaseFile('price', path)

type Schema = { safeParse: (v: unknown) => { success: boolean; error?: unknown } }

/** The OCPI wire schemas first, so a malformed object is reported the way the spec sees it. */
const checkWireShapes = (raw: unknown): void => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('the case file must hold a JSON object')
  const obj = raw as Record<string, unknown>
  if (typeof obj.cdr !== 'object' || obj.cdr === null) return fail('the case file needs a "cdr" (an OCPI CDR or Session)')
  const isCdr = 'cdr_location' in obj.cdr
  const checks: [string, unknown, Schema][] = [['cdr', obj.cdr, isCdr ? CdrSchema : SessionSchema]]
  if (obj.tariff !== undefined) checks.push(['tariff', obj.tariff, TariffSchema])
  if (Array.isArray(obj.tariffs)) obj.tariffs.forEach((t, i) => checks.push([`tariffs[${i}]`, t, TariffSchema]))
  if (obj.location !== undefined) checks.push(['location', obj.location, LocationSchema])
  for (const [key, value, schema] of checks) {
    const parsed = schema.safeParse(value)
    if (!parsed.success) {
      const details = describeZodError(parsed.error as Parameters<typeof describeZodError>[0]).replace(/^/gm, `  ${key}.`)
      fail(`invalid OCPI ${key}:\n${details}`)
    }
  }
}

const raw = readCase(process.argv[2])
checkWireShapes(raw)
const input = fromOcpiPricingCase(raw)
if (!input.ok) fail(`${input.error.code}: ${input.error.message}`)
else {
  const priced = priceCdr(input.value)
  if (!priced.ok) fail(`${priced.error.code}${priced.error.field ? ` (${priced.error.field})` : ''}: ${priced.error.message}`)
  else process.stdout.write(`${JSON.stringify(toPricingJson(priced.value), null, 2)}\n`)
}
