// SQL of the mail outbox.
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { mailOutbox } from '../db/schema/index.js'

export type OutboxMail = typeof mailOutbox.$inferSelect

export const insertMail = async (db: Db, m: OutboxMail) => {
  await db.insert(mailOutbox).values(m)
}

export const findMail = async (db: Db, id: string): Promise<OutboxMail | undefined> =>
  (await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]

/** Sent: the body is erased (an SMTP server has it; no one-time link stays readable here). */
export const markSent = async (db: Db, id: string, at: Date) => {
  await db.update(mailOutbox).set({ sentAt: at, body: null, lastError: null }).where(eq(mailOutbox.id, id))
}

export const markFailed = async (db: Db, id: string, error: string) => {
  await db
    .update(mailOutbox)
    .set({ lastError: error.slice(0, 500) })
    .where(eq(mailOutbox.id, id))
}

/** Newest first, optionally of one recipient (case-insensitive). */
export const listMails = async (db: Db, q: { recipient?: string; limit: number }): Promise<OutboxMail[]> =>
  db
    .select()
    .from(mailOutbox)
    .where(q.recipient ? and(eq(mailOutbox.recipient, q.recipient.trim().toLowerCase())) : undefined)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(q.limit)
