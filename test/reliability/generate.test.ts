import t from 'tap'
import { CdrSchema } from '../../src/ocpi/cdrs/cdrs.schema.js'
import { EvsePatchSchema, LocationSchema } from '../../src/ocpi/locations/locations.schema.js'
import { SessionPatchSchema, SessionSchema } from '../../src/ocpi/sessions/sessions.schema.js'
import { TariffSchema } from '../../src/ocpi/tariffs/tariffs.schema.js'
import { generateTraffic, OPERATORS } from '../../scripts/replay/generate.js'
import { parseRecording, partiesOf, toNdjson, type RecordedLine } from '../../scripts/replay/recording.js'
import { progressReporter } from '../../scripts/replay/progress.js'
import { bind } from '../../scripts/replay/sender.js'

// The generator and the progress output, without a server (the replay test sends generated-style traffic for real).
t.test('generated traffic: deterministic, in the recording format, every body valid on the wire', async (t) => {
  const opts = { sessions: 60, seed: 5, patchesPerSession: 4, flapsPerSession: 3 }
  const lines = generateTraffic(opts)
  t.equal(toNdjson(generateTraffic(opts)), toNdjson(lines), 'same seed, same traffic')
  t.not(toNdjson(generateTraffic({ ...opts, seed: 6 })), toNdjson(lines), 'another seed, other traffic')
  t.same(parseRecording(toNdjson(lines)).lines, lines, 'round-trips through NDJSON and the format check')
  t.same(
    partiesOf(lines)
      .map((p) => `${p.countryCode}/${p.partyId}`)
      .sort(),
    OPERATORS.map((o) => `${o.party.countryCode}/${o.party.partyId}`).sort(),
  )

  const bindings = new Map(
    [...new Set(lines.flatMap((l) => (l.module === 'customers' ? [l.ref] : [])))].map((ref) => [
      ref,
      { contract_id: 'DE-BMW-C00000001-4', token_uid: 'ABCDEF0123456789', customer_id: 'c' },
    ]),
  )
  const count = (m: RecordedLine['module'], method: string) => lines.filter((l) => l.module === m && l.method === method).length
  t.equal(count('cdrs', 'POST'), 60, 'one CDR per session')
  t.equal(count('sessions', 'PUT'), 60)
  t.equal(count('sessions', 'PATCH'), 60 * 5, 'four period PATCHes and the COMPLETED one per session')
  t.equal(count('locations', 'PATCH'), 60 * (3 + 1 + 2), 'three flaps, back to AVAILABLE (odd flaps), CHARGING and AVAILABLE per session')
  const invalid: string[] = []
  for (const l of lines) {
    const body = bind(l.body, bindings)
    const schema =
      l.module === 'cdrs'
        ? CdrSchema
        : l.module === 'tariffs'
          ? TariffSchema
          : l.module === 'locations'
            ? l.method === 'PUT'
              ? LocationSchema
              : EvsePatchSchema
            : l.module === 'sessions'
              ? l.method === 'PUT'
                ? SessionSchema
                : SessionPatchSchema
              : undefined
    if (schema && !schema.safeParse(body).success) invalid.push(`${l.method} ${l.module}${l.path}`)
  }
  t.same(invalid, [], 'every OCPI body passes its wire schema')
  const cdrs = lines
    .filter((l) => l.module === 'cdrs')
    .map((l) => l.body as { total_cost: { excl_vat: number }; total_energy: number; cdr_location: { connector_power_type: string } })
  const overcharged = cdrs.filter(
    (c) => Math.abs(c.total_cost.excl_vat - c.total_energy * (c.cdr_location.connector_power_type === 'DC' ? 0.49 : 0.29)) > 0.01,
  )
  t.equal(overcharged.length, 1, 'every 50th CDR disagrees with its tariff (the audit must flag it)')
})

t.test('progress: a redrawn bar on a TTY, a plain line per 10% otherwise', async (t) => {
  const written: string[] = []
  const plain = progressReporter({ isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream)
  for (let done = 0; done <= 40; done++) plain.update({ done, total: 40, refused: done > 20 ? 1 : 0 })
  t.equal(written.length, 11, '0%, 10% … 100%')
  t.equal(written.at(-1), 'replay: 40/40 (100%), 1 refused\n')
  t.ok(written.every((s) => !s.includes('\r')))
  const tty: string[] = []
  const bar = progressReporter({ isTTY: true, write: (s: string) => tty.push(s) } as unknown as NodeJS.WriteStream)
  bar.update({ done: 0, total: 4, refused: 0 })
  bar.update({ done: 4, total: 4, refused: 0 })
  t.match(tty[0], /^\rreplay \[\.{30}\] 0\/4 sent, 0 refused$/)
  t.match(tty.slice(1).join(''), /^\rreplay \[#{30}\] 4\/4 sent, 0 refused\n$/, 'ends with a newline')
})
