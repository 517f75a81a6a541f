// Which rule of the price list applies to a CDR. The order is the precedence: free stations,
// IONITY Plus, Flex, pass-through countries and operators, operator deals / partner networks,
// fixed country prices, the Estonian discount, and finally "not in the list" (pass-through).
import type {
  CountryPrices,
  FlexDiscount,
  IonityPlusDiscount,
  IonityPlusHpcPrice,
  MarketCatalog,
  OperatorDeal,
} from '../../catalog/index.js'
import type { RatingContext } from './rating-context.js'

export type Decision =
  | { readonly rule: 'free_station' }
  | { readonly rule: 'ionity_plus'; readonly plus: IonityPlusDiscount }
  | { readonly rule: 'ionity_plus_hpc'; readonly plus: IonityPlusHpcPrice }
  | { readonly rule: 'pass_through_flex' | 'pass_through_country' | 'pass_through_operator' }
  | { readonly rule: 'pass_through_unlisted_country' }
  | { readonly rule: 'operator_deal' | 'partner_network'; readonly deal: OperatorDeal }
  | { readonly rule: 'fixed_price'; readonly prices: CountryPrices }
  | { readonly rule: 'flex_discount'; readonly discount: FlexDiscount }

const isFree = (ctx: RatingContext): boolean => (ctx.cdr.totalCost.inclVat ?? ctx.cdr.totalCost.exclVat).isZero()

const ionityPlusDecision = (ctx: RatingContext): Decision | undefined => {
  if (!ctx.contract.packages.includes('IONITY_PLUS') || ctx.operator?.id !== 'ionity') return undefined
  const plus = ctx.version.ionityPlus
  // "in a EUR country": the 0.15 EUR discount can only come off a total charged in EUR.
  if (plus.kind === 'DISCOUNT_PER_KWH') return ctx.cdr.currency === 'EUR' ? { rule: 'ionity_plus', plus } : undefined
  return ctx.isHpc ? { rule: 'ionity_plus_hpc', plus } : undefined
}

const isPassThroughOperator = (version: MarketCatalog, operatorId: string | undefined, country?: string): boolean =>
  operatorId !== undefined &&
  version.passThroughOperators.some(
    (entry) => entry.operatorId === operatorId && (entry.countries === '*' || (country !== undefined && entry.countries.includes(country))),
  )

const dealFor = (version: MarketCatalog, operatorId: string | undefined, country: string): OperatorDeal | undefined =>
  operatorId === undefined
    ? undefined
    : version.operatorDeals.find((deal) => deal.country === country && deal.operatorIds.includes(operatorId))

const activeDecision = (ctx: RatingContext): Decision => {
  const { version, country } = ctx
  const operatorId = ctx.operator?.id
  if (country === undefined) return { rule: 'pass_through_unlisted_country' }
  if (version.passThroughCountries.includes(country)) return { rule: 'pass_through_country' }
  if (isPassThroughOperator(version, operatorId, country)) return { rule: 'pass_through_operator' }
  const deal = dealFor(version, operatorId, country)
  if (deal) return { rule: deal.kind, deal }
  const prices = version.countries[country]
  if (prices) return { rule: 'fixed_price', prices }
  if (version.flexDiscount?.countries.includes(country)) return { rule: 'flex_discount', discount: version.flexDiscount }
  return { rule: 'pass_through_unlisted_country' }
}

export const chooseRule = (ctx: RatingContext): Decision => {
  if (isFree(ctx)) return { rule: 'free_station' }
  const plus = ionityPlusDecision(ctx)
  if (plus) return plus
  if (ctx.contract.tariff === 'FLEX') return { rule: 'pass_through_flex' }
  return activeDecision(ctx)
}
