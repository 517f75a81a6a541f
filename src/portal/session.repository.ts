// SQL of the customer area's sessions.
import { eq, lt } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { portalSessions } from '../db/schema/index.js'

export type SessionRow = typeof portalSessions.$inferSelect

export const findSession = async (db: Db, idHash: string): Promise<SessionRow | undefined> =>
  (await db.select().from(portalSessions).where(eq(portalSessions.idHash, idHash)))[0]

export const upsertSession = async (db: Db, row: SessionRow) => {
  await db
    .insert(portalSessions)
    .values(row)
    .onConflictDoUpdate({ target: portalSessions.idHash, set: { customerId: row.customerId, data: row.data, expiresAt: row.expiresAt } })
}

export const deleteSession = async (db: Db, idHash: string) => {
  await db.delete(portalSessions).where(eq(portalSessions.idHash, idHash))
}

export const deleteSessionsOf = async (db: Db, customerId: string) => {
  await db.delete(portalSessions).where(eq(portalSessions.customerId, customerId))
}

export const deleteExpiredSessions = async (db: Db, now: Date) => {
  await db.delete(portalSessions).where(lt(portalSessions.expiresAt, now))
}
