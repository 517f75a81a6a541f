// Step: the fee lines of one month — the base fee of every contract period and the package fee of
// every package period that BEGINS in the month (fees are billed in advance, per period), with the
// new-vehicle and voucher waivers shown as their own negative lines.
import type { MarketCatalog } from '../catalog/index.js'
import type { Contract } from '../customers/index.js'
import { baseFeeBenefitApplies, inBenefit, ionityPlusBenefitApplies, type BenefitInput } from './benefits.js'
import type { FeeMonthsVoucher, InvoiceLine } from './billing.types.js'
import { firstDayOf, lastDayOf, addDays } from './calendar.js'
import { periodsBeginningIn, type Period } from './contract-dates.js'
import { Decimal, toCents } from './money.js'

export interface FeeLinesInput {
  contract: Pick<Contract, 'homeMarket' | 'tariff' | 'startDate' | 'endDate' | 'state' | 'vehicle' | 'packages'>
  month: string
  /** The catalog version valid on a day (the fee of a period is the one valid when it begins). */
  catalogOn: (day: string) => MarketCatalog
  firstContractOfVehicle: boolean
  vatRateOn: (day: string) => Decimal
  /** Redeemed "months without base fee" vouchers, oldest first. */
  feeMonthVouchers: readonly FeeMonthsVoucher[]
}

export interface FeeLinesResult {
  lines: InvoiceLine[]
  /** Months used per voucher redemption in this month. */
  voucherMonthsUsed: { redemptionId: string; months: number }[]
}

const range = (p: Period) => `${p.from} – ${p.to}`

export const feeLines = (input: FeeLinesInput): FeeLinesResult => {
  const { contract, month } = input
  const lines: InvoiceLine[] = []
  const used = new Map<string, number>()
  const vouchers = input.feeMonthVouchers.map((v) => ({ ...v }))
  // The benefit's terms are those of the price list in force for the billed period (the billed
  // month's list decides); it runs from the contract's dates, whatever list was in force then, so a
  // contract older than the first list is billed like any other.
  const benefitOf = (day: string): BenefitInput => ({
    benefits: input.catalogOn(day).newVehicleBenefits,
    vehicle: contract.vehicle,
    registeredOn: contract.startDate,
    firstContractOfVehicle: input.firstContractOfVehicle,
  })
  const line = (
    p: Period,
    kind: InvoiceLine['kind'],
    description: string,
    amount: Decimal,
    facts: Partial<InvoiceLine> = {},
  ): InvoiceLine => ({
    kind,
    description,
    amount: toCents(amount),
    vatRate: input.vatRateOn(p.from),
    serviceDate: p.from,
    periodFrom: p.from,
    periodTo: p.to,
    ...facts,
  })

  const lastBilledDay = contract.endDate ?? null
  for (const p of periodsBeginningIn(contract.startDate, lastBilledDay, firstDayOf(month), lastDayOf(month))) {
    const catalog = input.catalogOn(p.from)
    const terms = catalog.tariffs[contract.tariff]
    const fee = new Decimal(terms.monthlyBaseFee)
    if (fee.isZero()) continue
    lines.push(
      line(p, 'BASE_FEE', `Monthly base fee ${contract.tariff === 'ACTIVE' ? 'Active' : 'Flex'} ${range(p)}`, fee, {
        tariff: contract.tariff,
      }),
    )
    const benefit = benefitOf(p.from)
    const months = terms.newVehicleBaseFee?.months ?? benefit.benefits.activeBaseFeeFreeMonths
    if (terms.newVehicleBaseFee && baseFeeBenefitApplies(benefit) && inBenefit(contract.startDate, months, p.from)) {
      const waived = fee.minus(new Decimal(terms.newVehicleBaseFee.monthlyBaseFee))
      lines.push(
        line(p, 'WAIVER', `New-vehicle benefit: no base fee for ${months} months`, waived.negated(), {
          waiver: { reason: 'NEW_VEHICLE', waives: 'BASE_FEE', months },
        }),
      )
      continue
    }
    const voucher = vouchers.find((v) => v.monthsLeft > 0)
    if (voucher) {
      voucher.monthsLeft--
      used.set(voucher.redemptionId, (used.get(voucher.redemptionId) ?? 0) + 1)
      lines.push(
        line(p, 'WAIVER', `Voucher ${voucher.code}: month without base fee`, fee.negated(), {
          waiver: { reason: 'VOUCHER', waives: 'BASE_FEE', months: 1, voucherCode: voucher.code },
        }),
      )
    }
  }

  for (const pkg of contract.packages) {
    // The package ends automatically with the charging contract.
    const ends = [pkg.endsAt, contract.endDate].filter((d): d is string => !!d).sort()[0] ?? null
    for (const p of periodsBeginningIn(pkg.bookedAt, ends, firstDayOf(month), lastDayOf(month))) {
      const fee = new Decimal(input.catalogOn(p.from).ionityPlus.monthlyBaseFee)
      lines.push(line(p, 'PACKAGE_FEE', `IONITY Plus ${range(p)}`, fee))
      const benefit = benefitOf(p.from)
      const months = benefit.benefits.ionityPlusFreeMonths
      if (ionityPlusBenefitApplies(benefit) && inBenefit(contract.startDate, months, p.from)) {
        lines.push(
          line(p, 'WAIVER', `New-vehicle benefit: IONITY Plus free for ${months} months`, fee.negated(), {
            waiver: { reason: 'NEW_VEHICLE', waives: 'PACKAGE_FEE', months },
          }),
        )
      }
    }
  }
  return { lines, voucherMonthsUsed: [...used.entries()].map(([redemptionId, months]) => ({ redemptionId, months })) }
}

/** The day after the month: the exclusive end used to select CDRs that ended in it. */
export const monthEndExclusive = (month: string): string => addDays(lastDayOf(month), 1)
