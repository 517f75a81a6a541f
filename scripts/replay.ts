/**
 * Replays recorded OCPI traffic into a running eMSP as a registered CPO (format and options in
 * scripts/replay/README.md).
 *
 *   ADMIN_TOKEN=… npm run replay -- test/fixtures/replay --url http://127.0.0.1:3000
 *   npm run replay -- traffic.ndjson --url … --token <partner token> [--pace 10] [--ack-file acks.ndjson]
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { baseUrl, parseCommandLine, unreachableMessage, USAGE_EXIT, UsageError } from './lib/cli.js'
import { progressReporter } from './replay/progress.js'
import { readRecording, RecordingError } from './replay/recording.js'
import { ReplayError } from './replay/register.js'
import { replay, type ReplayReport } from './replay/run.js'
import type { Ack, Binding } from './replay/sender.js'

const usage =
  'usage: npm run replay -- <dir or .ndjson> [--url http://127.0.0.1:3000] [--token T | ADMIN_TOKEN=…] [--name N] [--pace N] [--wait S] [--ack-file F] [--json]'

const OPTIONS = {
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  token: { type: 'string' },
  name: { type: 'string', default: 'Replay CPO' },
  pace: { type: 'string', default: '0' },
  wait: { type: 'string', default: '60' },
  'ack-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const

/** A non-negative number option, or a UsageError naming it. */
const numberOption = (name: string, value: string) => {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${name} must be a non-negative number, not '${value}'`)
  return Number(value)
}

/** Acknowledged lines of an earlier run (after a crash): skipped, their customer ids reused. */
const readAcks = (file: string | undefined) => {
  const skip = new Set<number>()
  const bindings = new Map<string, Binding>()
  if (!file || !existsSync(file)) return { skip, bindings }
  const lines = readFileSync(file, 'utf8').split('\n')
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue
    let ack: Ack
    try {
      ack = JSON.parse(raw) as Ack
    } catch {
      // A torn last line (the run was killed while writing it): that object is sent again, which is idempotent.
      if (lines.slice(i + 1).every((l) => !l.trim())) continue
      throw new UsageError(`${file}:${i + 1} is not an acknowledgement written by replay (not JSON)`)
    }
    skip.add(ack.index)
    if (ack.ref && ack.binding) bindings.set(ack.ref, ack.binding)
  }
  return { skip, bindings }
}

const printSummary = (r: ReplayReport) => {
  const acked = r.sent.acks.length
  const out = [`sent ${acked + r.sent.refusals.length} objects: ${acked} acknowledged, ${r.sent.refusals.length} refused`]
  for (const [m, c] of Object.entries(r.byModule)) out.push(`  ${m.padEnd(14)} ${c.acknowledged} acknowledged, ${c.refused} refused`)
  for (const f of r.sent.refusals.slice(0, 20))
    out.push(`  refused line ${f.index + 1}: ${f.method} ${f.module}${f.path} HTTP ${f.status} ${f.statusCode ?? ''} ${f.message}`)
  if (r.sent.aborted)
    out.push(`ABORTED at line ${r.sent.aborted.index + 1}: ${r.sent.aborted.error} (rerun with the same --ack-file to resend the rest)`)
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
  const { values, positionals } = parseCommandLine(process.argv.slice(2), OPTIONS)
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  const source = positionals[0]
  if (!source) throw new UsageError(usage)
  if (positionals.length > 1)
    throw new UsageError(`one recording (a directory or an .ndjson file), not ${positionals.length}: ${positionals.join(' ')}\n${usage}`)
  const url = baseUrl(values.url)
  const pace = numberOption('pace', values.pace)
  const waitMs = numberOption('wait', values.wait) * 1000
  const recording = readRecording(source)
  const ackFile = values['ack-file']
  const { skip, bindings } = readAcks(ackFile)
  const progress = progressReporter(process.stderr)
  let report: ReplayReport
  try {
    report = await replay(recording, {
      url,
      token: values.token,
      adminToken: process.env.ADMIN_TOKEN,
      partnerName: values.name,
      pace,
      waitMs,
      skip,
      bindings,
      onProgress: (p) => progress.update(p),
      ...(ackFile ? { onAck: (_i: number, ack: Ack) => appendFileSync(ackFile, JSON.stringify(ack) + '\n') } : {}),
    })
  } catch (err) {
    const unreachable = unreachableMessage(err, url)
    throw unreachable ? new ReplayError(unreachable) : err
  }
  if (values.json) {
    const { partnerToken: _secret, ...shown } = report
    process.stdout.write(JSON.stringify({ ...shown, sent: { ...shown.sent, bindings: Object.fromEntries(shown.sent.bindings) } }) + '\n')
  } else printSummary(report)
  process.exit(report.sent.aborted ? 1 : 0)
}

main().catch((err) => {
  if (err instanceof UsageError || err instanceof RecordingError) {
    console.error(`replay: ${err.message}`)
    process.exit(USAGE_EXIT)
  }
  if (err instanceof ReplayError) {
    console.error(`replay: ${err.message}`)
    process.exit(1)
  }
  console.error(err)
  process.exit(1)
})
