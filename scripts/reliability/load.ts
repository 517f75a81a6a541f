import { performance } from 'node:perf_hooks'
import { generateTraffic, OPERATORS } from '../replay/generate.js'
import { registerAsCpo, discoverEndpoints, type Endpoints } from '../replay/register.js'
import { sendLine, type Binding } from '../replay/sender.js'
import { ADMIN_TOKEN } from './harness.js'

/**
 * Mixed OCPI traffic from generated recordings in lanes: each lane replays its own sets (own ids,
 * own customers) in order, one request at a time, so per-object order holds; lanes run concurrently.
 * A lane paced at `ratePerSec` sends on a fixed schedule (it does not burst to catch up after a stall).
 */
export interface Sample {
  at: number
  ms: number
  ok: boolean
  module: string
}
export interface LoadTarget {
  url: string
  endpoints: Endpoints
  token: string
  admin: { url: string; token: string }
}

export const registerLoadCpo = async (url: string, name = 'Load CPO'): Promise<LoadTarget> => {
  const { token } = await registerAsCpo({ url, adminToken: ADMIN_TOKEN, name, parties: OPERATORS.map((o) => o.party) })
  return { url, token, endpoints: await discoverEndpoints(`${url}/ocpi/versions`, token), admin: { url, token: ADMIN_TOKEN } }
}

export interface LaneOptions {
  lane: number
  runId: string
  deadline: number
  ratePerSec?: number
  onSample(s: Sample): void
  onError?(message: string): void
  cdrIds?: string[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const runLane = async (target: LoadTarget, o: LaneOptions) => {
  let next = performance.now()
  for (let round = 0; performance.now() < o.deadline; round++) {
    const lines = generateTraffic({
      sessions: 20,
      customers: 2,
      locations: 6,
      patchesPerSession: 8,
      flapsPerSession: 2,
      seed: o.lane * 100_000 + round,
      idPrefix: `${o.runId}L${o.lane}R${round}`,
    })
    const bindings = new Map<string, Binding>()
    for (const line of lines) {
      if (o.ratePerSec) {
        const now = performance.now()
        if (next > now) await sleep(next - now)
        next = Math.max(next, performance.now() - 1000) + 1000 / o.ratePerSec
      }
      if (performance.now() >= o.deadline) return
      const t0 = performance.now()
      let ok = false
      try {
        const res = await sendLine(line, target, bindings)
        ok = res.ok
        if (!ok) o.onError?.(`${line.method} ${line.module}${line.path}: HTTP ${res.status} ${res.statusCode ?? ''} ${res.message}`)
        if (res.cdrId) o.cdrIds?.push(res.cdrId)
      } catch (err) {
        o.onError?.(`${line.method} ${line.module}${line.path}: ${(err as Error).message}`)
      }
      o.onSample({ at: t0, ms: performance.now() - t0, ok, module: line.module })
    }
  }
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

/** Requests per second with `lanes` unpaced lanes for `seconds` (the measured maximum), and latency. */
export const measureMax = async (target: LoadTarget, lanes: number, seconds: number, runId: string) => {
  const samples: Sample[] = []
  const errors: string[] = []
  const start = performance.now()
  const deadline = start + seconds * 1000
  await Promise.all(
    Array.from({ length: lanes }, (_, lane) =>
      runLane(target, { lane, runId, deadline, onSample: (s) => samples.push(s), onError: (e) => errors.push(e) }),
    ),
  )
  const elapsed = (performance.now() - start) / 1000
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b)
  return { requests: samples.length, perSec: samples.length / elapsed, p50: percentile(ms, 50), p99: percentile(ms, 99), errors }
}
