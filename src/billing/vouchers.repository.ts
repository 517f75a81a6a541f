// SQL of vouchers and their redemptions.
import { and, asc, count, eq, gt } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { voucherRedemptions, vouchers } from '../db/schema/index.js'
import type { FeeMonthsVoucher } from './billing.types.js'
import { dec, type Decimal } from './money.js'

export const VOUCHER_KINDS = ['CREDIT', 'BASE_FEE_MONTHS'] as const
export type VoucherKind = (typeof VOUCHER_KINDS)[number]

export interface Voucher {
  code: string
  kind: VoucherKind
  creditAmount: Decimal | null
  currency: string | null
  months: number | null
  validFrom: string
  validUntil: string
  maxRedemptions: number
  homeMarkets: string[]
  createdAt: Date
}

export interface Redemption {
  id: string
  code: string
  contractId: string
  redeemedOn: string
  monthsLeft: number
  createdAt: Date
}

type VoucherRow = typeof vouchers.$inferSelect
const fromDbVoucher = (r: VoucherRow): Voucher => ({
  ...r,
  kind: r.kind as VoucherKind,
  creditAmount: r.creditAmount === null ? null : dec(r.creditAmount),
})

/** Inserts unless the code exists; answers whether it was inserted. */
export const insertVoucher = async (db: Db, v: Voucher): Promise<boolean> =>
  (
    await db
      .insert(vouchers)
      .values({ ...v, creditAmount: v.creditAmount?.toFixed(2) ?? null })
      .onConflictDoNothing()
      .returning({ code: vouchers.code })
  ).length === 1

export const findVoucher = async (db: Db, code: string, opts: { forUpdate?: boolean } = {}): Promise<Voucher | undefined> => {
  const q = db.select().from(vouchers).where(eq(vouchers.code, code))
  const [row] = opts.forUpdate ? await q.for('update') : await q
  return row ? fromDbVoucher(row) : undefined
}

export const listVouchers = async (db: Db): Promise<(Voucher & { redemptions: number })[]> => {
  const rows = await db.select().from(vouchers).orderBy(asc(vouchers.createdAt), asc(vouchers.code))
  const counts = await db.select({ code: voucherRedemptions.code, n: count() }).from(voucherRedemptions).groupBy(voucherRedemptions.code)
  const byCode = new Map(counts.map((c) => [c.code, Number(c.n)]))
  return rows.map((r) => ({ ...fromDbVoucher(r), redemptions: byCode.get(r.code) ?? 0 }))
}

export const countRedemptions = async (db: Db, code: string): Promise<number> => {
  const [row] = await db.select({ n: count() }).from(voucherRedemptions).where(eq(voucherRedemptions.code, code))
  return Number(row?.n ?? 0)
}

export const insertRedemption = async (tx: Db, r: Redemption): Promise<boolean> =>
  (await tx.insert(voucherRedemptions).values(r).onConflictDoNothing().returning({ id: voucherRedemptions.id })).length === 1

export const listRedemptionsOfContract = async (db: Db, contractId: string): Promise<Redemption[]> =>
  db
    .select()
    .from(voucherRedemptions)
    .where(eq(voucherRedemptions.contractId, contractId))
    .orderBy(asc(voucherRedemptions.createdAt), asc(voucherRedemptions.id))

/** Month vouchers with months left, oldest first, locked for the invoice's transaction. */
export const feeMonthVouchers = async (tx: Db, contractId: string): Promise<FeeMonthsVoucher[]> =>
  (
    await tx
      .select()
      .from(voucherRedemptions)
      .where(and(eq(voucherRedemptions.contractId, contractId), gt(voucherRedemptions.monthsLeft, 0)))
      .orderBy(asc(voucherRedemptions.createdAt), asc(voucherRedemptions.id))
      .for('update')
  ).map((r) => ({ redemptionId: r.id, code: r.code, monthsLeft: r.monthsLeft }))

export const setMonthsLeft = async (tx: Db, id: string, monthsLeft: number) => {
  await tx.update(voucherRedemptions).set({ monthsLeft }).where(eq(voucherRedemptions.id, id))
}

export const updateVoucher = async (db: Db, code: string, p: { validUntil?: string; maxRedemptions?: number; homeMarkets?: string[] }) => {
  const set = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))
  if (Object.keys(set).length) await db.update(vouchers).set(set).where(eq(vouchers.code, code))
}

export const deleteVoucher = async (db: Db, code: string) => {
  await db.delete(vouchers).where(eq(vouchers.code, code))
}
