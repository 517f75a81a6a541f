import type { FastifyBaseLogger } from 'fastify'
import type { CustomerQueries, CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { Clock } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import { defaultCatalog } from '../rating/catalog/catalog.js'
import type { Catalog } from '../rating/catalog/catalog.types.js'
import { createAccountService } from './account.service.js'
import type { ChargesSource } from './billing.types.js'
import { createInvoiceRunJobs } from './invoice-run.job.js'
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
export type { Invoice, Payment } from './invoices.repository.js'
export type { InvoiceLine, InvoiceStatus, RatedCharge, ChargesSource } from './billing.types.js'
export { INVOICE_STATUSES, LINE_KINDS } from './billing.types.js'
export { VOUCHER_KINDS, type Voucher } from './vouchers.repository.js'
export { renderInvoicePdf } from './invoice-pdf.js'
export { INVOICE_QUEUE, MONTH_QUEUE } from './invoice-run.job.js'

export interface BillingDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  charges: ChargesSource
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
  const run = createInvoiceRunJobs({ db: deps.db, jobs: deps.jobs, invoices, queries: deps.queries })
  const offers = createOffers({ clock: deps.clock, catalog, queries: deps.queries })
  return { invoices, vouchers, rates, account, run, offers }
}
export { InvoiceView, InvoiceSummaryView, toInvoiceView, toInvoiceSummaryView } from './invoice-view.js'
export { isMonth } from './calendar.js'
export { Decimal } from './money.js'
