// SQL of credits, one-off fees and exchange rates.
import { and, asc, eq, gt, gte, lte } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { billingCredits, billingOneOffFees, exchangeRates } from '../db/schema/index.js'
import type { Credit } from './billing.types.js'
import type { ExchangeRate } from './fx.js'
import type { OneOffFee } from './invoice-calc.js'
import { dec, type Decimal } from './money.js'

export interface NewCredit {
  id: string
  contractId: string
  source: Credit['source']
  sourceRef: string
  currency: string
  amount: Decimal
  createdAt: Date
}

/** Inserts a credit unless one from the same source already exists; answers whether it was new. */
export const insertCredit = async (tx: Db, c: NewCredit): Promise<boolean> => {
  const rows = await tx
    .insert(billingCredits)
    .values({ ...c, amount: c.amount.toFixed(2), remaining: c.amount.toFixed(2) })
    .onConflictDoNothing()
    .returning({ id: billingCredits.id })
  return rows.length === 1
}

/** Credits with something left, oldest first, locked for the invoice's transaction. */
export const openCredits = async (tx: Db, contractId: string): Promise<Credit[]> => {
  const rows = await tx
    .select()
    .from(billingCredits)
    .where(and(eq(billingCredits.contractId, contractId), gt(billingCredits.remaining, '0')))
    .orderBy(asc(billingCredits.createdAt), asc(billingCredits.id))
    .for('update')
  return rows.map((r) => ({
    id: r.id,
    source: r.source as Credit['source'],
    sourceRef: r.sourceRef,
    currency: r.currency,
    remaining: dec(r.remaining),
  }))
}

export const listCredits = async (db: Db, contractId: string) =>
  (await db.select().from(billingCredits).where(eq(billingCredits.contractId, contractId)).orderBy(asc(billingCredits.createdAt))).map(
    (r) => ({
      ...r,
      amount: dec(r.amount),
      remaining: dec(r.remaining),
    }),
  )

export const useCredit = async (tx: Db, id: string, remaining: Decimal) => {
  await tx
    .update(billingCredits)
    .set({ remaining: remaining.toFixed(2) })
    .where(eq(billingCredits.id, id))
}

export const insertOneOffFee = async (
  db: Db,
  f: OneOffFee & { contractId: string; currency: string; reference: string; createdAt: Date },
) => {
  await db
    .insert(billingOneOffFees)
    .values({ ...f, amount: f.amount.toFixed(2) })
    .onConflictDoNothing()
}

export const listOneOffFees = async (db: Db, contractId: string, from: string, to: string): Promise<OneOffFee[]> =>
  (
    await db
      .select()
      .from(billingOneOffFees)
      .where(
        and(eq(billingOneOffFees.contractId, contractId), gte(billingOneOffFees.occurredOn, from), lte(billingOneOffFees.occurredOn, to)),
      )
      .orderBy(asc(billingOneOffFees.occurredOn), asc(billingOneOffFees.id))
  ).map((r) => ({
    id: r.id,
    kind: r.kind as OneOffFee['kind'],
    description: r.description,
    label: r.label,
    amount: dec(r.amount),
    occurredOn: r.occurredOn,
  }))

export const upsertRate = async (db: Db, r: ExchangeRate, now: Date) => {
  await db
    .insert(exchangeRates)
    .values({ base: r.base, quote: r.quote, validFrom: r.validFrom, rate: r.rate.toString(), createdAt: now })
    .onConflictDoUpdate({
      target: [exchangeRates.base, exchangeRates.quote, exchangeRates.validFrom],
      set: { rate: r.rate.toString(), createdAt: now },
    })
}

export const listRates = async (db: Db, base?: string): Promise<ExchangeRate[]> =>
  (
    await db
      .select()
      .from(exchangeRates)
      .where(base ? eq(exchangeRates.base, base) : undefined)
      .orderBy(asc(exchangeRates.quote), asc(exchangeRates.validFrom))
  ).map((r) => ({
    base: r.base,
    quote: r.quote,
    validFrom: r.validFrom,
    rate: dec(r.rate),
  }))

export const deleteRate = async (db: Db, k: { base: string; quote: string; validFrom: string }): Promise<boolean> =>
  (
    await db
      .delete(exchangeRates)
      .where(and(eq(exchangeRates.base, k.base), eq(exchangeRates.quote, k.quote), eq(exchangeRates.validFrom, k.validFrom)))
      .returning({ q: exchangeRates.quote })
  ).length === 1
