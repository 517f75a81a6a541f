// The invoice run and payments: loads the inputs, calls the pure calculation, stores the result
// with its gapless number in one transaction.
import type { FastifyBaseLogger } from 'fastify'
import type { CustomerQueries, CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import { DomainError, notFound } from '../platform/errors.js'
import type { Clock } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import { type Catalog, catalogVersionAt, type HomeMarket } from '../catalog/index.js'
import * as brepo from './billing.repository.js'
import type { ChargesSource, Seller, SessionFactsSource } from './billing.types.js'
import { addDays } from './calendar.js'
import * as runs from './invoice-runs.repository.js'
import { firstDayOf, lastDayOf, nextMonth, previousMonth } from './calendar.js'
import { monthEndExclusive } from './fee-lines.js'
import { calculateInvoice, isEmptyDraft, type InvoiceDraft } from './invoice-calc.js'
import { invoiceStatus, overpayment } from './invoice-status.js'
import * as repo from './invoices.repository.js'
import { INVOICE_CURRENCY } from './markets.js'
import { Decimal } from './money.js'
import { vatRateOn } from './vat.js'
import * as vrepo from './vouchers.repository.js'
import { isLocale, localeOfMarket, type Locale } from '../i18n/index.js'
import { invoiceDocument, invoiceListItem, type InvoiceDocument } from './invoice-document.js'
import { renderInvoicePdf } from './invoice-pdf.js'

export interface InvoicesDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  charges: ChargesSource
  sessions: SessionFactsSource
  customers: Pick<CustomersService, 'getContract' | 'getCustomer'>
  queries: Pick<CustomerQueries, 'firstContractIdOfVehicle'>
  catalog: Catalog
  /** Printed on every invoice issued (configuration `SELLER_*`). */
  seller: Seller
  /** Due date = issue date + this many days. */
  paymentTermDays: number
}

export interface RecordPaymentInput {
  amount: Decimal
  paidOn: string
  reference: string
}

/**
 * How far back a run looks for CDRs that arrived after their month was invoiced. Bounded so a run
 * reads a year of a contract's charges at most, not its whole history.
 */
export const LATE_CDR_LOOKBACK_MONTHS = 12
const monthsBefore = (month: string, n: number) => Array.from({ length: n }).reduce<string>((m) => previousMonth(m), month)

/**
 * A month is invoiced only once it has ended: fee periods and one-off fees are selected by the
 * month, so an early run would miss the rest of it for good.
 */
export const assertMonthEnded = (month: string, asOf: Date) => {
  if (asOf < new Date(`${firstDayOf(nextMonth(month))}T00:00:00Z`))
    throw new DomainError('month_not_ended', `${month} has not ended on ${asOf.toISOString()}`, 409)
}

/** Errors that say the request was wrong, not that the contract's invoice is blocked. */
const NOT_A_BLOCK = new Set(['month_not_ended', 'contract_not_found', 'customer_not_found'])

/** What an operator reads about a failed run: the stable code and message of a DomainError, else the error's message. */
const blockOf = (err: unknown) =>
  err instanceof DomainError
    ? { code: err.code, reason: err.message, details: err.details }
    : { code: 'internal_error', reason: err instanceof Error ? err.message : String(err) }

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } }
  return e?.code === '23505' || e?.cause?.code === '23505'
}

/** The catalog version of a home market valid on a day (noon UTC, clear of any midnight edge). */
export const catalogOn = (catalog: Catalog, market: HomeMarket) => (day: string) => {
  const version = catalogVersionAt(catalog, market, Date.parse(`${day}T12:00:00Z`))
  if (!version) throw new DomainError('no_price_list', `No ${market} price list on ${day}`, 409)
  return version
}

