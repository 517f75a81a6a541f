// New-vehicle benefits (price lists, footnote 1): the Active base fee and the IONITY Plus fee are
// waived for the first months of the FIRST contract of a new vehicle registered before the cut-off.
// The numbers (cut-off dates, months, eligible models) come from the rating catalog.
import type { NewVehicleBenefits } from '../catalog/index.js'
import { parseDay, formatDay, shiftMonth, daysInMonth } from './calendar.js'

export interface BenefitVehicle {
  model: string
  deliveryDate: string
  isNew: boolean
}

export interface BenefitInput {
  benefits: NewVehicleBenefits
  vehicle: BenefitVehicle
  /** The contract's start (registration) date. */
  registeredOn: string
  /** Whether this contract is the first one ever made for the vehicle's VIN. */
  firstContractOfVehicle: boolean
}

/** Whether the vehicle gets the Active base-fee waiver at all. */
export const baseFeeBenefitApplies = (i: BenefitInput): boolean =>
  i.vehicle.isNew &&
  i.firstContractOfVehicle &&
  i.registeredOn < i.benefits.registeredBefore &&
  (!i.benefits.deliveredFrom || i.vehicle.deliveryDate >= i.benefits.deliveredFrom)

/**
 * The models that get IONITY Plus free, read from the catalog's wording: a list of `BMW <model>`
 * (DE, SI) or "fully electric BMW" (EE), which we read as every `i…` model (BMW's fully electric
 * models are all named i3, i4, i5, i7, iX, iX1, iX2, iX3; plug-in hybrids end in `e`).
 */
export const ionityPlusModelEligible = (benefits: NewVehicleBenefits, model: string): boolean => {
  const m = model.trim().replace(/^BMW\s+/i, '')
  if (/fully electric/i.test(benefits.ionityPlusFor)) return /^i[0-9X]/i.test(m)
  const listed = benefits.ionityPlusFor.split(',').map((s) =>
    s
      .trim()
      .replace(/^BMW\s+/i, '')
      .toLowerCase(),
  )
  return listed.includes(m.toLowerCase())
}

export const ionityPlusBenefitApplies = (i: BenefitInput): boolean =>
  baseFeeBenefitApplies(i) && ionityPlusModelEligible(i.benefits, i.vehicle.model)

/** The first day after a benefit of `months` months starting on `start` (same day of month, clamped). */
export const benefitEnd = (start: string, months: number): string => {
  const { y, m, d } = parseDay(start)
  const t = shiftMonth(y, m, months)
  return formatDay(t.y, t.m, Math.min(d, daysInMonth(t.y, t.m)))
}

/** Whether a fee period beginning on `periodFrom` falls inside the benefit that began on `start`. */
export const inBenefit = (start: string, months: number, periodFrom: string): boolean =>
  periodFrom >= start && periodFrom < benefitEnd(start, months)
