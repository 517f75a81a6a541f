// SQL of customer logins (customer_accounts) and the one-time e-mail links (customer_account_tokens).
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { customerAccounts, customerAccountTokens, customers } from '../db/schema/index.js'

export interface Account {
  customerId: string
  email: string
  passwordHash: string | null
  emailVerifiedAt: Date | null
  oidcIssuer: string | null
  oidcSubject: string | null
  failedLogins: number
  lockedUntil: Date | null
  createdAt: Date
  updatedAt: Date
}

export type TokenPurpose = 'registration' | 'password_reset'

export interface AccountToken {
  tokenHash: string
  purpose: TokenPurpose
  email: string
  customerId: string | null
  payload: Record<string, unknown> | null
  expiresAt: Date
  usedAt: Date | null
  createdAt: Date
}

/** Inserts unless the e-mail (or the OpenID Connect identity) has an account; answers whether it was inserted. */
export const insertAccount = async (db: Db, a: Account): Promise<boolean> =>
  (await db.insert(customerAccounts).values(a).onConflictDoNothing().returning({ id: customerAccounts.customerId })).length === 1

export const findAccountByEmail = async (db: Db, email: string): Promise<Account | undefined> =>
  (await db.select().from(customerAccounts).where(eq(customerAccounts.email, email)))[0]

export const findAccountOfCustomer = async (db: Db, customerId: string): Promise<Account | undefined> =>
  (await db.select().from(customerAccounts).where(eq(customerAccounts.customerId, customerId)))[0]

export const findAccountByOidc = async (db: Db, issuer: string, subject: string): Promise<Account | undefined> =>
  (
    await db
      .select()
      .from(customerAccounts)
      .where(and(eq(customerAccounts.oidcIssuer, issuer), eq(customerAccounts.oidcSubject, subject)))
  )[0]

/** A failed password: counts it and, at `limit` in a row, locks the login until `lockUntil`. */
export const recordFailedLogin = async (db: Db, customerId: string, limit: number, lockUntil: Date, now: Date) => {
  await db
    .update(customerAccounts)
    .set({
      failedLogins: sql`case when ${customerAccounts.failedLogins} + 1 >= ${limit} then 0 else ${customerAccounts.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${customerAccounts.failedLogins} + 1 >= ${limit} then ${lockUntil.toISOString()}::timestamptz else ${customerAccounts.lockedUntil} end`,
      updatedAt: now,
    })
    .where(eq(customerAccounts.customerId, customerId))
}

export const updateAccount = async (db: Db, customerId: string, set: Partial<Omit<Account, 'customerId' | 'createdAt'>>) => {
  await db.update(customerAccounts).set(set).where(eq(customerAccounts.customerId, customerId))
}

export const insertToken = async (db: Db, t: AccountToken) => {
  await db.insert(customerAccountTokens).values(t)
}

/**
 * Marks an unused, unexpired token of `purpose` used and answers it; undefined when there is none
 * (unknown, used, expired). The update is the claim, so a link works once even when clicked twice.
 */
export const claimToken = async (db: Db, tokenHash: string, purpose: TokenPurpose, now: Date): Promise<AccountToken | undefined> => {
  const [row] = await db
    .update(customerAccountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(customerAccountTokens.tokenHash, tokenHash),
        eq(customerAccountTokens.purpose, purpose),
        isNull(customerAccountTokens.usedAt),
        gt(customerAccountTokens.expiresAt, now),
      ),
    )
    .returning()
  return row as AccountToken | undefined
}

/** An unused, unexpired token, without using it (the page before the confirming button). */
export const findUsableToken = async (db: Db, tokenHash: string, purpose: TokenPurpose, now: Date): Promise<AccountToken | undefined> =>
  (
    await db
      .select()
      .from(customerAccountTokens)
      .where(
        and(
          eq(customerAccountTokens.tokenHash, tokenHash),
          eq(customerAccountTokens.purpose, purpose),
          isNull(customerAccountTokens.usedAt),
          gt(customerAccountTokens.expiresAt, now),
        ),
      )
  )[0] as AccountToken | undefined

/** Expires the other open links of an e-mail address (a new reset link replaces the old ones). */
export const expireTokensOf = async (db: Db, email: string, purpose: TokenPurpose, now: Date) => {
  await db
    .update(customerAccountTokens)
    .set({ usedAt: now })
    .where(and(eq(customerAccountTokens.email, email), eq(customerAccountTokens.purpose, purpose), isNull(customerAccountTokens.usedAt)))
}

/** Deletes links that expired (or were used) before `before`: a pending registration holds personal data. */
export const deleteStaleTokens = async (db: Db, before: Date) => {
  await db.delete(customerAccountTokens).where(or(lt(customerAccountTokens.expiresAt, before), lt(customerAccountTokens.usedAt, before)))
}

/** Customers without a login whose e-mail is `email` (case-insensitive), not deleted: operator-created ones. */
export const customersWithoutAccount = async (db: Db, email: string): Promise<string[]> =>
  (
    await db
      .select({ id: customers.id })
      .from(customers)
      .leftJoin(customerAccounts, eq(customerAccounts.customerId, customers.id))
      .where(and(sql`lower(${customers.email}) = ${email}`, isNull(customers.deletedAt), isNull(customerAccounts.customerId)))
  ).map((r) => r.id)
