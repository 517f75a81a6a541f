import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { parseRecording, partiesOf, readRecording } from '../../scripts/replay/recording.js'
import { bind } from '../../scripts/replay/sender.js'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const run = promisify(execFile)
const FIXTURE = 'test/fixtures/replay'

t.test('the recorded set replays through the CLI; rated totals and disputes match the hand computation', async (t) => {
  const emsp = await startTestApp(t, { startJobs: true, env: { JOBS_POLL_MS: '50' } })
  const { stdout } = await run(
    process.execPath,
    [...TS_NODE_ARGS, 'scripts/replay.ts', FIXTURE, '--url', emsp.url, '--json', '--wait', '40'],
    {
      env: { ...process.env, ADMIN_TOKEN },
      timeout: 50_000,
    },
  )
  const report = JSON.parse(stdout)
  t.notOk(report.partnerToken, 'the partner token is not printed')

  t.test('what was sent and refused', async (t) => {
    t.equal(report.sent.acks.length, 15)
    t.same(
      report.sent.refusals.map((r: { index: number; statusCode: number }) => [r.index + 1, r.statusCode]),
      [
        [16, 2001],
        [17, 2001],
      ],
      'id mismatch and a changed CDR are refused with 2001',
    )
    t.same(report.byModule.cdrs, { acknowledged: 6, refused: 1 })
    const cdr1 = report.sent.acks.filter((a: { index: number }) => a.index === 9 || a.index === 10)
    t.same(
      cdr1.map((a: { created: boolean }) => a.created),
      [true, false],
      'the resent CDR-1 is acknowledged as identical',
    )
    t.equal(cdr1[0].cdrId, cdr1[1].cdrId, 'same Location both times')
  })

  t.test('rating and audit read back through the admin API', async (t) => {
    const r = report.rating
    t.equal(r.pending, 0)
    t.equal(r.rated, 4)
    t.same(r.unratedReasons, { unknown_contract: 1 }, 'CDR-5 carries a token we never issued')
    // By hand, German price list (003_…): DE DC 40 kWh × 0.55 + 0.59 session fee = 22.59 (30 min, no blocking);
    // DE AC 20 kWh × 0.36 + 0.59 = 7.79 (120 min < 180). DK AC 10 kWh × 3.49 + 4.49 = 39.39 DKK (60 min < 240).
    // Bulgaria is pass-through: the CDR's total_cost.incl_vat 12.34 BGN.
    t.same(r.totals, { BGN: '12.34', DKK: '39.39', EUR: '30.38' })
    // Audit against the stored tariffs (excl. VAT): CDR-1 40 × 0.50 = 20.00 = claimed 20.00; CDR-2 20 × 0.30 = 6.00 ≠ 9.99.
    t.equal(r.disputes, 1)
    t.equal(r.doubleCharged, 0, 'the CDR sent twice has one charge')
  })
})

t.test('the recording format', async (t) => {
  const rec = readRecording(FIXTURE)
  t.equal(rec.lines.length, 17)
  t.match(rec.origins[0], /recording\.ndjson:1$/)
  t.same(partiesOf(rec.lines), [{ countryCode: 'DE', partyId: 'RPL' }])
  t.throws(
    () => parseRecording('{"at":"2025-01-01T00:00:00Z","module":"locations","method":"PUT","path":"/DE/X"}\n{oops', 'f.ndjson'),
    /f\.ndjson:2: not JSON/,
  )
  t.throws(() => parseRecording('{"at":"yesterday","module":"locations","method":"PUT","path":""}', 'f.ndjson'), /f\.ndjson:1: at:/)
  t.throws(
    () => parseRecording('{"at":"2025-01-01T00:00:00Z","module":"commands","method":"PUT","path":""}', 'f.ndjson'),
    /f\.ndjson:1: module/,
  )
  t.same(parseRecording('\n\n').lines, [], 'blank lines are skipped')
  const bindings = new Map([['a', { contract_id: 'DE-BMW-C1', token_uid: 'U1', customer_id: 'c' }]])
  t.same(
    bind({ x: ['{{a.token_uid}}', 'id {{a.contract_id}}', '{{b.token_uid}}', 3] }, bindings),
    { x: ['U1', 'id DE-BMW-C1', '{{b.token_uid}}', 3] },
    'unknown refs stay as written',
  )
})
