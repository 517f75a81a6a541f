// SQL of invoices, lines, numbering and payments. Functions take (db, params); db may be a transaction.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { invoiceCounters, invoiceLines, invoicePayments, invoices } from '../db/schema/index.js'
import type { InvoicedCdr, InvoiceLine, InvoiceStatus, Seller } from './billing.types.js'
import type { CustomerAddress } from '../customers/index.js'
import { dec, Decimal } from './money.js'

export interface Invoice {
  id: string
  number: string
  contractId: string
  customerId: string
  customerName: string
  /** The customer's postal address at issue; null when none was given. */
  customerAddress: CustomerAddress | null
  /** The seller at issue; null on invoices issued before it was recorded (shown with the configured one). */
  seller: Seller | null
  homeMarket: string
  month: string
  issueDate: string
  dueDate: string
  currency: string
  total: Decimal
  vat: { rate: Decimal; gross: Decimal; net: Decimal; vat: Decimal }[]
  credits: { creditId: string; source: string; sourceRef: string; amount: Decimal }[]
  amountDue: Decimal
  paid: Decimal
  status: InvoiceStatus
  createdAt: Date
}

export interface Payment {
  id: string
  invoiceId: string
  amount: Decimal
  paidOn: string
  reference: string
  createdAt: Date
}

type InvoiceRow = typeof invoices.$inferSelect
type LineRow = typeof invoiceLines.$inferSelect

const fromDbInvoice = (r: InvoiceRow): Invoice => ({
  ...r,
  seller: r.seller as Seller | null,
  total: dec(r.total),
  vat: r.vat.map((v) => ({ rate: dec(v.rate), gross: dec(v.gross), net: dec(v.net), vat: dec(v.vat) })),
  credits: r.credits.map((c) => ({ ...c, amount: dec(c.amount) })),
  amountDue: dec(r.amountDue),
  paid: dec(r.paid),
  status: r.status as InvoiceStatus,
})

const toDbInvoice = (i: Invoice): InvoiceRow => ({
  ...i,
  seller: i.seller ? { ...i.seller } : null,
  total: i.total.toFixed(2),
  vat: i.vat.map((v) => ({ rate: v.rate.toString(), gross: v.gross.toFixed(2), net: v.net.toFixed(2), vat: v.vat.toFixed(2) })),
  credits: i.credits.map((c) => ({ ...c, amount: c.amount.toFixed(2) })),
  amountDue: i.amountDue.toFixed(2),
  paid: i.paid.toFixed(2),
})

/** The kind-specific facts of a line (session, rule, tariff, waiver, card), stored as one JSON object. */
interface LineFactsJson {
  session?: InvoiceLine['session']
  rule?: string
  billedBefore?: string
  tariff?: InvoiceLine['tariff']
  waiver?: InvoiceLine['waiver']
  oneOff?: InvoiceLine['oneOff']
}

const toDbFacts = (l: InvoiceLine): LineFactsJson | null => {
  const facts: LineFactsJson = {
    session: l.session,
    rule: l.rule,
    billedBefore: l.billedBefore?.toFixed(2),
    tariff: l.tariff,
    waiver: l.waiver,
    oneOff: l.oneOff,
  }
  const defined = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined))
  return Object.keys(defined).length ? defined : null
}

const fromDbFacts = (f: LineFactsJson | null): Partial<InvoiceLine> => {
  if (!f) return {}
  const { billedBefore, ...rest } = f
  return { ...rest, ...(billedBefore !== undefined ? { billedBefore: dec(billedBefore) } : {}) }
}

const fromDbLine = (r: LineRow): InvoiceLine => ({
  kind: r.kind as InvoiceLine['kind'],
  description: r.description,
  amount: dec(r.amount),
  vatRate: dec(r.vatRate),
  serviceDate: r.serviceDate,
  ...(r.periodFrom ? { periodFrom: r.periodFrom, periodTo: r.periodTo ?? undefined } : {}),
  ...(r.chargeId ? { chargeId: r.chargeId, cdrId: r.cdrId ?? undefined } : {}),
  ...(r.originalAmount && r.originalCurrency && r.fxRate
    ? {
        original: {
          amount: dec(r.originalAmount),
          currency: r.originalCurrency,
          rate: dec(r.fxRate),
          rateValidFrom: r.fxRateValidFrom ?? '',
        },
      }
    : {}),
  ...(r.details ? { details: r.details } : {}),
  ...fromDbFacts(r.facts as LineFactsJson | null),
})

