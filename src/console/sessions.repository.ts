import { and, eq, gt, lte } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { consoleSessions } from '../db/schema/index.js'

export interface ConsoleSessionRow {
  idHash: string
  csrfToken: string
  createdAt: Date
  expiresAt: Date
  createdFrom: string
}

export const insertSession = async (db: Db, row: ConsoleSessionRow) => {
  await db.insert(consoleSessions).values(row)
}

/** The session with this id hash, unless it has expired. */
export const findLiveSession = async (db: Db, idHash: string, now: Date): Promise<ConsoleSessionRow | undefined> => {
  const [row] = await db
    .select()
    .from(consoleSessions)
    .where(and(eq(consoleSessions.idHash, idHash), gt(consoleSessions.expiresAt, now)))
  return row
}

export const deleteSession = async (db: Db, idHash: string) => {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash))
}

export const deleteExpiredSessions = async (db: Db, now: Date) => {
  await db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now))
}
