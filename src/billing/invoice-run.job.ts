// The scheduled monthly run. `billing.month` (one job per month, dedupe key = month) fans out one
// `billing.invoice` job per contract (dedupe key = contract + month) and schedules the next month;
// both carry an explicit `asOf`, so every job is idempotent and re-running it creates nothing.
import type { Db } from '../db/client.js'
import { RetryLater, type JobRunner } from '../jobs/runner.js'
import { DomainError } from '../platform/errors.js'
import { firstDayOf, monthOf, nextMonth } from './calendar.js'
import { INVOICE_QUEUE, MONTH_QUEUE, type InvoiceRunsService } from './invoice-runs.service.js'
import type { InvoicesService } from './invoices.service.js'

export { INVOICE_QUEUE, MONTH_QUEUE }

/** A month is invoiced at 03:00 UTC on the 1st of the next month (late CDRs go on the next invoice). */
export const runAtOf = (month: string) => new Date(`${firstDayOf(nextMonth(month))}T03:00:00Z`)
const MISSING_RATE_RETRY_MS = 3_600_000

export const createInvoiceRunJobs = (deps: {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue'>
  invoices: Pick<InvoicesService, 'runInvoice'>
  runs: Pick<InvoiceRunsService, 'enqueueMonth'>
}) => {
  const { db, jobs } = deps

  /** Makes sure the run of `month` is scheduled (idempotent). */
  const scheduleMonth = (month: string) =>
    jobs.enqueue(db, {
      queue: MONTH_QUEUE,
      payload: { month, asOf: runAtOf(month).toISOString() },
      dedupeKey: month,
      runAt: runAtOf(month),
    })

  jobs.register(MONTH_QUEUE, async (payload, ctx) => {
    const month = String(payload.month)
    const run = await deps.runs.enqueueMonth(month, new Date(String(payload.asOf)))
    ctx.log.info(
      { month, contracts: run.contracts, enqueued: run.enqueued, blocked: run.blocked.length },
      'invoice run of the month queued',
    )
    await scheduleMonth(nextMonth(month))
  })
  jobs.register(INVOICE_QUEUE, async (payload) => {
    try {
      await deps.invoices.runInvoice(String(payload.contractId), String(payload.month), new Date(String(payload.asOf)))
    } catch (err) {
      // The run is listed as blocked (runInvoice); operators add the missing rate, the job tries again.
      if (err instanceof DomainError && err.code === 'missing_exchange_rate') throw new RetryLater(err.message, MISSING_RATE_RETRY_MS)
      throw err
    }
  })

  return {
    scheduleMonth,
    /** Called once at start: schedules the run of the current month (the chain then continues itself). */
    start: (now: Date) => scheduleMonth(monthOf(now.toISOString().slice(0, 10))),
  }
}
