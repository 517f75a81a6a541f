// VAT contained in the prices (the price lists are all "incl. VAT"). Effective-dated data: a line
// is taxed at the rate of its home market valid on its service date. Sources: DE 19 % (since
// 2007), SI 22 % (since 2013), EE 22 % from 2024-01-01 and 24 % from 2025-07-01 (the Estonian
// list, valid from 2025, spans the change; the lists themselves name no rate).
import { DomainError } from '../platform/errors.js'
import { Decimal, sum, toCents } from './money.js'

export interface VatRate {
  homeMarket: string
  validFrom: string
  rate: string
}

export const VAT_RATES: readonly VatRate[] = [
  { homeMarket: 'DE', validFrom: '2007-01-01', rate: '0.19' },
  { homeMarket: 'SI', validFrom: '2013-07-01', rate: '0.22' },
  { homeMarket: 'EE', validFrom: '2024-01-01', rate: '0.22' },
  { homeMarket: 'EE', validFrom: '2025-07-01', rate: '0.24' },
]

export const vatRateOn = (homeMarket: string, day: string, rates: readonly VatRate[] = VAT_RATES): Decimal => {
  let best: VatRate | undefined
  for (const r of rates) if (r.homeMarket === homeMarket && r.validFrom <= day && (!best || r.validFrom > best.validFrom)) best = r
  if (!best) throw new DomainError('no_vat_rate', `No VAT rate for ${homeMarket} on ${day}`, 409)
  return new Decimal(best.rate)
}

export interface VatSummaryRow {
  rate: Decimal
  gross: Decimal
  net: Decimal
  vat: Decimal
}

/**
 * VAT contained per rate: gross amounts (incl. VAT) of the lines grouped by rate, the VAT in each
 * group is gross × rate / (1 + rate) rounded to cents once per group (not per line), net = gross − VAT.
 */
export const vatSummary = (lines: readonly { amount: Decimal; vatRate: Decimal }[]): VatSummaryRow[] => {
  const groups = new Map<string, Decimal[]>()
  for (const l of lines) groups.set(l.vatRate.toString(), [...(groups.get(l.vatRate.toString()) ?? []), l.amount])
  return [...groups.entries()]
    .sort(([a], [b]) => new Decimal(a).cmp(new Decimal(b)))
    .map(([rate, amounts]) => {
      const r = new Decimal(rate)
      const gross = sum(amounts)
      const vat = toCents(gross.times(r).div(r.plus(1)))
      return { rate: r, gross, net: gross.minus(vat), vat }
    })
}
