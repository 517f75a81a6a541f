// Runs the pinned command line on one golden case (assembled into a case file) and on bad input.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { runScript } from '../helpers/script.js'

const ROOT = join(import.meta.dirname, '..', '..')
const GOLDEN = join(ROOT, 'test', 'fixtures', 'pricing', 'spec-t04-complex-saturday')
const dir = mkdtempSync(join(tmpdir(), 'price-cli-'))

const price = (file: string) => runScript('scripts/price.ts', [file], { cwd: ROOT })

t.test('a golden case prints the report as JSON', async (t) => {
  const file = join(dir, 'case.json')
  const read = (name: string) => JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as unknown
  writeFileSync(file, JSON.stringify({ tariffs: [read('tariff.json')], cdr: read('cdr.json') }))
  const out = await price(file)
  t.equal(out.code, 0, out.stderr)
  const json = JSON.parse(out.stdout) as Record<string, { excl_vat: string; incl_vat: string }>
  t.same(json.total_cost, { excl_vat: '12.3750', incl_vat: '13.9750' })
  t.same(json.total_parking_cost, { excl_vat: '7.5000', incl_vat: '8.2500' })
  t.equal((json as unknown as { time_zone: string }).time_zone, 'Europe/Berlin', 'zone from the CDR location country DEU')
})

t.test('bad input exits with 2 and says what is wrong', async (t) => {
  const notJson = join(dir, 'broken.json')
  writeFileSync(notJson, '{ "cdr": ')
  const broken = await price(notJson)
  t.equal(broken.code, 2)
  t.match(broken.stderr, /is not valid JSON/)

  const badTariff = join(dir, 'bad-tariff.json')
  const cdr = JSON.parse(readFileSync(join(GOLDEN, 'cdr.json'), 'utf8')) as unknown
  writeFileSync(
    badTariff,
    JSON.stringify({
      tariff: {
        country_code: 'DE',
        party_id: 'ALL',
        id: 'X',
        currency: 'EUR',
        last_updated: '2024-01-01T00:00:00Z',
        elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }], restrictions: { start_time: '25:00' } }],
      },
      cdr,
    }),
  )
  const bad = await price(badTariff)
  t.equal(bad.code, 2)
  t.match(bad.stderr, /start_time/)

  const noZone = join(dir, 'no-zone.json')
  writeFileSync(
    noZone,
    JSON.stringify({
      tariffs: [JSON.parse(readFileSync(join(GOLDEN, 'tariff.json'), 'utf8'))],
      cdr: { ...(cdr as object), cdr_location: { ...(cdr as { cdr_location: object }).cdr_location, country: 'USA' } },
    }),
  )
  const zone = await price(noZone)
  t.equal(zone.code, 2)
  t.match(zone.stderr, /time_zone_unknown: no time zone for country "USA"/)
})

t.test('a CDR as a CPO really sends it is priced as the CDRs Receiver reads it', async (t) => {
  const file = join(dir, 'deviant.json')
  const read = (name: string) => JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as Record<string, unknown>
  const cdr = read('cdr.json')
  // offsets, amounts and volumes as strings, lower-case enums and currency, as seen from real CPOs
  const deviant = {
    ...cdr,
    currency: 'eur',
    start_date_time: String(cdr.start_date_time).replace('Z', '+00:00'),
    total_energy: String(cdr.total_energy),
    charging_periods: (cdr.charging_periods as { dimensions: { type: string; volume: number }[] }[]).map((p) => ({
      ...p,
      dimensions: p.dimensions.map((d) => ({ type: d.type.toLowerCase(), volume: String(d.volume) })),
    })),
  }
  writeFileSync(file, JSON.stringify({ tariffs: [read('tariff.json')], cdr: deviant }))
  const out = await price(file)
  t.equal(out.code, 0, out.stderr)
  const json = JSON.parse(out.stdout) as Record<string, { excl_vat: string; incl_vat: string }>
  t.same(json.total_cost, { excl_vat: '12.3750', incl_vat: '13.9750' }, 'the same price as the conforming CDR')
})

t.test('a shipped golden folder runs as it is, checked against its expected.json', async (t) => {
  const out = await price(join(ROOT, 'test', 'fixtures', 'pricing', 'kwh-tiers'))
  t.equal(out.code, 0, out.stderr)
  const json = JSON.parse(out.stdout) as Record<string, { report: { total_cost: unknown }; expected: { ok: boolean } }>
  t.same(Object.keys(json).sort(), ['cdr-not-split.json', 'cdr-split-at-thresholds.json'])
  t.ok(
    Object.values(json).every((c) => c.expected.ok),
    'every expected total met',
  )
  const bad = join(dir, 'golden-copy')
  mkdirSync(bad)
  for (const f of ['tariff.json', 'cdr-not-split.json'])
    copyFileSync(join(ROOT, 'test', 'fixtures', 'pricing', 'kwh-tiers', f), join(bad, f))
  writeFileSync(
    join(bad, 'expected.json'),
    JSON.stringify({
      note: 'a wrong expectation',
      cases: { 'cdr-not-split.json': { total_cost: { excl_vat: '1.0000', incl_vat: '1.0000' } } },
    }),
  )
  const wrong = await price(bad)
  t.equal(wrong.code, 1, 'an unmet expectation exits with 1')
  t.match(JSON.parse(wrong.stdout)['cdr-not-split.json'].expected, {
    ok: false,
    mismatches: [/^total_cost\.excl_vat: /, /^total_cost\.incl_vat: /],
  })
})
