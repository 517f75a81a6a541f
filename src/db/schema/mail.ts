import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Every e-mail the service sends (src/mail owns this table). Without SMTP the outbox is the
 * delivery: operators and tests read the mail here. With SMTP a job sends it and records
 * `sent_at`; the body is then erased, so no one-time link stays readable in the database.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    /** Plain text body; null once an SMTP server accepted the mail. */
    body: text('body'),
    /** What the mail is about (registration, password_reset, …), for operators. */
    kind: text('kind').notNull(),
    /** outbox (kept here) or smtp. */
    transport: text('transport').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
  },
  (t) => [index('mail_outbox_recipient_idx').on(t.recipient, t.createdAt)],
)
