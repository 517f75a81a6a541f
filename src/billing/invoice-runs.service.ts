// The monthly invoice run as operators see it: queue a month, follow it (how many contracts are
// invoiced, pending, with nothing to bill, blocked and why), and retry what was blocked once its
// cause is fixed. Nothing that blocks an invoice stays unseen (the blocked list and its counts).
import type { CustomerQueries } from '../customers/index.js'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { Clock } from '../platform/clock.js'
import { lastDayOf } from './calendar.js'
import * as runs from './invoice-runs.repository.js'
import { assertMonthEnded, type InvoicesService } from './invoices.service.js'

export const MONTH_QUEUE = 'billing.month'
export const INVOICE_QUEUE = 'billing.invoice'

export interface InvoiceRunStatus {
  month: string
  /** Contracts that had started by the month's end (each gets a run). */
  contracts: number
  pending: number
  invoiced: number
  nothingToBill: number
  /** Runs of the month that could not finish, with the reason of their last attempt. */
  blocked: runs.RunItem[]
}

/** At most this many blocked runs are listed in a run's answer; the blocked list pages through all. */
const BLOCKED_IN_STATUS = 100

export const createInvoiceRunsService = (deps: {
  db: Db
  clock: Clock
  jobs: Pick<JobRunner, 'enqueue' | 'kick'>
  invoices: Pick<InvoicesService, 'runInvoice'>
  queries: Pick<CustomerQueries, 'listContractRefs'>
}) => {
  const { db, jobs } = deps
  const contractsOf = async (month: string) => (await deps.queries.listContractRefs()).filter((c) => c.startDate <= lastDayOf(month))

  /** Where the run of `month` stands. */
  const status = async (month: string): Promise<InvoiceRunStatus> => {
    const [contracts, states, blocked] = await Promise.all([
      contractsOf(month),
      runs.countStates(db, month),
      runs.listBlocked(db, { month, limit: BLOCKED_IN_STATUS, offset: 0 }),
    ])
    return {
      month,
      contracts: contracts.length,
      pending: states.PENDING,
      invoiced: states.INVOICED,
      nothingToBill: states.NOTHING_TO_BILL,
      blocked: blocked.items,
    }
  }

  /**
   * Queues the month's invoice jobs (one per contract that had started by its end; a contract
   * queued before is not queued again) and answers where the run stands, blocked runs included.
   */
  const enqueueMonth = async (month: string, asOf: Date): Promise<InvoiceRunStatus & { enqueued: number }> => {
    assertMonthEnded(month, asOf)
    const refs = await contractsOf(month)
    const queued: string[] = []
    await db.transaction(async (tx) => {
      for (const c of refs) {
        const id = await jobs.enqueue(tx, {
          queue: INVOICE_QUEUE,
          payload: { contractId: c.contractId, month, asOf: asOf.toISOString() },
          dedupeKey: `${c.contractId}:${month}`,
          orderKey: `invoice:${c.contractId}`,
        })
        if (id !== undefined) queued.push(c.contractId)
      }
      await runs.markPending(tx, queued, month, deps.clock.now())
    })
    jobs.kick()
    return { ...(await status(month)), enqueued: queued.length }
  }

  /**
   * Runs the month's blocked invoices again now (after the missing rate or price list was added),
   * one after the other, and answers where the run stands.
   */
  const retryBlocked = async (month: string, asOf: Date): Promise<InvoiceRunStatus> => {
    assertMonthEnded(month, asOf)
    const { items } = await runs.listBlocked(db, { month, limit: 10_000, offset: 0 })
    for (const item of items) {
      // A run that fails again stays BLOCKED with its new reason (runInvoice records it): the
      // answer lists it, so the error itself is not needed here.
      await deps.invoices.runInvoice(item.contractId, month, asOf).catch(() => undefined)
    }
    return status(month)
  }

  return {
    enqueueMonth,
    status,
    retryBlocked,
    /** Every blocked run (any month), longest blocked first, paged. */
    listBlocked: (q: { month?: string; reasonCode?: string; limit: number; offset: number }) => runs.listBlocked(db, q),
    /** Blocked runs per reason with the oldest block: the figure a metric or the console shows. */
    countBlocked: () => runs.countBlocked(db),
  }
}

export type InvoiceRunsService = ReturnType<typeof createInvoiceRunsService>