const toDbLine = (invoiceId: string, position: number, l: InvoiceLine): LineRow => ({
  invoiceId,
  position,
  kind: l.kind,
  description: l.description,
  amount: l.amount.toFixed(2),
  vatRate: l.vatRate.toString(),
  serviceDate: l.serviceDate,
  periodFrom: l.periodFrom ?? null,
  periodTo: l.periodTo ?? null,
  chargeId: l.chargeId ?? null,
  cdrId: l.cdrId ?? null,
  originalAmount: l.original ? l.original.amount.toFixed(2) : null,
  originalCurrency: l.original?.currency ?? null,
  fxRate: l.original ? l.original.rate.toString() : null,
  fxRateValidFrom: l.original?.rateValidFrom ?? null,
  details: l.details ? [...l.details] : null,
  facts: toDbFacts(l) as Record<string, unknown> | null,
})

export const findInvoiceOfMonth = async (db: Db, contractId: string, month: string): Promise<Invoice | undefined> => {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.contractId, contractId), eq(invoices.month, month)))
  return row ? fromDbInvoice(row) : undefined
}

export const findInvoice = async (db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<Invoice | undefined> => {
  const q = db.select().from(invoices).where(eq(invoices.id, id))
  const [row] = opts.forUpdate ? await q.for('update') : await q
  return row ? fromDbInvoice(row) : undefined
}

export const listLines = async (db: Db, invoiceId: string): Promise<InvoiceLine[]> =>
  (await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position))).map(fromDbLine)

export const listInvoices = async (db: Db, q: { customerId?: string; contractId?: string; month?: string }): Promise<Invoice[]> => {
  const where = and(
    q.customerId ? eq(invoices.customerId, q.customerId) : undefined,
    q.contractId ? eq(invoices.contractId, q.contractId) : undefined,
    q.month ? eq(invoices.month, q.month) : undefined,
  )
  return (await db.select().from(invoices).where(where).orderBy(desc(invoices.issueDate), desc(invoices.number))).map(fromDbInvoice)
}

/** The CDRs (our row ids) on the contract's invoices: the charges billed and the amount billed for each. */
export const invoicedCdrs = async (db: Db, contractId: string): Promise<Map<string, InvoicedCdr>> => {
  const rows = await db
    .select({ cdrId: invoiceLines.cdrId, chargeId: invoiceLines.chargeId, amount: invoiceLines.amount })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(and(eq(invoices.contractId, contractId), isNotNull(invoiceLines.cdrId)))
  const out = new Map<string, { chargeIds: Set<string>; amount: Decimal }>()
  for (const r of rows) {
    const entry = out.get(r.cdrId!) ?? { chargeIds: new Set<string>(), amount: new Decimal(0) }
    if (r.chargeId) entry.chargeIds.add(r.chargeId)
    entry.amount = entry.amount.plus(dec(r.amount))
    out.set(r.cdrId!, entry)
  }
  return out
}

/**
 * The next number of (home market, year). The counter row is locked by the upsert until the
 * invoice's transaction ends, so numbers are gapless: a rolled-back invoice gives its number back.
 */
export const nextInvoiceNumber = async (tx: Db, homeMarket: string, year: number): Promise<number> => {
  const [row] = await tx
    .insert(invoiceCounters)
    .values({ homeMarket, year, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [invoiceCounters.homeMarket, invoiceCounters.year],
      set: { lastNumber: sql`${invoiceCounters.lastNumber} + 1` },
    })
    .returning({ n: invoiceCounters.lastNumber })
  return row!.n
}

export const insertInvoice = async (tx: Db, invoice: Invoice, lines: readonly InvoiceLine[]) => {
  await tx.insert(invoices).values(toDbInvoice(invoice))
  if (lines.length) await tx.insert(invoiceLines).values(lines.map((l, i) => toDbLine(invoice.id, i + 1, l)))
}

export const updatePaid = async (tx: Db, id: string, paid: Decimal, status: InvoiceStatus) => {
  await tx
    .update(invoices)
    .set({ paid: paid.toFixed(2), status })
    .where(eq(invoices.id, id))
}

/** Inserts the payment unless its reference was recorded already; answers whether it was new. */
export const insertPayment = async (tx: Db, p: Payment): Promise<boolean> => {
  const rows = await tx
    .insert(invoicePayments)
    .values({ ...p, amount: p.amount.toFixed(2) })
    .onConflictDoNothing()
    .returning({ id: invoicePayments.id })
  return rows.length === 1
}

export const listPayments = async (db: Db, invoiceIds: readonly string[]): Promise<Payment[]> => {
  if (invoiceIds.length === 0) return []
  const rows = await db
    .select()
    .from(invoicePayments)
    .where(inArray(invoicePayments.invoiceId, [...invoiceIds]))
    .orderBy(asc(invoicePayments.createdAt))
  return rows.map((r) => ({ ...r, amount: dec(r.amount) }))
}