export const createInvoicesService = (deps: InvoicesDeps) => {
  const { db, clock, ids } = deps

  /** Loads what the calculation needs outside the transaction (reads of other areas). */
  const loadInputs = async (contractId: string, month: string) => {
    const { contract } = await deps.customers.getContract(contractId)
    const { customer } = await deps.customers.getCustomer(contract.customerId)
    const market = contract.homeMarket
    const priceList = catalogOn(deps.catalog, market)
    const currency = INVOICE_CURRENCY[market]
    const invoiced = await repo.invoicedCdrs(db, contractId)
    const endedFrom = new Date(`${firstDayOf(monthsBefore(month, LATE_CDR_LOOKBACK_MONTHS))}T00:00:00Z`)
    const charges = await deps.charges.listCharges({ contractId, endedFrom, endedTo: new Date(`${monthEndExclusive(month)}T00:00:00Z`) })
    const billable = charges.filter((c) => !invoiced.get(c.cdrId)?.chargeIds.has(c.id))
    return {
      contract,
      customer,
      currency,
      priceList,
      charges,
      sessions: await deps.sessions.sessionFacts([...new Set(billable.map((c) => c.cdrId))]),
      invoiced,
      firstContractOfVehicle: (await deps.queries.firstContractIdOfVehicle(contract.vehicle.vin)) === contractId,
      oneOffFees: await brepo.listOneOffFees(db, contractId, firstDayOf(month), lastDayOf(month)),
      rates: await brepo.listRates(db, currency),
    }
  }

  const store = async (tx: Db, inputs: Awaited<ReturnType<typeof loadInputs>>, month: string, issueDate: string, draft: InvoiceDraft) => {
    const { contract } = inputs
    const year = Number(issueDate.slice(0, 4))
    const n = await repo.nextInvoiceNumber(tx, contract.homeMarket, year)
    const invoice: repo.Invoice = {
      id: ids.uuid(),
      number: `${contract.homeMarket}-${year}-${String(n).padStart(6, '0')}`,
      contractId: contract.contractId,
      customerId: contract.customerId,
      customerName: inputs.customer.name,
      customerAddress: inputs.customer.address,
      seller: deps.seller,
      homeMarket: contract.homeMarket,
      month,
      issueDate,
      dueDate: addDays(issueDate, deps.paymentTermDays),
      currency: inputs.currency,
      total: draft.total,
      vat: draft.vat,
      credits: draft.creditUses.map((u) => ({ creditId: u.creditId, source: u.source, sourceRef: u.sourceRef, amount: u.amount })),
      amountDue: draft.amountDue,
      paid: new Decimal(0),
      status: invoiceStatus(draft.amountDue, new Decimal(0)),
      createdAt: clock.now(),
    }
    await repo.insertInvoice(tx, invoice, draft.lines)
    return invoice
  }

  /** The invoice of one contract and month, computed and stored (see runInvoice). */
  const issue = async (contractId: string, month: string, asOf: Date): Promise<{ created: boolean; invoice: repo.Invoice | null }> => {
    const existing = await repo.findInvoiceOfMonth(db, contractId, month)
    if (existing) return { created: false, invoice: existing }
    assertMonthEnded(month, asOf)
    const inputs = await loadInputs(contractId, month)
    if (inputs.contract.startDate > lastDayOf(month)) return { created: false, invoice: null }
    try {
      return await db.transaction(async (tx) => {
        const credits = await brepo.openCredits(tx, contractId)
        const feeMonthVouchers = await vrepo.feeMonthVouchers(tx, contractId)
        const result = calculateInvoice({
          contract: inputs.contract,
          month,
          currency: inputs.currency,
          charges: inputs.charges,
          sessions: inputs.sessions,
          invoiced: inputs.invoiced,
          oneOffFees: inputs.oneOffFees,
          rates: inputs.rates,
          credits: credits.filter((c) => c.currency === inputs.currency),
          feeMonthVouchers,
          firstContractOfVehicle: inputs.firstContractOfVehicle,
          catalogOn: inputs.priceList,
          vatRateOn: (day) => vatRateOn(inputs.contract.homeMarket, day),
        })
        if (!result.ok) {
          const missing = result.missingRates.map((m) => `${inputs.currency}/${m.currency} on ${m.day}`).join(', ')
          throw new DomainError('missing_exchange_rate', `No exchange rate for ${missing}`, 409, { missing: result.missingRates })
        }
        const draft = result.draft
        if (isEmptyDraft(draft)) return { created: false, invoice: null }
        const invoice = await store(tx, inputs, month, asOf.toISOString().slice(0, 10), draft)
        await runs.markDone(tx, contractId, month, 'INVOICED', invoice.id, clock.now())
        for (const use of draft.creditUses) {
          const credit = credits.find((c) => c.id === use.creditId)!
          await brepo.useCredit(tx, use.creditId, credit.remaining.minus(use.amount))
        }
        if (draft.carryForward.gt(0)) {
          await brepo.insertCredit(tx, {
            id: ids.uuid(),
            contractId,
            source: 'NEGATIVE_INVOICE',
            sourceRef: invoice.id,
            currency: inputs.currency,
            amount: draft.carryForward,
            createdAt: clock.now(),
          })
        }
        for (const used of draft.voucherMonthsUsed) {
          const v = feeMonthVouchers.find((f) => f.redemptionId === used.redemptionId)!
          await vrepo.setMonthsLeft(tx, used.redemptionId, v.monthsLeft - used.months)
        }
        return { created: true, invoice }
      })
    } catch (err) {
      // A concurrent run of the same contract and month won the unique index: answer its invoice.
      if (!isUniqueViolation(err)) throw err
      const winner = await repo.findInvoiceOfMonth(db, contractId, month)
      if (!winner) throw err
      return { created: false, invoice: winner }
    }
  }

  /**
   * Issues the invoice of one contract for one month (`YYYY-MM`), idempotently: a second run finds
   * the first invoice and creates nothing. `asOf` is the run's instant; its UTC day is the issue
   * date and its year picks the number sequence. Answers null when there is nothing to bill.
   * The run ledger follows every attempt: a run that fails for any reason but a wrong request is
   * BLOCKED with that reason (listed for operators) until an attempt succeeds.
   */
  const runInvoice = async (contractId: string, month: string, asOf: Date): Promise<{ created: boolean; invoice: repo.Invoice | null }> => {
    let result: Awaited<ReturnType<typeof issue>>
    try {
      result = await issue(contractId, month, asOf)
    } catch (err) {
      if (!(err instanceof DomainError && NOT_A_BLOCK.has(err.code))) {
        await runs
          .markBlocked(db, contractId, month, blockOf(err), clock.now())
          .catch((e: unknown) => deps.log.error({ err: e, contractId, month }, 'could not record the blocked invoice run'))
      }
      throw err
    }
    if (!result.created)
      await runs.markDone(db, contractId, month, result.invoice ? 'INVOICED' : 'NOTHING_TO_BILL', result.invoice?.id ?? null, clock.now())
    return result
  }

  const requireInvoice = async (id: string) => {
    const invoice = await repo.findInvoice(db, id)
    if (!invoice) throw notFound('invoice_not_found', `No invoice ${id}`)
    return invoice
  }

  const getInvoice = async (id: string) => {
    const invoice = await requireInvoice(id)
    const [lines, payments] = await Promise.all([repo.listLines(db, id), repo.listPayments(db, [id])])
    return { invoice, lines, payments }
  }

  /**
   * Records a payment (idempotent per reference) and updates the status. The part beyond what was
   * due becomes a credit that the next invoice uses.
   */
  const recordPayment = async (invoiceId: string, input: RecordPaymentInput, opts: { locale?: Locale } = {}) => {
    if (!input.amount.gt(0)) throw new DomainError('invalid_amount', 'A payment amount must be positive', 400)
    await db.transaction(async (tx) => {
      const invoice = await repo.findInvoice(tx, invoiceId, { forUpdate: true })
      if (!invoice) throw notFound('invoice_not_found', `No invoice ${invoiceId}`)
      const inserted = await repo.insertPayment(tx, {
        id: ids.uuid(),
        invoiceId,
        amount: input.amount,
        paidOn: input.paidOn,
        reference: input.reference,
        createdAt: clock.now(),
      })
      if (!inserted) return
      const excess = overpayment(invoice.amountDue, invoice.paid, input.amount)
      const paid = invoice.paid.plus(input.amount)
      await repo.updatePaid(tx, invoiceId, paid, invoiceStatus(invoice.amountDue, paid))
      if (excess.gt(0)) {
        await brepo.insertCredit(tx, {
          id: ids.uuid(),
          contractId: invoice.contractId,
          source: 'OVERPAYMENT',
          sourceRef: `${invoiceId}:${input.reference}`,
          currency: invoice.currency,
          amount: excess,
          createdAt: clock.now(),
        })
      }
    })
    return getInvoiceDocument(invoiceId, opts)
  }

  /** An invoice of this customer only: another customer's invoice is answered as not found. */
  const getInvoiceOfCustomer = async (customerId: string, id: string) => {
    const found = await getInvoice(id)
    if (found.invoice.customerId !== customerId) throw notFound('invoice_not_found', `No invoice ${id}`)
    return found
  }

  /**
   * The language an invoice is shown in: the one asked for (a portal's language switch), else the
   * customer's chosen language, else the home market's (de, sl, et), else English.
   */
  const localeOf = async (invoice: repo.Invoice, requested?: Locale): Promise<Locale> => {
    if (requested) return requested
    const chosen = await deps.customers.getCustomer(invoice.customerId).then(
      (c) => c.customer.language,
      () => null,
    )
    return isLocale(chosen) ? chosen : localeOfMarket(invoice.homeMarket)
  }

  /** `customerId` limits the read to that customer's invoices (the app and the portal). */
  const find = (id: string, customerId?: string) => (customerId === undefined ? getInvoice(id) : getInvoiceOfCustomer(customerId, id))

  /** An invoice with its fully localised view model (what the PDF, the APIs and the portal show). */
  const getInvoiceDocument = async (id: string, opts: { customerId?: string; locale?: Locale } = {}) => {
    const found = await find(id, opts.customerId)
    const document: InvoiceDocument = invoiceDocument({ ...found, seller: deps.seller, locale: await localeOf(found.invoice, opts.locale) })
    return { ...found, document, seller: found.invoice.seller ?? deps.seller }
  }

  /** A customer's invoices, newest first, localised for a list (month, dates, amounts, status). */
  const listInvoicesOfCustomer = async (customerId: string, opts: { locale?: Locale } = {}) => {
    const list = await repo.listInvoices(db, { customerId })
    if (list.length === 0) return []
    const locale = await localeOf(list[0]!, opts.locale)
    return list.map((invoice) => ({ invoice, item: invoiceListItem(invoice, locale) }))
  }

  /** The invoice as a PDF in the customer's language (or the one asked for), with a file name. */
  const getInvoicePdf = async (id: string, opts: { customerId?: string; locale?: Locale } = {}) => {
    const { invoice, document } = await getInvoiceDocument(id, opts)
    return { filename: `${invoice.number}.pdf`, pdf: await renderInvoicePdf(document, { createdAt: invoice.createdAt }), document }
  }

  return {
    runInvoice,
    getInvoice,
    getInvoiceOfCustomer,
    getInvoiceDocument,
    getInvoicePdf,
    listInvoicesOfCustomer,
    recordPayment,
    listInvoices: (q: { customerId?: string; contractId?: string; month?: string }) => repo.listInvoices(db, q),
    listCredits: (contractId: string) => brepo.listCredits(db, contractId),
  }
}

export type InvoicesService = ReturnType<typeof createInvoicesService>
