import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  Decimal,
  InvoiceSummaryView,
  InvoiceView,
  isMonth,
  toInvoiceSummaryView,
  toInvoiceView,
  VOUCHER_KINDS,
  type InvoiceRunsService,
  type InvoiceRunStatus,
  type InvoicesService,
  type RatesService,
  type RunItem,
  type Voucher,
  type VouchersService,
} from '../billing/index.js'
import { HOME_MARKETS } from '../customers/index.js'
import { LOCALES } from '../i18n/index.js'

const tags = ['admin: billing']
const Day = z.iso.date()
const Month = z.string().refine(isMonth, 'YYYY-MM')
const DecimalString = z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal string, e.g. "12.50"')
const Currency = z.string().regex(/^[A-Z]{3}$/)

const VoucherView = z
  .object({
    code: z.string(),
    kind: z.enum(VOUCHER_KINDS),
    credit_amount: z.string().nullable(),
    currency: z.string().nullable(),
    months: z.number().int().nullable(),
    valid_from: z.string(),
    valid_until: z.string(),
    max_redemptions: z.number().int(),
    home_markets: z.array(z.string()),
    redemptions: z.number().int(),
  })
  .meta({ id: 'Voucher' })
const toVoucherView = (v: Voucher & { redemptions?: number }): z.infer<typeof VoucherView> => ({
  code: v.code,
  kind: v.kind,
  credit_amount: v.creditAmount?.toFixed(2) ?? null,
  currency: v.currency,
  months: v.months,
  valid_from: v.validFrom,
  valid_until: v.validUntil,
  max_redemptions: v.maxRedemptions,
  home_markets: v.homeMarkets,
  redemptions: v.redemptions ?? 0,
})
const RateView = z.object({ base: z.string(), quote: z.string(), valid_from: z.string(), rate: z.string() }).meta({ id: 'ExchangeRate' })

const BlockedInvoiceView = z
  .object({
    contract_id: z.string(),
    month: z.string(),
    reason_code: z.string().describe('Stable code of the last failure: missing_exchange_rate, no_price_list, no_vat_rate, internal_error…'),
    reason: z.string(),
    details: z.unknown().describe('What the reason names, e.g. the missing rates [{ currency, day }]'),
    attempts: z.number().int(),
    blocked_since: z.string(),
    last_attempt_at: z.string(),
  })
  .meta({ id: 'BlockedInvoice' })
const toBlockedInvoiceView = (i: RunItem): z.infer<typeof BlockedInvoiceView> => ({
  contract_id: i.contractId,
  month: i.month,
  reason_code: i.reasonCode ?? 'unknown',
  reason: i.reason ?? '',
  details: i.details ?? null,
  attempts: i.attempts,
  blocked_since: (i.blockedSince ?? i.updatedAt).toISOString(),
  last_attempt_at: i.updatedAt.toISOString(),
})
const InvoiceRunView = z
  .object({
    month: z.string(),
    contracts: z.number().int().describe("Contracts started by the month's end: each gets a run"),
    pending: z.number().int(),
    invoiced: z.number().int(),
    nothing_to_bill: z.number().int(),
    blocked: z
      .array(BlockedInvoiceView)
      .describe('Runs that could not finish and why (at most 100; GET /blocked-invoices pages through all)'),
  })
  .meta({ id: 'InvoiceRun' })
const toInvoiceRunView = (s: InvoiceRunStatus): z.infer<typeof InvoiceRunView> => ({
  month: s.month,
  contracts: s.contracts,
  pending: s.pending,
  invoiced: s.invoiced,
  nothing_to_bill: s.nothingToBill,
  blocked: s.blocked.map(toBlockedInvoiceView),
})

