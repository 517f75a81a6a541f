// The scheduled monthly run. `billing.month` (one job per month, dedupe key = month) fans out one
// `billing.invoice` job per contract (dedupe key = contract + month) and schedules the next month;
// both carry an explicit `asOf`, so every job is idempotent and re-running it creates nothing.
import type { CustomerQueries } from '../customers/index.js'
import type { Db } from '../db/client.js'
import { RetryLater, type JobRunner } from '../jobs/runner.js'
import { DomainError } from '../platform/errors.js'
import { firstDayOf, lastDayOf, monthOf, nextMonth } from './calendar.js'
import { assertMonthEnded, type InvoicesService } from './invoices.service.js'

export const MONTH_QUEUE = 'billing.month'
export const INVOICE_QUEUE = 'billing.invoice'
/** A month is invoiced at 03:00 UTC on the 1st of the next month (late CDRs go on the next invoice). */
export const runAtOf = (month: string) => new Date(`${firstDayOf(nextMonth(month))}T03:00:00Z`)
const MISSING_RATE_RETRY_MS = 3_600_000

export const createInvoiceRunJobs = (deps: {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  invoices: Pick<InvoicesService, 'runInvoice'>
  queries: Pick<CustomerQueries, 'listContractRefs'>
}) => {
  const { db, jobs } = deps

  /** Enqueues the month's invoice jobs (one per contract that had started by its end). */
  const enqueueMonth = async (month: string, asOf: Date) => {
    assertMonthEnded(month, asOf)
    const refs = (await deps.queries.listContractRefs()).filter((c) => c.startDate <= lastDayOf(month))
    let enqueued = 0
    await db.transaction(async (tx) => {
      for (const c of refs) {
        const id = await jobs.enqueue(tx, { queue: INVOICE_QUEUE, payload: { contractId: c.contractId, month, asOf: asOf.toISOString() }, dedupeKey: `${c.contractId}:${month}`, orderKey: `invoice:${c.contractId}` })
        if (id !== undefined) enqueued++
      }
    })
    jobs.kick()
    return { contracts: refs.length, enqueued }
  }

  /** Makes sure the run of `month` is scheduled (idempotent). */
  const scheduleMonth = (month: string) =>
    jobs.enqueue(db, { queue: MONTH_QUEUE, payload: { month, asOf: runAtOf(month).toISOString() }, dedupeKey: month, runAt: runAtOf(month) })

  jobs.register(MONTH_QUEUE, async (payload) => {
    const month = String(payload.month)
    await enqueueMonth(month, new Date(String(payload.asOf)))
    await scheduleMonth(nextMonth(month))
  })
  jobs.register(INVOICE_QUEUE, async (payload) => {
    try {
      await deps.invoices.runInvoice(String(payload.contractId), String(payload.month), new Date(String(payload.asOf)))
    } catch (err) {
      // Operators add the missing rate; the job tries again rather than giving up.
      if (err instanceof DomainError && err.code === 'missing_exchange_rate') throw new RetryLater(err.message, MISSING_RATE_RETRY_MS)
      throw err
    }
  })

  return {
    enqueueMonth,
    scheduleMonth,
    /** Called once at start: schedules the run of the current month (the chain then continues itself). */
    start: (now: Date) => scheduleMonth(monthOf(now.toISOString().slice(0, 10))),
  }
}
