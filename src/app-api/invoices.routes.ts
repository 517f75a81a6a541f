import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { InvoiceListItemView, InvoiceView, toInvoiceListItemView, toInvoiceView, type InvoicesService } from '../billing/index.js'
import { LOCALES } from '../i18n/index.js'
import { customerIdOf } from './surface.js'

const tags = ['app: invoices']
const Params = z.object({ id: z.uuid() })
const LangQuery = z.object({
  lang: z.enum(LOCALES).optional().describe("Language of `document` and the PDF; default the customer's (chosen, else the home market's)"),
})

/** The customer's own invoices, with status and PDF (FAQ: "Invoices" tab, ⤓ download). */
export const appInvoicesRoutes = (app: FastifyInstance, deps: { invoices: InvoicesService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/invoices',
    {
      schema: {
        tags,
        summary: 'Your invoices with their status, newest first',
        querystring: LangQuery,
        response: { 200: z.object({ invoices: z.array(InvoiceListItemView) }) },
      },
    },
    async (req) => ({
      invoices: (await deps.invoices.listInvoicesOfCustomer(customerIdOf(req), { locale: req.query.lang })).map(toInvoiceListItemView),
    }),
  )
  r.get(
    '/invoices/:id',
    {
      schema: {
        tags,
        summary: 'One of your invoices with its lines and its localised document',
        params: Params,
        querystring: LangQuery,
        response: { 200: InvoiceView },
      },
    },
    async (req) =>
      toInvoiceView(await deps.invoices.getInvoiceDocument(req.params.id, { customerId: customerIdOf(req), locale: req.query.lang })),
  )
  r.get(
    '/invoices/:id/pdf',
    {
      schema: {
        tags,
        summary: 'One of your invoices as PDF, in your language or ?lang=',
        params: Params,
        querystring: LangQuery,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const { filename, pdf } = await deps.invoices.getInvoicePdf(req.params.id, { customerId: customerIdOf(req), locale: req.query.lang })
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf)
    },
  )
}
