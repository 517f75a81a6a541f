import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

/**
 * The recording format (scripts/replay/README.md): NDJSON, one request per line, replayed in file
 * order. A directory is every `*.ndjson` file in it, in name order.
 */
export const OCPI_MODULES = ['locations', 'tariffs', 'sessions', 'cdrs', 'hubclientinfo'] as const
export type OcpiModule = (typeof OCPI_MODULES)[number]

export const RecordedLine = z.discriminatedUnion('module', [
  z.object({
    at: z.iso.datetime({ offset: true }),
    module: z.enum(OCPI_MODULES),
    method: z.enum(['PUT', 'PATCH', 'POST', 'GET', 'DELETE']),
    /** Below the module URL: "/DE/ION/LOC1", "/DE/ION/LOC1/EVSE1" or "" (CDR POST). */
    path: z.string().regex(/^(\/[^/?#]+)*$/, 'empty or /segment/segment…'),
    body: z.unknown().optional(),
  }),
  // Setup for a fresh system: a customer created through the admin API, named by `ref` so that
  // later bodies can say "{{ref.token_uid}}" / "{{ref.contract_id}}" (ids we generate ourselves).
  z.object({
    at: z.iso.datetime({ offset: true }),
    module: z.literal('customers'),
    method: z.literal('POST'),
    path: z.literal('').default(''),
    ref: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    body: z.record(z.string(), z.unknown()),
  }),
])
export type RecordedLine = z.infer<typeof RecordedLine>

export interface Recording {
  lines: RecordedLine[]
  /** Where each line came from ("file:line"), for messages. */
  origins: string[]
}

export class RecordingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RecordingError'
  }
}

const filesOf = (path: string): string[] => {
  if (!statSync(path).isDirectory()) return [path]
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
  if (files.length === 0) throw new RecordingError(`${path}: no *.ndjson files`)
  return files.map((f) => join(path, f))
}

/** Parses NDJSON text; blank lines are skipped; a bad line is an error naming file and line. */
export const parseRecording = (text: string, file = '<text>'): Recording => {
  const lines: RecordedLine[] = []
  const origins: string[] = []
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    const where = `${file}:${i + 1}`
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      throw new RecordingError(`${where}: not JSON (${(err as Error).message})`)
    }
    const parsed = RecordedLine.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new RecordingError(`${where}: ${issue.path.join('.') || '(line)'}: ${issue.message}`)
    }
    lines.push(parsed.data)
    origins.push(where)
  })
  return { lines, origins }
}

/** Reads a `.ndjson` file or a directory of them. */
export const readRecording = (path: string): Recording => {
  const all: Recording = { lines: [], origins: [] }
  for (const file of filesOf(path)) {
    const one = parseRecording(readFileSync(file, 'utf8'), file)
    all.lines.push(...one.lines)
    all.origins.push(...one.origins)
  }
  return all
}

/** Writes lines as NDJSON text. */
export const toNdjson = (lines: readonly RecordedLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n'

/** The CPO parties the recording writes for: path segments 1-2 of module lines, and CDR bodies. */
export const partiesOf = (lines: readonly RecordedLine[]): { countryCode: string; partyId: string }[] => {
  const seen = new Map<string, { countryCode: string; partyId: string }>()
  const add = (cc: unknown, pid: unknown) => {
    if (typeof cc !== 'string' || typeof pid !== 'string' || !/^[A-Z]{2}$/.test(cc) || !/^[A-Z0-9]{3}$/.test(pid)) return
    seen.set(`${cc}/${pid}`, { countryCode: cc, partyId: pid })
  }
  for (const l of lines) {
    if (l.module === 'customers') continue
    const [, cc, pid] = l.path.split('/')
    if (l.module === 'cdrs' && l.method === 'POST') {
      const b = l.body as { country_code?: unknown; party_id?: unknown } | undefined
      add(b?.country_code, b?.party_id)
    } else add(cc, pid)
  }
  return [...seen.values()]
}
