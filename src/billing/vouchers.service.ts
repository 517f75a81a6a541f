// Voucher codes: operators create them, customers redeem one per code and contract. A credit
// voucher becomes a credit the following invoices use until it is spent; a months voucher waives
// the base fee of that many following fee periods.
import type { CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { conflict, DomainError, notFound } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import * as brepo from './billing.repository.js'
import type { Decimal } from './money.js'
import * as vrepo from './vouchers.repository.js'

export interface CreateVoucherInput {
  code: string
  kind: vrepo.VoucherKind
  creditAmount?: Decimal
  currency?: string
  months?: number
  validFrom: string
  validUntil: string
  maxRedemptions: number
  homeMarkets: string[]
}

export const normalizeCode = (code: string) => code.trim().toUpperCase()

export const createVouchersService = (deps: {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  customers: Pick<CustomersService, 'getContract'>
}) => {
  const { db, clock, ids } = deps

  const createVoucher = async (input: CreateVoucherInput): Promise<vrepo.Voucher> => {
    if (input.kind === 'CREDIT' && !(input.creditAmount?.gt(0) && input.currency))
      throw new DomainError('invalid_voucher', 'A CREDIT voucher needs a positive credit_amount and a currency', 400)
    if (input.kind === 'BASE_FEE_MONTHS' && !(input.months && input.months >= 1))
      throw new DomainError('invalid_voucher', 'A BASE_FEE_MONTHS voucher needs months ≥ 1', 400)
    if (input.validFrom > input.validUntil) throw new DomainError('invalid_voucher', 'valid_from is after valid_until', 400)
    const voucher: vrepo.Voucher = {
      code: normalizeCode(input.code),
      kind: input.kind,
      creditAmount: input.kind === 'CREDIT' ? input.creditAmount! : null,
      currency: input.kind === 'CREDIT' ? input.currency! : null,
      months: input.kind === 'BASE_FEE_MONTHS' ? input.months! : null,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      maxRedemptions: input.maxRedemptions,
      homeMarkets: input.homeMarkets,
      createdAt: clock.now(),
    }
    if (!(await vrepo.insertVoucher(db, voucher))) throw conflict('voucher_exists', `Voucher ${voucher.code} exists already`)
    return voucher
  }

  /**
   * The voucher `code` if `contractId` (or, before there is a contract, any contract in `homeMarket`)
   * may redeem it on `today`; else the refusal, each with its own code: voucher_unknown,
   * voucher_not_yet_valid, voucher_expired, voucher_not_for_market, voucher_already_redeemed
   * (by this contract), voucher_used_up (all redemptions taken).
   */
  const redeemable = async (tx: Db, code: string, p: { homeMarket: string; contractId?: string; today: string; forUpdate?: boolean }) => {
    const v = await vrepo.findVoucher(tx, code, { forUpdate: p.forUpdate })
    if (!v) throw notFound('voucher_unknown', `There is no voucher ${code}`)
    if (p.today < v.validFrom) throw conflict('voucher_not_yet_valid', `Voucher ${code} can be redeemed from ${v.validFrom}`)
    if (p.today > v.validUntil) throw new DomainError('voucher_expired', `Voucher ${code} expired on ${v.validUntil}`, 410)
    if (!v.homeMarkets.includes(p.homeMarket))
      throw new DomainError('voucher_not_for_market', `Voucher ${code} is not valid for contracts in ${p.homeMarket}`, 422)
    const mine = p.contractId !== undefined && (await vrepo.listRedemptionsOfContract(tx, p.contractId)).some((r) => r.code === code)
    if (mine) throw conflict('voucher_already_redeemed', `Voucher ${code} was already redeemed for this contract`)
    if ((await vrepo.countRedemptions(tx, code)) >= v.maxRedemptions) throw conflict('voucher_used_up', `Voucher ${code} has been used up`)
    return v
  }

  /**
   * "Check voucher" (FAQ): what a code would give, before it is redeemed; the refusals of `redeem`.
   * Without a contract (at registration) the home market decides. Reads only.
   */
  const checkVoucher = async (rawCode: string, p: { homeMarket: string; contractId?: string; today: string }) =>
    redeemable(db, normalizeCode(rawCode), p)

  /** Redeems a code for a contract on `today`; refusals as `checkVoucher`. */
  const redeem = async (contractId: string, rawCode: string, today: string) => {
    const code = normalizeCode(rawCode)
    const { contract } = await deps.customers.getContract(contractId)
    if (contract.state === 'terminated') throw conflict('contract_terminated', `Contract ${contractId} is terminated`)
    return db.transaction(async (tx) => {
      // The row lock serialises redemptions of one code, so max_redemptions holds under concurrency.
      const v = await redeemable(tx, code, { homeMarket: contract.homeMarket, contractId, today, forUpdate: true })
      const redemption: vrepo.Redemption = {
        id: ids.uuid(),
        code,
        contractId,
        redeemedOn: today,
        monthsLeft: v.months ?? 0,
        createdAt: clock.now(),
      }
      await vrepo.insertRedemption(tx, redemption)
      if (v.kind === 'CREDIT') {
        await brepo.insertCredit(tx, {
          id: ids.uuid(),
          contractId,
          source: 'VOUCHER',
          sourceRef: code,
          currency: v.currency!,
          amount: v.creditAmount!,
          createdAt: clock.now(),
        })
      }
      return { voucher: v, redemption }
    })
  }

  /** The contract's redeemed vouchers with what is left of each (credit or months). */
  const vouchersOfContract = async (contractId: string) => {
    const [redemptions, credits] = await Promise.all([vrepo.listRedemptionsOfContract(db, contractId), brepo.listCredits(db, contractId)])
    return Promise.all(
      redemptions.map(async (r) => {
        const v = (await vrepo.findVoucher(db, r.code))!
        const credit = credits.find((c) => c.source === 'VOUCHER' && c.sourceRef === r.code)
        return {
          code: r.code,
          kind: v.kind,
          redeemedOn: r.redeemedOn,
          monthsLeft: v.kind === 'BASE_FEE_MONTHS' ? r.monthsLeft : null,
          creditLeft: credit ? credit.remaining : null,
          currency: v.currency,
        }
      }),
    )
  }

  const getVoucher = async (code: string) => {
    const v = await vrepo.findVoucher(db, normalizeCode(code))
    if (!v) throw notFound('voucher_unknown', `There is no voucher ${normalizeCode(code)}`)
    return { ...v, redemptions: await vrepo.countRedemptions(db, v.code) }
  }

  /** Extends or shortens the window, the number of redemptions, the markets (not the value: it was promised). */
  const changeVoucher = async (code: string, p: { validUntil?: string; maxRedemptions?: number; homeMarkets?: string[] }) => {
    const v = await getVoucher(code)
    if (p.validUntil && p.validUntil < v.validFrom) throw new DomainError('invalid_voucher', 'valid_until is before valid_from', 400)
    await vrepo.updateVoucher(db, v.code, p)
    return getVoucher(v.code)
  }

  /** Deletes a code nobody redeemed; a redeemed code stays (its credit is on invoices): shorten its window instead. */
  const deleteVoucher = async (code: string) => {
    const v = await getVoucher(code)
    if (v.redemptions > 0)
      throw conflict('voucher_redeemed', `Voucher ${v.code} was redeemed ${v.redemptions} times; set valid_until instead`)
    await vrepo.deleteVoucher(db, v.code)
  }

  return {
    createVoucher,
    getVoucher,
    changeVoucher,
    deleteVoucher,
    checkVoucher,
    redeem,
    vouchersOfContract,
    listVouchers: () => vrepo.listVouchers(db),
  }
}

export type VouchersService = ReturnType<typeof createVouchersService>
