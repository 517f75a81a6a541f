import type { FastifyBaseLogger } from 'fastify'

/** A short description of why a claim failed: the error code and the first line of its message, no query, no stack. */
export const describeDbError = (err: unknown): string => {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | null
  const cause = e?.cause as { code?: unknown; message?: unknown } | undefined
  const first = Array.isArray(e?.errors) ? (e!.errors[0] as { code?: unknown; message?: unknown } | undefined) : undefined
  const code = [e?.code, cause?.code, first?.code].find((c) => typeof c === 'string' && c.length > 0) as string | undefined
  const message = [cause?.message, e?.message, first?.message].find(
    (m) => typeof m === 'string' && m.length > 0 && !/^Failed query:/.test(m),
  ) as string | undefined
  const text = (message ?? String(err)).split('\n')[0]!.slice(0, 160)
  return code && !text.includes(code) ? `${code}: ${text}` : text
}

export interface LoopHealthOptions {
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  /** First delay after a failure (default 500 ms); doubles per failure up to `capMs` (default 30 s). */
  baseMs?: number
  capMs?: number
  /** [0, 1); injected by tests. */
  random?: () => number
  now?: () => number
}

/**
 * The job loop's view of the database: when claiming fails (the database is down), one line when
 * it goes down, exponential backoff with jitter between attempts, one line when it is back.
 * One instance is shared by all workers of a runner, so a state change is logged once.
 */
export const createLoopHealth = (opts: LoopHealthOptions) => {
  const baseMs = opts.baseMs ?? 500
  const capMs = opts.capMs ?? 30_000
  const random = opts.random ?? Math.random
  const now = opts.now ?? Date.now
  let failures = 0
  let downSince = 0
  return {
    /** After a failed claim: the delay before this worker tries again. Logs once per outage. */
    failed(err: unknown): number {
      failures++
      if (failures === 1) {
        downSince = now()
        opts.log.warn(`job loop: database unavailable (${describeDbError(err)}); backing off`)
      }
      const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(failures - 1, 30))
      return Math.round(ceiling / 2 + (random() * ceiling) / 2) // "equal jitter": workers and instances spread out
    },
    /**
     * After a claim that worked: logs once when an outage ends. `startedAt` (the attempt's start):
     * an attempt begun before the outage was noticed proves nothing (another worker's claim may
     * have finished just before the database went away), so it does not end the outage.
     */
    succeeded(startedAt?: number) {
      if (failures === 0) return
      if (startedAt !== undefined && startedAt <= downSince) return
      opts.log.info(`job loop: database available again after ${((now() - downSince) / 1000).toFixed(1)} s (${failures} failed attempts)`)
      failures = 0
    },
    get down() {
      return failures > 0
    },
  }
}
