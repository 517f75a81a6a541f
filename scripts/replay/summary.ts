import { Decimal } from 'decimal.js'
import { getJson } from './register.js'
import type { SendResult } from './sender.js'

/**
 * What happened to the replayed CDRs, read back through the admin API: rating status, the active
 * charge's total per currency, and audit disputes. Rating is asynchronous (the `cdr.received` job),
 * so this waits until every CDR is rated or unrated and audited, or until the deadline.
 */
export interface CdrOutcome {
  cdrId: string
  status: 'RATED' | 'UNRATED' | 'PENDING'
  reasonCode: string | null
  currency?: string
  total?: string
  charges: number
  audited: boolean
  disputed: boolean
}
export interface RatingSummary {
  rated: number
  unrated: number
  pending: number
  /** Sum of the active charges per currency, 2 decimals (charges are already rounded by rating). */
  totals: Record<string, string>
  unratedReasons: Record<string, number>
  disputes: number
  /** CDRs with more than one charge in their history: must stay 0 (nothing is rerated here). */
  doubleCharged: number
  outcomes: CdrOutcome[]
}

interface RatingView {
  status: 'RATED' | 'UNRATED' | 'PENDING'
  reason_code: string | null
  active_charge: { currency: string; total: string } | null
  history: unknown[]
  audit: { flagged: boolean } | null
}

const readOutcome = async (admin: { url: string; token: string }, cdrId: string): Promise<CdrOutcome> => {
  const res = await getJson(`${admin.url}/admin/v1/cdrs/${cdrId}/rating`, `Bearer ${admin.token}`)
  if (res.status !== 200) throw new Error(`GET /admin/v1/cdrs/${cdrId}/rating: HTTP ${res.status}`)
  const v = res.body as RatingView
  return {
    cdrId,
    status: v.status,
    reasonCode: v.reason_code,
    charges: v.history.length,
    audited: v.audit !== null,
    disputed: v.audit?.flagged ?? false,
    ...(v.active_charge ? { currency: v.active_charge.currency, total: v.active_charge.total } : {}),
  }
}

const settled = (o: CdrOutcome) => o.status !== 'PENDING' && o.audited

/** The distinct CDRs we acknowledged (a CDR acknowledged twice as "identical" counts once). */
export const acknowledgedCdrIds = (sent: Pick<SendResult, 'acks'>) => [...new Set(sent.acks.flatMap((a) => (a.cdrId ? [a.cdrId] : [])))]

export const readRatings = async (
  admin: { url: string; token: string },
  cdrIds: string[],
  opts: { waitMs: number; pollMs?: number } = { waitMs: 30_000 },
): Promise<RatingSummary> => {
  const deadline = Date.now() + opts.waitMs
  const outcomes = new Map<string, CdrOutcome>()
  for (;;) {
    for (const id of cdrIds) {
      const known = outcomes.get(id)
      if (!known || !settled(known)) outcomes.set(id, await readOutcome(admin, id))
    }
    if ([...outcomes.values()].every(settled) || Date.now() >= deadline) break
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250))
  }
  return summarize([...outcomes.values()])
}

export const summarize = (outcomes: CdrOutcome[]): RatingSummary => {
  const totals = new Map<string, Decimal>()
  const unratedReasons: Record<string, number> = {}
  for (const o of outcomes) {
    if (o.status === 'RATED' && o.currency && o.total)
      totals.set(o.currency, (totals.get(o.currency) ?? new Decimal(0)).plus(new Decimal(o.total)))
    if (o.status === 'UNRATED') unratedReasons[o.reasonCode ?? 'unknown'] = (unratedReasons[o.reasonCode ?? 'unknown'] ?? 0) + 1
  }
  return {
    rated: outcomes.filter((o) => o.status === 'RATED').length,
    unrated: outcomes.filter((o) => o.status === 'UNRATED').length,
    pending: outcomes.filter((o) => o.status === 'PENDING').length,
    totals: Object.fromEntries([...totals].sort(([a], [b]) => a.localeCompare(b)).map(([c, d]) => [c, d.toFixed(2)])),
    unratedReasons,
    disputes: outcomes.filter((o) => o.disputed).length,
    doubleCharged: outcomes.filter((o) => o.charges > 1).length,
    outcomes,
  }
}
