import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { InvoiceSummaryView, InvoiceView, renderInvoicePdf, toInvoiceSummaryView, toInvoiceView, type InvoicesService } from '../billing/index.js'
import { customerIdOf } from './surface.js'

const tags = ['app: invoices']
const Params = z.object({ id: z.uuid() })

/** The customer's own invoices, with status and PDF (FAQ: "Invoices" tab, ⤓ download). */
export const appInvoicesRoutes = (app: FastifyInstance, deps: { invoices: InvoicesService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get('/invoices', { schema: { tags, summary: 'Your invoices with their status, newest first', response: { 200: z.object({ invoices: z.array(InvoiceSummaryView) }) } } }, async (req) => ({
    invoices: (await deps.invoices.listInvoices({ customerId: customerIdOf(req) })).map(toInvoiceSummaryView),
  }))
  r.get('/invoices/:id', { schema: { tags, summary: 'One of your invoices with its lines', params: Params, response: { 200: InvoiceView } } }, async (req) =>
    toInvoiceView(await deps.invoices.getInvoiceOfCustomer(customerIdOf(req), req.params.id)),
  )
  r.get('/invoices/:id/pdf', { schema: { tags, summary: 'One of your invoices as PDF', params: Params, produces: ['application/pdf'] } }, async (req, reply) => {
    const found = await deps.invoices.getInvoiceOfCustomer(customerIdOf(req), req.params.id)
    const pdf = await renderInvoicePdf(found.invoice, found.lines, found.payments)
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${found.invoice.number}.pdf"`).send(pdf)
  })
}
