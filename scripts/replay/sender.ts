import { request } from 'undici'
import type { RecordedLine } from './recording.js'
import { getJson, tokenHeader, type Endpoints } from './register.js'

/** Sends a recording's lines in order, one at a time, and records what the eMSP acknowledged. */
export interface SendOptions {
  endpoints: Endpoints
  /** The token the eMSP issued to the replaying CPO. */
  token: string
  /** Base URL and admin token, for `customers` lines. */
  admin?: { url: string; token: string }
  /** 0: as fast as possible; n: wait (gap between recorded `at`s) / n before each line. */
  pace?: number
  /** Line indexes acknowledged by an earlier run (resume after a crash): not sent again. */
  skip?: ReadonlySet<number>
  /** Bindings of `customers` refs from an earlier run. */
  bindings?: Map<string, Binding>
  onAck?: (index: number, ack: Ack) => void
  onProgress?: (p: Progress) => void
}

export interface Binding {
  contract_id: string
  token_uid: string
  customer_id: string
}
export interface Ack {
  index: number
  module: string
  method: string
  status: number
  cdrId?: string
  created?: boolean
  ref?: string
  binding?: Binding
}
export interface Refusal {
  index: number
  module: string
  method: string
  path: string
  status: number
  statusCode: number | undefined
  message: string
}
export interface Progress {
  done: number
  total: number
  refused: number
}
export interface SendResult {
  acks: Ack[]
  refusals: Refusal[]
  /** Set when the eMSP stopped answering (connection refused or reset); the rest was not sent. */
  aborted?: { index: number; error: string }
  bindings: Map<string, Binding>
}

const PLACEHOLDER = /\{\{([A-Za-z0-9_-]+)\.(contract_id|token_uid|customer_id)\}\}/g

/** Replaces `{{ref.field}}` in every string of a body with the ids the eMSP gave the customer `ref`. */
export const bind = (value: unknown, bindings: Map<string, Binding>): unknown => {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, ref: string, field: keyof Binding) => bindings.get(ref)?.[field] ?? whole)
  }
  if (Array.isArray(value)) return value.map((v) => bind(v, bindings))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bind(v, bindings)]))
  return value
}

const ourCdrId = (location: unknown) => (typeof location === 'string' ? location.split('/').pop() : undefined)

const sendOcpi = async (
  line: Exclude<RecordedLine, { module: 'customers' }>,
  opts: Pick<SendOptions, 'endpoints' | 'token'>,
  bindings: Map<string, Binding>,
) => {
  const base = opts.endpoints[line.module]
  if (!base) throw new Error(`the eMSP offers no ${line.module} Receiver endpoint`)
  const res = await request(`${base}${line.path}`, {
    method: line.method as 'PUT',
    headers: { authorization: tokenHeader(opts.token), ...(line.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: line.body === undefined ? undefined : JSON.stringify(bind(line.body, bindings)),
  })
  const text = await res.body.text()
  let json: { status_code?: number; status_message?: string } | undefined
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.statusCode, json, location: res.headers.location, text }
}

const sendCustomer = async (line: Extract<RecordedLine, { module: 'customers' }>, opts: Pick<SendOptions, 'admin'>) => {
  if (!opts.admin) throw new Error('customers lines need the admin API (ADMIN_TOKEN)')
  const res = await getJson(`${opts.admin.url}/admin/v1/customers`, `Bearer ${opts.admin.token}`, 'POST', line.body)
  return res
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The eMSP's answer to one line: acknowledged (HTTP 2xx and OCPI 1000, or customer 201) or not. */
export interface LineOutcome {
  ok: boolean
  status: number
  statusCode?: number
  message: string
  cdrId?: string
  created?: boolean
  binding?: Binding
}

/** Sends one line; throws only when the eMSP cannot be reached (network error). */
export const sendLine = async (
  line: RecordedLine,
  opts: Pick<SendOptions, 'endpoints' | 'token' | 'admin'>,
  bindings: Map<string, Binding>,
): Promise<LineOutcome> => {
  if (line.module === 'customers') {
    const res = await sendCustomer(line, opts)
    if (res.status !== 201) return { ok: false, status: res.status, message: JSON.stringify(res.body) }
    const b = res.body as { id: string; contract_id: string; tokens: { uid: string; type: string }[] }
    const binding = {
      customer_id: b.id,
      contract_id: b.contract_id,
      token_uid: b.tokens.find((x) => x.type === 'APP_USER')?.uid ?? b.tokens[0]!.uid,
    }
    bindings.set(line.ref, binding)
    return { ok: true, status: res.status, message: '', binding }
  }
  const res = await sendOcpi(line, opts, bindings)
  const ok = res.status >= 200 && res.status < 300 && res.json?.status_code === 1000
  const out: LineOutcome = {
    ok,
    status: res.status,
    statusCode: res.json?.status_code,
    message: res.json?.status_message ?? (ok ? '' : res.text.slice(0, 200)),
  }
  if (ok && line.module === 'cdrs' && line.method === 'POST')
    Object.assign(out, { cdrId: ourCdrId(res.location), created: res.status === 201 })
  return out
}

/** Sends every line not in `skip`, in order. A refused line is recorded and the replay goes on. */
export const sendRecording = async (lines: readonly RecordedLine[], opts: SendOptions): Promise<SendResult> => {
  const bindings = opts.bindings ?? new Map<string, Binding>()
  const result: SendResult = { acks: [], refusals: [], bindings }
  let previousAt: number | undefined
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    opts.onProgress?.({ done: index, total: lines.length, refused: result.refusals.length })
    if (opts.skip?.has(index)) continue
    const at = Date.parse(line.at)
    if (opts.pace && previousAt !== undefined && at > previousAt) await sleep((at - previousAt) / opts.pace)
    previousAt = at
    let outcome: LineOutcome
    try {
      outcome = await sendLine(line, opts, bindings)
    } catch (err) {
      result.aborted = { index, error: (err as Error).message }
      break
    }
    if (!outcome.ok) {
      result.refusals.push({
        index,
        module: line.module,
        method: line.method,
        path: line.path,
        status: outcome.status,
        statusCode: outcome.statusCode,
        message: outcome.message,
      })
      continue
    }
    const ack: Ack = { index, module: line.module, method: line.method, status: outcome.status }
    if (outcome.cdrId) Object.assign(ack, { cdrId: outcome.cdrId, created: outcome.created })
    if (line.module === 'customers') Object.assign(ack, { ref: line.ref, binding: outcome.binding })
    result.acks.push(ack)
    opts.onAck?.(index, ack)
  }
  opts.onProgress?.({ done: result.aborted?.index ?? lines.length, total: lines.length, refused: result.refusals.length })
  return result
}
