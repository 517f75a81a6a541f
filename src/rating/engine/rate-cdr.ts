// Entry point of the retail rating engine: re-rates an operator's CDR with the customer's BMW
// Charging plan. Pure: no clock, no I/O; business outcomes are returned, never thrown.
import { Decimal } from './decimal.js'
import { catalogVersionAt, type MarketCatalog } from '../../catalog/index.js'
import { chooseRule, type Decision } from './choose-rule.js'
import { countryName } from './countries.js'
import { sumLines } from './lines.js'
import { isKnownTimeZone } from './local-time.js'
import { flexDiscountLines, freeStationLines, ionityPlusHpcLines, ionityPlusLines, passThroughLines } from './operator-price.js'
import { priceRowLines } from './price-row.js'
import { negateRating, reverseOriginal, withoutCreditSign } from './credit.js'
import { buildContext, type RatingContext } from './rating-context.js'
import type { RateCdrInput, RatedCdr, RatingFailure, RatingLine, RatingResult } from './rating.types.js'

interface Priced {
  readonly currency: string
  readonly lines: readonly RatingLine[]
}

const failure = (code: RatingFailure['code'], message: string): RatingFailure => ({ ok: false, code, message })

const missingInclVat = (ctx: RatingContext): RatingFailure =>
  failure('missing_incl_vat', `CDR ${ctx.cdr.id}: rule needs the operator's total_cost.incl_vat, which the CDR does not state`)

const fixedPriceLabel = (
  ctx: RatingContext,
  decision: Decision & { rule: 'fixed_price' | 'operator_deal' | 'partner_network' },
): string => {
  const where = countryName(ctx.country ?? '')
  if (decision.rule === 'fixed_price') return `Active price in ${where}, ${ctx.powerClass}`
  if (decision.rule === 'operator_deal') return `${decision.deal.label} price in ${where}, ${ctx.powerClass}`
  return `preferred partner price in ${where} (${decision.deal.label}), ${ctx.powerClass}`
}

const priceDecision = (ctx: RatingContext, decision: Decision): Priced | RatingFailure => {
  const currency = ctx.cdr.currency
  const inclVat = ctx.operatorTotalInclVat
  switch (decision.rule) {
    case 'free_station':
      return { currency, lines: freeStationLines(ctx) }
    case 'ionity_plus_hpc':
      return {
        currency: decision.plus.currency,
        lines: ionityPlusHpcLines(ctx, new Decimal(decision.plus.hpcPerKwh), decision.plus.currency),
      }
    case 'fixed_price':
    case 'operator_deal':
    case 'partner_network': {
      const prices = decision.rule === 'fixed_price' ? decision.prices : decision.deal.prices
      const row = ctx.powerClass === 'DC' ? prices.dc : prices.ac
      return { currency: prices.currency, lines: priceRowLines(ctx, row, prices.currency, fixedPriceLabel(ctx, decision)) }
    }
    case 'ionity_plus':
      return inclVat ? { currency, lines: ionityPlusLines(ctx, inclVat, decision.plus) } : missingInclVat(ctx)
    case 'flex_discount':
      return inclVat ? { currency, lines: flexDiscountLines(ctx, inclVat, decision.discount) } : missingInclVat(ctx)
    default:
      return inclVat ? { currency, lines: passThroughLines(ctx, inclVat, decision.rule) } : missingInclVat(ctx)
  }
}

const versionFor = (input: RateCdrInput): MarketCatalog | RatingFailure => {
  const version = catalogVersionAt(input.catalog, input.contract.homeMarket, input.cdr.startMs)
  if (version) return version
  return failure(
    'no_catalog_version',
    `No ${input.contract.homeMarket} price list is valid at ${new Date(input.cdr.startMs).toISOString()} (CDR ${input.cdr.id})`,
  )
}

const rateDebit = (input: RateCdrInput): RatingResult => {
  const version = versionFor(input)
  if ('code' in version) return version
  const catalog = version
  const ctx = buildContext(input.contract, input.cdr, input.location, catalog, input.operators)
  if (!isKnownTimeZone(ctx.zone)) return failure('unknown_time_zone', `Unknown time zone "${ctx.zone}"`)
  const decision = chooseRule(ctx)
  const priced = priceDecision(ctx, decision)
  if ('ok' in priced) return priced
  const rated: RatedCdr = {
    ok: true,
    cdrId: input.cdr.id,
    currency: priced.currency,
    total: sumLines(priced.lines),
    rule: decision.rule,
    lines: priced.lines,
    catalogVersion: { homeMarket: catalog.homeMarket, validFrom: catalog.validFrom },
    ...(ctx.operator ? { operatorId: ctx.operator.id } : {}),
  }
  return rated
}

/**
 * Rates one CDR for one contract (rules 1-12 of src/rating/README.md). A credit CDR reverses the
 * rating of the CDR it credits when the caller supplies it (`original`), else it is rated from its
 * own figures and every line is negated.
 */
export const rateCdr = (input: RateCdrInput): RatingResult => {
  if (!input.cdr.credit) return rateDebit(input)
  if (input.original) return reverseOriginal(input.cdr, input.original)
  const rated = rateDebit({ ...input, cdr: withoutCreditSign(input.cdr) })
  return rated.ok ? negateRating(input.cdr.id, rated, 'its own figures') : rated
}
