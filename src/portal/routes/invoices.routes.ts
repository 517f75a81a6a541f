// Invoices of the logged-in customer, and their PDFs (billing renders them).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { PortalRouteDeps } from '../index.js'
import { invoicesPage } from '../pages/invoices.js'
import { customerOf, render } from '../render.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const invoiceRoutes = (app: FastifyInstance, deps: PortalRouteDeps) => {
  app.get('/invoices', { schema: { hide: true } }, async (req, reply) => {
    const { ctx } = req.portal
    const invoices = await deps.billing.invoices.listInvoices({ customerId: customerOf(req) })
    return render(reply, ctx, { title: ctx.t('nav.invoices'), current: 'invoices', body: invoicesPage(ctx, invoices) })
  })

  // In the language of the page; another customer's invoice is not found (billing checks the owner).
  app.get<{ Params: { id: string } }>('/invoices/:id/pdf', { schema: { hide: true } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return reply.callNotFound()
    const { filename, pdf } = await deps.billing.invoices.getInvoicePdf(req.params.id, {
      customerId: customerOf(req),
      locale: req.portal.ctx.locale,
    })
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf)
  })
}
