// Rules priced from the operator's own CDR total: pass-through, the Estonian 70% share, IONITY Plus
// for DE/SI contracts, and free stations.
import { Decimal } from './decimal.js'
import type { FlexDiscount, IonityPlusDiscount } from '../../catalog/index.js'
import { countryName } from './countries.js'
import { makeLine, money, ONE, priceText, sumLines, ZERO } from './lines.js'
import type { RatingContext } from './rating-context.js'
import type { RatingLine } from './rating.types.js'

const operatorLabel = (ctx: RatingContext): string => ctx.operator?.name ?? 'the operator'

export const freeStationLines = (ctx: RatingContext): RatingLine[] => [
  makeLine('free_station', ONE, 'session', ZERO, `${operatorLabel(ctx)} charged nothing for this session, so it is free for you too.`),
]

export type PassThroughReason = 'pass_through_flex' | 'pass_through_country' | 'pass_through_operator' | 'pass_through_unlisted_country'

const passThroughWhy = (ctx: RatingContext, reason: PassThroughReason): string => {
  const where = ctx.country ? countryName(ctx.country) : ctx.cdr.countryAlpha3
  switch (reason) {
    case 'pass_through_flex':
      return "With the Flex tariff you pay the operator's price"
    case 'pass_through_country':
      return `In ${where} BMW Charging passes on the operator's price`
    case 'pass_through_operator':
      return `${operatorLabel(ctx)} sets its own prices, which BMW Charging passes on`
    case 'pass_through_unlisted_country':
      return `${where} is not in your price list, so you pay the operator's price`
  }
}

export const passThroughLines = (ctx: RatingContext, inclVat: Decimal, reason: PassThroughReason): RatingLine[] => [
  makeLine(
    'operator_price',
    ONE,
    'session',
    inclVat,
    `${passThroughWhy(ctx, reason)}: ${money(inclVat, ctx.cdr.currency)} incl. VAT, unchanged.`,
  ),
]

export const flexDiscountLines = (ctx: RatingContext, inclVat: Decimal, discount: FlexDiscount): RatingLine[] => {
  const share = new Decimal(discount.customerShare)
  const off = ONE.minus(share).times(100).toFixed()
  const text =
    `${operatorLabel(ctx)} charged ${money(inclVat, ctx.cdr.currency)} incl. VAT; ` +
    `with the Active tariff you get ${off}% off and pay ${share.times(100).toFixed()}% of it.`
  return [makeLine('operator_price_share', inclVat, ctx.cdr.currency, share, text)]
}

/** IONITY's fixed (session) cost incl. VAT; when the CDR states it only excl. VAT, the CDR's own VAT ratio is applied. */
const fixedCostInclVat = (ctx: RatingContext): Decimal => {
  const fixed = ctx.cdr.totalFixedCost
  if (!fixed) return ZERO
  if (fixed.inclVat) return fixed.inclVat
  const total = ctx.cdr.totalCost
  return total.inclVat && !total.exclVat.isZero() ? fixed.exclVat.times(total.inclVat).dividedBy(total.exclVat) : fixed.exclVat
}

export const ionityPlusLines = (ctx: RatingContext, inclVat: Decimal, plus: IonityPlusDiscount): RatingLine[] => {
  const currency = ctx.cdr.currency
  const lines = [makeLine('operator_price', ONE, 'session', inclVat, `IONITY charged ${money(inclVat, currency)} incl. VAT.`)]
  const fixed = fixedCostInclVat(ctx)
  if (!fixed.isZero()) {
    lines.push(makeLine('session_fee_waived', ONE, 'session', fixed.negated(), 'IONITY Plus: the IONITY session fee is waived.'))
  }
  const discount = new Decimal(plus.discountPerKwh)
  const kwh = ctx.cdr.totalEnergyKwh
  lines.push(
    makeLine(
      'ionity_plus_discount',
      kwh,
      'kWh',
      discount.negated(),
      `IONITY Plus discount: ${priceText(discount)} ${currency} off each of the ${kwh.toFixed()} kWh charged.`,
    ),
  )
  const total = sumLines(lines)
  if (total.isNegative()) {
    lines.push(makeLine('minimum_zero', ONE, 'session', total.negated(), 'IONITY Plus never makes a session cost less than 0.'))
  }
  return lines
}

export const ionityPlusHpcLines = (ctx: RatingContext, hpcPerKwh: Decimal, currency: string): RatingLine[] => {
  const kwh = ctx.cdr.totalEnergyKwh
  const text = `IONITY Plus: ${kwh.toFixed()} kWh at ${priceText(hpcPerKwh)} ${currency}/kWh at an IONITY high-power charger, nothing else.`
  return [makeLine('energy', kwh, 'kWh', hpcPerKwh, text)]
}
