import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { MailModule } from '../mail/index.js'

const OutboxMailView = z
  .object({
    id: z.string(),
    recipient: z.string(),
    subject: z.string(),
    body: z
      .string()
      .nullable()
      .describe('Kept while the outbox is the delivery (no SMTP_URL); erased once an SMTP server accepted the mail'),
    kind: z.string(),
    transport: z.enum(['outbox', 'smtp']),
    created_at: z.string(),
    sent_at: z.string().nullable(),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'OutboxMail' })

/** The mail outbox: what the service sent (without SMTP, the only delivery: registration and password links are read here). */
export const mailRoutes = (app: FastifyInstance, deps: { mail: Pick<MailModule, 'listOutbox'> }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/mail-outbox',
    {
      schema: {
        tags: ['admin: mail'],
        summary: 'E-mails sent, newest first',
        querystring: z.object({ recipient: z.string().max(254).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ mails: z.array(OutboxMailView) }) },
      },
    },
    async (req) => ({
      mails: (await deps.mail.listOutbox({ recipient: req.query.recipient, limit: req.query.limit })).map((m) => ({
        id: m.id,
        recipient: m.recipient,
        subject: m.subject,
        body: m.body,
        kind: m.kind,
        transport: m.transport as 'outbox' | 'smtp',
        created_at: m.createdAt.toISOString(),
        sent_at: m.sentAt?.toISOString() ?? null,
        last_error: m.lastError,
      })),
    }),
  )
}