/** Invoices (run, list, get, payments), exchange rates and vouchers (src/billing/README.md). */
export const billingRoutes = (
  app: FastifyInstance,
  deps: { invoices: InvoicesService; vouchers: VouchersService; rates: RatesService; runs: InvoiceRunsService; clock: { now(): Date } },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { invoices, vouchers, rates } = deps

  r.post(
    '/invoice-runs',
    {
      schema: {
        tags,
        summary:
          'Invoice a month: without contract_id, queue one job per contract (idempotent) and answer where the run stands, blocked runs with their reasons; with it, invoice that contract now',
        body: z.object({ month: Month, contract_id: z.string().min(1).max(36).optional(), as_of: z.iso.datetime().optional() }),
        response: {
          202: InvoiceRunView.extend({ enqueued: z.number().int().describe('Jobs queued by this call') }),
          200: z.object({ created: z.boolean(), invoice: InvoiceSummaryView.nullable() }),
        },
      },
    },
    async (req, reply) => {
      const asOf = req.body.as_of ? new Date(req.body.as_of) : deps.clock.now()
      if (!req.body.contract_id) {
        const run = await deps.runs.enqueueMonth(req.body.month, asOf)
        return reply.code(202).send({ ...toInvoiceRunView(run), enqueued: run.enqueued })
      }
      const result = await invoices.runInvoice(req.body.contract_id, req.body.month, asOf)
      return reply.code(200).send({ created: result.created, invoice: result.invoice ? toInvoiceSummaryView(result.invoice) : null })
    },
  )
  const MonthParams = z.object({ month: Month })
  r.get(
    '/invoice-runs/:month',
    {
      schema: {
        tags,
        summary: 'Where the run of a month stands: invoiced, pending, nothing to bill, blocked and why',
        params: MonthParams,
        response: { 200: InvoiceRunView },
      },
    },
    async (req) => toInvoiceRunView(await deps.runs.status(req.params.month)),
  )
  r.post(
    '/invoice-runs/:month/retry',
    {
      schema: {
        tags,
        summary: "Run the month's blocked invoices again now (after adding the missing rate or price list); answers where the run stands",
        params: MonthParams,
        body: z.object({ as_of: z.iso.datetime().optional() }).nullish(),
        response: { 200: InvoiceRunView },
      },
    },
    async (req) =>
      toInvoiceRunView(await deps.runs.retryBlocked(req.params.month, req.body?.as_of ? new Date(req.body.as_of) : deps.clock.now())),
  )
  r.get(
    '/blocked-invoices',
    {
      schema: {
        tags,
        summary: 'Invoice runs that could not finish, with the reason, longest blocked first (X-Total-Count)',
        querystring: z.object({
          month: Month.optional(),
          reason_code: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            total: z.number().int(),
            by_reason: z
              .array(z.object({ reason_code: z.string(), count: z.number().int(), oldest_since: z.string().nullable() }))
              .describe('Every blocked run counted per reason (not paged)'),
            blocked: z.array(BlockedInvoiceView),
          }),
        },
      },
    },
    async (req, reply) => {
      const q = req.query
      const [page, counts] = await Promise.all([
        deps.runs.listBlocked({ month: q.month, reasonCode: q.reason_code, limit: q.limit, offset: q.offset }),
        deps.runs.countBlocked(),
      ])
      reply.header('x-total-count', String(page.total))
      return {
        total: page.total,
        by_reason: counts.map((c) => ({ reason_code: c.reasonCode, count: c.count, oldest_since: c.oldestSince?.toISOString() ?? null })),
        blocked: page.items.map(toBlockedInvoiceView),
      }
    },
  )
  r.get(
    '/invoices',
    {
      schema: {
        tags,
        summary: 'Invoices, newest first',
        querystring: z.object({ contract_id: z.string().optional(), customer_id: z.string().optional(), month: Month.optional() }),
        response: { 200: z.object({ invoices: z.array(InvoiceSummaryView) }) },
      },
    },
    async (req) => ({
      invoices: (
        await invoices.listInvoices({ contractId: req.query.contract_id, customerId: req.query.customer_id, month: req.query.month })
      ).map(toInvoiceSummaryView),
    }),
  )
  const LangQuery = z.object({
    lang: z
      .enum(LOCALES)
      .optional()
      .describe("Language of `document` and the PDF; default the customer's (chosen, else the home market's)"),
  })
  r.get(
    '/invoices/:id',
    {
      schema: {
        tags,
        summary: 'An invoice with seller, customer, lines, VAT, credits, payments and its localised document',
        params: z.object({ id: z.uuid() }),
        querystring: LangQuery,
        response: { 200: InvoiceView },
      },
    },
    async (req) => toInvoiceView(await invoices.getInvoiceDocument(req.params.id, { locale: req.query.lang })),
  )
  r.get(
    '/invoices/:id/pdf',
    {
      schema: {
        tags,
        summary: "An invoice as PDF, in the customer's language or ?lang=",
        params: z.object({ id: z.uuid() }),
        querystring: LangQuery,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const { filename, pdf } = await invoices.getInvoicePdf(req.params.id, { locale: req.query.lang })
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf)
    },
  )
  r.post(
    '/invoices/:id/payments',
    {
      schema: {
        tags,
        summary: 'Record a payment (idempotent per reference); an overpayment becomes a credit on the next invoice',
        params: z.object({ id: z.uuid() }),
        body: z.object({ amount: DecimalString, paid_on: Day, reference: z.string().min(1).max(100) }),
        response: { 201: InvoiceView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        toInvoiceView(
          await invoices.recordPayment(req.params.id, {
            amount: new Decimal(req.body.amount),
            paidOn: req.body.paid_on,
            reference: req.body.reference,
          }),
        ),
      ),
  )

  r.get(
    '/exchange-rates',
    {
      schema: {
        tags,
        summary: 'Exchange rates (1 base = rate × quote from valid_from)',
        querystring: z.object({ base: Currency.optional() }),
        response: { 200: z.object({ rates: z.array(RateView) }) },
      },
    },
    async (req) => ({
      rates: (await rates.listRates(req.query.base)).map((x) => ({
        base: x.base,
        quote: x.quote,
        valid_from: x.validFrom,
        rate: x.rate.toString(),
      })),
    }),
  )
  r.put(
    '/exchange-rates/:base/:quote/:valid_from',
    {
      schema: {
        tags,
        summary: 'Set the rate of a pair from a day on',
        params: z.object({ base: Currency, quote: Currency, valid_from: Day }),
        body: z.object({ rate: DecimalString }),
        response: { 200: RateView },
      },
    },
    async (req) => {
      const p = req.params
      await rates.putRate({ base: p.base, quote: p.quote, validFrom: p.valid_from, rate: new Decimal(req.body.rate) })
      return { base: p.base, quote: p.quote, valid_from: p.valid_from, rate: new Decimal(req.body.rate).toString() }
    },
  )
  r.delete(
    '/exchange-rates/:base/:quote/:valid_from',
    { schema: { tags, summary: 'Delete a rate', params: z.object({ base: Currency, quote: Currency, valid_from: Day }) } },
    async (req, reply) => {
      await rates.deleteRate({ base: req.params.base, quote: req.params.quote, validFrom: req.params.valid_from })
      return reply.code(204).send()
    },
  )

  r.get(
    '/vouchers',
    {
      schema: {
        tags,
        summary: 'Voucher codes with their redemption counts',
        response: { 200: z.object({ vouchers: z.array(VoucherView) }) },
      },
    },
    async () => ({ vouchers: (await vouchers.listVouchers()).map(toVoucherView) }),
  )
  r.post(
    '/vouchers',
    {
      schema: {
        tags,
        summary: 'Create a voucher code: a credit amount or months without base fee',
        body: z.object({
          code: z.string().regex(/^[A-Za-z0-9-]{4,32}$/),
          kind: z.enum(VOUCHER_KINDS),
          credit_amount: DecimalString.optional(),
          currency: Currency.optional(),
          months: z.number().int().min(1).max(36).optional(),
          valid_from: Day,
          valid_until: Day,
          max_redemptions: z.number().int().min(1),
          home_markets: z.array(z.enum(HOME_MARKETS)).min(1),
        }),
        response: { 201: VoucherView },
      },
    },
    async (req, reply) => {
      const b = req.body
      const v = await vouchers.createVoucher({
        code: b.code,
        kind: b.kind,
        creditAmount: b.credit_amount ? new Decimal(b.credit_amount) : undefined,
        currency: b.currency,
        months: b.months,
        validFrom: b.valid_from,
        validUntil: b.valid_until,
        maxRedemptions: b.max_redemptions,
        homeMarkets: b.home_markets,
      })
      return reply.code(201).send(toVoucherView(v))
    },
  )
  const CodeParams = z.object({ code: z.string().min(1).max(64) })
  r.get(
    '/vouchers/:code',
    { schema: { tags, summary: 'A voucher code', params: CodeParams, response: { 200: VoucherView } } },
    async (req) => toVoucherView(await vouchers.getVoucher(req.params.code)),
  )
  r.patch(
    '/vouchers/:code',
    {
      schema: {
        tags,
        summary: 'Change the window end, the number of redemptions or the markets of a voucher',
        params: CodeParams,
        body: z.object({
          valid_until: Day.optional(),
          max_redemptions: z.number().int().min(1).optional(),
          home_markets: z.array(z.enum(HOME_MARKETS)).min(1).optional(),
        }),
        response: { 200: VoucherView },
      },
    },
    async (req) =>
      toVoucherView(
        await vouchers.changeVoucher(req.params.code, {
          validUntil: req.body.valid_until,
          maxRedemptions: req.body.max_redemptions,
          homeMarkets: req.body.home_markets,
        }),
      ),
  )
  r.delete('/vouchers/:code', { schema: { tags, summary: 'Delete a voucher nobody redeemed', params: CodeParams } }, async (req, reply) => {
    await vouchers.deleteVoucher(req.params.code)
    return reply.code(204).send()
  })
}
