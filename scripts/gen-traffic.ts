/**
 * Writes synthetic OCPI traffic in the replay recording format (scripts/replay/README.md).
 *
 *   npm run --silent gen:traffic -- --sessions 1000 --seed 7 --out /tmp/traffic.ndjson
 *   npm run replay -- /tmp/traffic.ndjson --url http://127.0.0.1:3000
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { generateTraffic } from './replay/generate.js'
import { toNdjson } from './replay/recording.js'

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    customers: { type: 'string' },
    locations: { type: 'string' },
    patches: { type: 'string', default: '6' },
    flaps: { type: 'string', default: '2' },
    prefix: { type: 'string', default: 'G' },
    start: { type: 'string', default: '2025-03-03T06:00:00Z' },
    out: { type: 'string' },
  },
})

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name}: a non-negative integer, got ${v}`)
    process.exit(2)
  }
  return n
}

const lines = generateTraffic({
  sessions: int('sessions', values.sessions)!,
  seed: int('seed', values.seed)!,
  customers: int('customers', values.customers),
  locations: int('locations', values.locations),
  patchesPerSession: int('patches', values.patches),
  flapsPerSession: int('flaps', values.flaps),
  idPrefix: values.prefix,
  startAt: values.start,
})
const text = toNdjson(lines)
if (values.out) {
  writeFileSync(values.out, text)
  console.error(`${lines.length} lines written to ${values.out}`)
} else process.stdout.write(text)
