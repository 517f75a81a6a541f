/**
 * Replays recorded OCPI traffic into a running eMSP as a registered CPO (format and options in
 * scripts/replay/README.md).
 *
 *   ADMIN_TOKEN=… npm run replay -- test/fixtures/replay --url http://127.0.0.1:3000
 *   npm run replay -- traffic.ndjson --url … --token <partner token> [--pace 10] [--ack-file acks.ndjson]
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { progressReporter } from './replay/progress.js'
import { readRecording, RecordingError } from './replay/recording.js'
import { replay, type ReplayReport } from './replay/run.js'
import type { Ack, Binding } from './replay/sender.js'

const usage = 'usage: npm run replay -- <dir or .ndjson> [--url http://127.0.0.1:3000] [--token T | ADMIN_TOKEN=…] [--name N] [--pace N] [--wait S] [--ack-file F] [--json]'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    token: { type: 'string' },
    name: { type: 'string', default: 'Replay CPO' },
    pace: { type: 'string', default: '0' },
    wait: { type: 'string', default: '60' },
    'ack-file': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
})

/** Acknowledged lines of an earlier run (after a crash): skipped, their customer ids reused. */
const readAcks = (file: string | undefined) => {
  const skip = new Set<number>()
  const bindings = new Map<string, Binding>()
  if (!file || !existsSync(file)) return { skip, bindings }
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (!raw.trim()) continue
    const ack = JSON.parse(raw) as Ack
    skip.add(ack.index)
    if (ack.ref && ack.binding) bindings.set(ack.ref, ack.binding)
  }
  return { skip, bindings }
}

const printSummary = (r: ReplayReport) => {
  const acked = r.sent.acks.length
  const out = [`sent ${acked + r.sent.refusals.length} objects: ${acked} acknowledged, ${r.sent.refusals.length} refused`]
  for (const [m, c] of Object.entries(r.byModule)) out.push(`  ${m.padEnd(14)} ${c.acknowledged} acknowledged, ${c.refused} refused`)
  for (const f of r.sent.refusals.slice(0, 20)) out.push(`  refused line ${f.index + 1}: ${f.method} ${f.module}${f.path} HTTP ${f.status} ${f.statusCode ?? ''} ${f.message}`)
  if (r.sent.aborted) out.push(`ABORTED at line ${r.sent.aborted.index + 1}: ${r.sent.aborted.error} (rerun with the same --ack-file to resend the rest)`)
  if (!r.rating) out.push('rating and disputes: not read (needs ADMIN_TOKEN for the admin API)')
  else {
    const g = r.rating
    out.push(`CDRs: ${g.rated} rated, ${g.unrated} unrated, ${g.pending} still pending`)
    for (const [currency, total] of Object.entries(g.totals)) out.push(`  rated total ${currency} ${total}`)
    for (const [code, n] of Object.entries(g.unratedReasons)) out.push(`  unrated: ${code} × ${n}`)
    out.push(`audit disputes: ${g.disputes}`)
    if (g.doubleCharged > 0) out.push(`WARNING: ${g.doubleCharged} CDRs have more than one charge`)
  }
  process.stdout.write(out.join('\n') + '\n')
}

const main = async () => {
  const source = positionals[0]
  if (!source) {
    console.error(usage)
    process.exit(2)
  }
  const recording = readRecording(source)
  const ackFile = values['ack-file']
  const { skip, bindings } = readAcks(ackFile)
  const progress = progressReporter(process.stderr)
  const report = await replay(recording, {
    url: values.url!, token: values.token, adminToken: process.env.ADMIN_TOKEN, partnerName: values.name,
    pace: Number(values.pace), waitMs: Number(values.wait) * 1000, skip, bindings,
    onProgress: (p) => progress.update(p),
    ...(ackFile ? { onAck: (_i: number, ack: Ack) => appendFileSync(ackFile, JSON.stringify(ack) + '\n') } : {}),
  })
  if (values.json) {
    const { partnerToken: _secret, ...shown } = report
    process.stdout.write(JSON.stringify({ ...shown, sent: { ...shown.sent, bindings: Object.fromEntries(shown.sent.bindings) } }) + '\n')
  } else printSummary(report)
  process.exit(report.sent.aborted ? 1 : 0)
}

main().catch((err) => {
  console.error(err instanceof RecordingError ? err.message : err)
  process.exit(2)
})
