// Prices in words, in the visitor's language: a row of the price list (what the registration shows
// before the tariff is chosen) and the quote for one connector (what the map shows before
// charging). Both come from the same catalog the invoices are rated with.
import { Decimal } from 'decimal.js'
import type { ConnectorQuote } from '../rating/index.js'
import type { MarketCatalog, PriceRow, TariffName } from '../catalog/index.js'
import type { Formatters, PageContext } from './context.js'

/** A price row and a quote's fixed prices in one shape. */
interface FixedPrices {
  perKwh: string | null
  perMinute: readonly { fromMinute: number; price: string }[]
  sessionFee: string | null
  blocking: { afterMinutes: number; perMinute: string; window: { from: string; to: string } | null } | null
}

const fromRow = (r: PriceRow): FixedPrices => ({
  perKwh: r.perKwh ?? null,
  perMinute: (r.perMinute ?? []).map((m) => ({ fromMinute: m.fromMinute, price: m.perMinute })),
  sessionFee: r.sessionFee ?? null,
  blocking: r.blocking
    ? { afterMinutes: r.blocking.afterMinutes, perMinute: r.blocking.perMinute, window: r.blocking.window ?? null }
    : null,
})

/** One sentence per price component: energy, time tiers, session fee, blocking fee. */
export const fixedPriceLines = (ctx: PageContext, f: Formatters, p: FixedPrices, currency: string): string[] => {
  const { t } = ctx
  const price = (v: string) => f.unitPrice(v, currency)
  const lines: string[] = []
  if (p.perKwh) lines.push(t('price.perKwh', { price: price(p.perKwh) }))
  p.perMinute.forEach((tier, i) => {
    const next = p.perMinute[i + 1]
    if (next) lines.push(t('price.perMinuteUntil', { price: price(tier.price), minute: next.fromMinute }))
    else if (tier.fromMinute > 0) lines.push(t('price.perMinuteFrom', { price: price(tier.price), minute: tier.fromMinute + 1 }))
    else lines.push(t('price.perMinute', { price: price(tier.price) }))
  })
  if (p.sessionFee) lines.push(t('price.sessionFee', { price: price(p.sessionFee) }))
  if (p.blocking) {
    const b = p.blocking
    lines.push(
      b.window
        ? t('price.blockingWindow', { price: price(b.perMinute), minutes: b.afterMinutes, from: b.window.from, to: b.window.to })
        : t('price.blocking', { price: price(b.perMinute), minutes: b.afterMinutes }),
    )
  }
  return lines
}

export const priceRowLines = (ctx: PageContext, f: Formatters, row: PriceRow, currency: string) =>
  fixedPriceLines(ctx, f, fromRow(row), currency)

/** What the price list says about a tariff at home: fixed prices, the operator's price, or the Estonian discount. */
export const tariffSummary = (ctx: PageContext, f: Formatters, list: MarketCatalog, tariff: TariffName) => {
  const { t } = ctx
  const terms = list.tariffs[tariff]
  const currency = 'EUR'
  const home = list.countries[list.homeMarket]
  const baseFee = t('tariff.baseFee', { price: f.money(terms.monthlyBaseFee, currency) })
  const benefit = terms.newVehicleBaseFee
    ? t('tariff.baseFeeNewVehicle', {
        months: terms.newVehicleBaseFee.months,
        price: f.money(terms.newVehicleBaseFee.monthlyBaseFee, currency),
      })
    : null
  const otherCountries = Object.keys(list.countries).filter((c) => c !== list.homeMarket).length
  const deals = list.operatorDeals.filter((d) => d.country === list.homeMarket)
  if (tariff === 'FLEX')
    return {
      baseFee,
      benefit,
      ac: null,
      dc: null,
      notes: [t('tariff.flex.operatorPrice')],
      deals: [],
      replacementCard: f.money(terms.replacementCardFee, currency),
    }
  const notes: string[] = []
  if (list.flexDiscount) {
    const off = new Decimal(1).minus(list.flexDiscount.customerShare).toNumber()
    notes.push(t('tariff.active.discount', { percent: f.percent(off), countries: list.flexDiscount.countries.length - 1 }))
    notes.push(t('tariff.active.partners', { countries: new Set(list.operatorDeals.map((d) => d.country)).size }))
  } else {
    notes.push(t('tariff.active.abroad', { countries: otherCountries }))
  }
  return {
    baseFee,
    benefit,
    ac: home ? priceRowLines(ctx, f, home.ac, home.currency) : null,
    dc: home ? priceRowLines(ctx, f, home.dc, home.currency) : null,
    notes,
    deals: deals.map((d) => ({
      label: d.label,
      ac: priceRowLines(ctx, f, d.prices.ac, d.prices.currency),
      dc: priceRowLines(ctx, f, d.prices.dc, d.prices.currency),
    })),
    replacementCard: f.money(terms.replacementCardFee, currency),
  }
}

/** IONITY Plus as the home market's list sells it. */
export const ionityPlusText = (ctx: PageContext, f: Formatters, list: MarketCatalog) => {
  const p = list.ionityPlus
  return p.kind === 'DISCOUNT_PER_KWH'
    ? ctx.t('ionity.offer.discount', { fee: f.money(p.monthlyBaseFee, 'EUR'), discount: f.unitPrice(p.discountPerKwh, 'EUR') })
    : ctx.t('ionity.offer.hpc', { fee: f.money(p.monthlyBaseFee, p.currency), price: f.unitPrice(p.hpcPerKwh, p.currency) })
}

const COMPONENT_KEYS = {
  ENERGY: 'price.operator.energy',
  TIME: 'price.operator.time',
  PARKING_TIME: 'price.operator.parking',
  FLAT: 'price.operator.flat',
} as const

/** What the customer pays at one connector, in words: the quote of the rating area. */
export const quoteLines = (ctx: PageContext, f: Formatters, q: ConnectorQuote): { basis: string; lines: string[] } => {
  const { t } = ctx
  if (q.basis === 'FIXED_PRICE' && q.fixed && q.currency) {
    const basis =
      q.rule === 'ionity_plus_hpc' ? t('price.basis.ionityPlus') : q.rule === 'fixed_price' ? t('price.basis.fixed') : t('price.basis.deal')
    const fixed: FixedPrices = {
      perKwh: q.fixed.perKwh?.toString() ?? null,
      perMinute: q.fixed.perMinute.map((m) => ({ fromMinute: m.fromMinute, price: m.price.toString() })),
      sessionFee: q.fixed.sessionFee?.toString() ?? null,
      blocking: q.fixed.blocking
        ? { afterMinutes: q.fixed.blocking.afterMinutes, perMinute: q.fixed.blocking.perMinute.toString(), window: q.fixed.blocking.window }
        : null,
    }
    return { basis, lines: fixedPriceLines(ctx, f, fixed, q.currency) }
  }
  if (!q.operatorTariff) return { basis: t('price.basis.operator'), lines: [t('price.operator.unknown')] }
  const currency = q.operatorTariff.currency
  const discounted = q.operatorTariff.components.some((c) => !c.yourPrice.eq(c.priceInclVat))
  const lines = q.operatorTariff.components.map((c) => {
    const key = COMPONENT_KEYS[c.type as keyof typeof COMPONENT_KEYS] ?? 'price.operator.energy'
    return t(key, { price: f.unitPrice(c.yourPrice.toString(), currency) })
  })
  return { basis: discounted ? t('price.basis.operatorDiscounted') : t('price.basis.operator'), lines }
}
