// Step: the payment status of an invoice from the payments recorded against it.
import type { InvoiceStatus } from './billing.types.js'
import { Decimal } from './money.js'

/** PAID once the payments cover what was due (an invoice with nothing due is PAID at once). */
export const invoiceStatus = (amountDue: Decimal, paid: Decimal): InvoiceStatus => {
  if (paid.gte(amountDue)) return 'PAID'
  return paid.gt(0) ? 'PARTIALLY_PAID' : 'OPEN'
}

/** The part of a new payment beyond what was still due: it becomes a credit on the next invoice. */
export const overpayment = (amountDue: Decimal, paidBefore: Decimal, payment: Decimal): Decimal => {
  const open = Decimal.max(new Decimal(0), amountDue.minus(paidBefore))
  return Decimal.max(new Decimal(0), payment.minus(open))
}
