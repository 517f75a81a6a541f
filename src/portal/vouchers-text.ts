// Vouchers in words: what a code gives (before and after it is redeemed) and why a code is refused.
import type { Voucher } from '../billing/index.js'
import { DomainError } from '../platform/errors.js'
import type { MsgKey } from './catalog.js'
import type { Formatters, PageContext } from './context.js'

const REFUSALS: Record<string, MsgKey> = {
  voucher_unknown: 'err.voucher.unknown',
  voucher_expired: 'err.voucher.expired',
  voucher_not_yet_valid: 'err.voucher.notYetValid',
  voucher_not_for_market: 'err.voucher.notForMarket',
  voucher_already_redeemed: 'err.voucher.alreadyRedeemed',
  voucher_used_up: 'err.voucher.usedUp',
  contract_terminated: 'err.voucher.contractEnded',
}

/** The message key of a refused code; anything that is not a voucher refusal is rethrown. */
export const voucherRefusal = (err: unknown): MsgKey => {
  if (err instanceof DomainError && REFUSALS[err.code]) return REFUSALS[err.code]!
  throw err
}

/** "a credit of €10.00 towards your invoices" / "3 months without base fee", valid until … */
export const voucherGives = (ctx: PageContext, f: Formatters, v: Pick<Voucher, 'kind' | 'creditAmount' | 'currency' | 'months'>): string =>
  v.kind === 'CREDIT' && v.creditAmount && v.currency
    ? ctx.t('voucher.gives.credit', { amount: f.money(v.creditAmount, v.currency) })
    : ctx.t('voucher.gives.months', { months: v.months ?? 0 })
