// Lines of a fixed price row (country price, operator deal or partner price): energy, minute
// tiers, blocking fee, session fee. Each row part maps to one rule of src/rating/README.md.
import { Decimal } from './decimal.js'
import type { BlockingFee, MinuteTier, PriceRow } from '../../catalog/index.js'
import { makeLine, ONE, priceText } from './lines.js'
import { blockingMinutes, minutesInTier } from './minutes.js'
import type { RatingContext } from './rating-context.js'
import type { RatingLine } from './rating.types.js'

const energyLine = (ctx: RatingContext, perKwh: Decimal, currency: string, label: string): RatingLine => {
  const kwh = ctx.cdr.totalEnergyKwh
  return makeLine('energy', kwh, 'kWh', perKwh, `Energy: ${kwh.toFixed()} kWh at ${priceText(perKwh)} ${currency}/kWh (${label}).`)
}

const tierLines = (ctx: RatingContext, tiers: readonly MinuteTier[], currency: string, label: string): RatingLine[] => {
  const lines: RatingLine[] = []
  tiers.forEach((tier, i) => {
    const until = tiers[i + 1]?.fromMinute
    const count = minutesInTier(ctx.minutes, tier.fromMinute, until)
    if (count === 0) return
    const price = new Decimal(tier.perMinute)
    const range =
      until === undefined
        ? tier.fromMinute === 0
          ? 'every started minute'
          : `from minute ${tier.fromMinute + 1}`
        : `minutes ${tier.fromMinute + 1} to ${until}`
    const text = `Charging time: ${count} started minutes at ${priceText(price)} ${currency}/min (${range}, ${label}).`
    lines.push(makeLine('time', new Decimal(count), 'min', price, text))
  })
  return lines
}

const blockingLine = (ctx: RatingContext, fee: BlockingFee, currency: string): RatingLine | undefined => {
  const count = blockingMinutes(ctx.cdr.startMs, ctx.minutes, fee, ctx.zone)
  if (count === 0) return undefined
  const price = new Decimal(fee.perMinute)
  const when = fee.window ? `, only between ${fee.window.from} and ${fee.window.to} local time` : ''
  const text =
    `Blocking fee: ${count} minutes at ${priceText(price)} ${currency}/min ` +
    `(charged from minute ${fee.afterMinutes + 1} of the session${when}).`
  return makeLine('blocking_fee', new Decimal(count), 'min', price, text)
}

const sessionFeeLine = (fee: string, currency: string): RatingLine =>
  makeLine('session_fee', ONE, 'session', new Decimal(fee), `Session fee, charged once per charging session (${currency}).`)

/** Lines for one AC or DC row; `label` names the price for the texts ("Active price in Germany, AC"). */
export const priceRowLines = (ctx: RatingContext, row: PriceRow, currency: string, label: string): RatingLine[] => {
  const lines: RatingLine[] = []
  if (row.perKwh !== undefined) lines.push(energyLine(ctx, new Decimal(row.perKwh), currency, label))
  if (row.perMinute) lines.push(...tierLines(ctx, row.perMinute, currency, label))
  if (row.blocking) {
    const blocking = blockingLine(ctx, row.blocking, currency)
    if (blocking) lines.push(blocking)
  }
  if (row.sessionFee !== undefined) lines.push(sessionFeeLine(row.sessionFee, currency))
  return lines
}
