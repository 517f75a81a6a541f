// Step: credits the customer holds (credit vouchers, overpayments, negative invoices) pay the
// invoice, oldest first, up to its total. They work like a payment: the VAT shown stays the VAT
// contained in the lines (a multi-purpose voucher is taxed when the service is supplied).
import type { Credit, CreditUse } from './billing.types.js'
import { Decimal } from './money.js'

export interface ApplyCreditsResult {
  uses: CreditUse[]
  /** What is left to pay after the credits; never negative. */
  amountDue: Decimal
  /** A negative total (reversals larger than charges) becomes a credit for the next invoice. */
  carryForward: Decimal
}

export const applyCredits = (total: Decimal, credits: readonly Credit[]): ApplyCreditsResult => {
  if (total.lt(0)) return { uses: [], amountDue: new Decimal(0), carryForward: total.negated() }
  let due = total
  const uses: CreditUse[] = []
  for (const c of credits) {
    if (due.isZero()) break
    if (!c.remaining.gt(0)) continue
    const amount = Decimal.min(due, c.remaining)
    uses.push({ creditId: c.id, source: c.source, sourceRef: c.sourceRef, amount })
    due = due.minus(amount)
  }
  return { uses, amountDue: due, carryForward: new Decimal(0) }
}
