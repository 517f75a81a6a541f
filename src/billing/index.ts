import type { FastifyBaseLogger } from 'fastify'
import type { CustomerQueries, CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { Clock } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import { type Catalog, defaultCatalog } from '../catalog/index.js'
import { createAccountService } from './account.service.js'
import type { ChargesSource, Seller, SessionFactsSource } from './billing.types.js'
import { createInvoiceRunJobs } from './invoice-run.job.js'
import { createInvoiceRunsService } from './invoice-runs.service.js'
import { createInvoicesService } from './invoices.service.js'
import { createRatesService } from './rates.service.js'
import { createVouchersService } from './vouchers.service.js'
import { createOffers } from './offers.js'

export type { InvoicesService } from './invoices.service.js'
export type { VouchersService } from './vouchers.service.js'
export type { RatesService } from './rates.service.js'
export type { AccountService } from './account.service.js'
export type { Offers, NewVehicleOffer, OfferVehicle } from './offers.js'
export { cancellationDate, contractDate } from './contract-dates.js'
export type { InvoiceRunsService, InvoiceRunStatus } from './invoice-runs.service.js'
export type { RunItem } from './invoice-runs.repository.js'
export { createSessionFactsSource, type SessionFactsDeps, type LocationFacts } from './session-facts.js'
export type { Invoice, Payment } from './invoices.repository.js'
export type {
  InvoiceLine,
  InvoiceStatus,
  RatedCharge,
  ChargesSource,
  SessionFacts,
  SessionFactsSource,
  Seller,
  RunItemState,
} from './billing.types.js'
export { INVOICE_STATUSES, LINE_KINDS, RUN_ITEM_STATES } from './billing.types.js'
export { VOUCHER_KINDS, type Voucher } from './vouchers.repository.js'
export { renderInvoicePdf } from './invoice-pdf.js'
export {
  invoiceDocument,
  invoiceListItem,
  type InvoiceDocument,
  type DocumentLine,
  type DocumentRow,
  type DocumentParty,
  type InvoiceListItem,
} from './invoice-document.js'
export { invoiceMessages } from './invoice.messages.js'
export { INVOICE_QUEUE, MONTH_QUEUE } from './invoice-run.job.js'

export interface BillingDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  charges: ChargesSource
  /** Where and when each charged session took place (CDRs and Locations modules). */
  sessions: SessionFactsSource
  /** The seller printed on invoices and their payment term (configuration). */
  seller: Seller
  paymentTermDays: number
  customers: Pick<CustomersService, 'getContract' | 'getCustomer' | 'changeContract' | 'issueCard'>
  queries: Pick<CustomerQueries, 'listContractRefs' | 'firstContractIdOfVehicle' | 'pseudonymiseCustomer'>
  catalog?: Catalog
}

/** Billing: fees, vouchers, exchange rates, monthly invoices with PDF and payment status (README.md). */
export const createBillingModule = (deps: BillingDeps) => {
  const catalog = deps.catalog ?? defaultCatalog
  const invoices = createInvoicesService({ ...deps, catalog })
  const vouchers = createVouchersService(deps)
  const rates = createRatesService(deps)
  const account = createAccountService({ ...deps, catalog, vouchers })
  const runs = createInvoiceRunsService({ db: deps.db, clock: deps.clock, jobs: deps.jobs, invoices, queries: deps.queries })
  const run = createInvoiceRunJobs({ db: deps.db, jobs: deps.jobs, invoices, runs })
  const offers = createOffers({ clock: deps.clock, catalog, queries: deps.queries })
  return { invoices, vouchers, rates, account, runs, run, offers }
}
export {
  InvoiceView,
  InvoiceSummaryView,
  InvoiceDocumentView,
  InvoiceListItemView,
  toInvoiceView,
  toInvoiceSummaryView,
  toInvoiceListItemView,
} from './invoice-view.js'
export { isMonth } from './calendar.js'
export { Decimal } from './money.js'
