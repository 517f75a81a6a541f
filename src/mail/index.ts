// The mail port: every e-mail the service sends goes through `send`. Without SMTP (the embedded
// default) the outbox table is the delivery and the mail is logged, so a developer, an operator
// (GET /admin/v1/mail-outbox) and the tests read it there. With SMTP_URL a durable job sends it
// (retries with backoff, a failure stays visible on the row and in the failed jobs).
import type { FastifyBaseLogger } from 'fastify'
import nodemailer from 'nodemailer'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { Clock } from '../platform/clock.js'
import type { Ids } from '../platform/ids.js'
import * as repo from './mail.repository.js'

export type { OutboxMail } from './mail.repository.js'

export interface Mail {
  to: string
  subject: string
  text: string
  /** What it is about, for operators: registration, password_reset, … */
  kind: string
}

export interface MailDeps {
  db: Db
  jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  /** `From:` of every mail. */
  from: string
  /** smtp:// or smtps:// URL (credentials in it); absent: the outbox is the delivery. */
  smtpUrl?: string
  /** Connection, greeting and socket timeout of the SMTP client. */
  timeoutMs?: number
}

export const MAIL_QUEUE = 'mail.send'

export const createMailModule = (deps: MailDeps) => {
  const { db, clock, log } = deps
  const timeout = deps.timeoutMs ?? 10_000
  const transport = deps.smtpUrl
    ? nodemailer.createTransport({ url: deps.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout })
    : undefined

  if (transport) {
    deps.jobs.register(MAIL_QUEUE, async (payload) => {
      const mail = await repo.findMail(db, String(payload.id))
      if (!mail || mail.sentAt || mail.body === null) return
      try {
        await transport.sendMail({ from: deps.from, to: mail.recipient, subject: mail.subject, text: mail.body })
      } catch (err) {
        await repo.markFailed(db, mail.id, err instanceof Error ? err.message : String(err))
        throw err
      }
      await repo.markSent(db, mail.id, clock.now())
    })
  }

  /** Queues a mail; with SMTP the job is written in the same transaction as the outbox row. */
  const send = async (mail: Mail): Promise<{ id: string }> => {
    const row: repo.OutboxMail = {
      id: deps.ids.uuid(),
      recipient: mail.to.trim().toLowerCase(),
      subject: mail.subject,
      body: mail.text,
      kind: mail.kind,
      transport: transport ? 'smtp' : 'outbox',
      createdAt: clock.now(),
      sentAt: null,
      lastError: null,
    }
    if (!transport) {
      await repo.insertMail(db, row)
      // The development delivery: the mail (links included) is what a developer reads to go on.
      log.info(
        { mail: { id: row.id, to: row.recipient, subject: row.subject, text: row.body } },
        'mail kept in the outbox (no SMTP_URL configured)',
      )
      return { id: row.id }
    }
    await db.transaction(async (tx) => {
      await repo.insertMail(tx, row)
      await deps.jobs.enqueue(tx, { queue: MAIL_QUEUE, payload: { id: row.id }, dedupeKey: row.id, maxAttempts: 12 })
    })
    deps.jobs.kick()
    return { id: row.id }
  }

  return {
    send,
    /** The outbox, newest first (operators; tests read the links from here). */
    listOutbox: (q: { recipient?: string; limit?: number } = {}) =>
      repo.listMails(db, { recipient: q.recipient, limit: Math.min(q.limit ?? 50, 500) }),
    close: () => transport?.close(),
  }
}

export type MailModule = ReturnType<typeof createMailModule>
