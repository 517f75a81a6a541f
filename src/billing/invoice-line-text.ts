// What one invoice line says in a language: its date, title, the facts under it (session time
// and place, kWh and minutes, the price rule in words, the period, the exchange rate) and the
// rated lines that explain its amount. Pure: the stored line in, display strings out.
import {
  formatDate,
  formatIsoDay,
  formatKwh,
  formatMoney,
  formatNumber,
  formatTime,
  intlTag,
  type Locale,
  type Translate,
} from '../i18n/index.js'
import { alpha2FromAlpha3 } from '../pricing/index.js'
import type { InvoiceLine, SessionFacts } from './billing.types.js'
import type { InvoiceMessage } from './invoice.messages.js'
import { Decimal } from './money.js'

export interface LineText {
  date: string
  title: string
  details: string[]
  /** The rated lines of a charging line: what each part of its amount is for. */
  breakdown: { text: string; amount: string }[]
}

/** Formats for one locale (and the translator of the invoice catalog). */
export interface Formats {
  locale: Locale
  t: Translate<InvoiceMessage>
  money(amount: Decimal | string, currency: string): string
  /** A unit price at its full precision (0.055 stays 0,055 €). */
  unitPrice(amount: Decimal | string, currency: string): string
  percent(rate: Decimal | string): string
  day(isoDay: string): string
  country(alpha2OrAlpha3: string): string
}

export const formatsFor = (locale: Locale, t: Translate<InvoiceMessage>): Formats => {
  const tag = intlTag(locale)
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 })
  const regions = new Intl.DisplayNames([tag], { type: 'region', fallback: 'code' })
  const text = (v: Decimal | string, places?: number) =>
    typeof v === 'string' ? v : places === undefined ? v.toFixed() : v.toFixed(places)
  return {
    locale,
    t,
    money: (amount, currency) => formatMoney(text(amount, 2), currency, locale),
    unitPrice: (amount, currency) =>
      new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(
        text(amount) as unknown as number,
      ),
    percent: (rate) => percent.format(text(rate) as unknown as number),
    day: (isoDay) => formatIsoDay(isoDay, locale),
    country: (code) => {
      const alpha2 = code.length === 3 ? alpha2FromAlpha3(code) : code.toUpperCase()
      return alpha2 ? (regions.of(alpha2) ?? alpha2) : code
    },
  }
}

/** A rated line as stored with the invoice line (rating's ChargeLine, Decimals as strings after JSON). */
interface RatedLine {
  kind: string
  quantity: Decimal
  unitPrice: Decimal
  amount: Decimal
  text: string
}

const ratedLinesOf = (details: readonly unknown[] | undefined): RatedLine[] =>
  (details ?? []).flatMap((d) => {
    const x = d as { kind?: unknown; quantity?: unknown; unitPrice?: unknown; amount?: unknown; text?: unknown }
    if (typeof x.kind !== 'string' || x.amount === undefined) return []
    const dec = (v: unknown) => new Decimal(String(v ?? '0'))
    return [
      {
        kind: x.kind,
        quantity: dec(x.quantity),
        unitPrice: dec(x.unitPrice),
        amount: dec(x.amount),
        text: typeof x.text === 'string' ? x.text : '',
      },
    ]
  })

const breakdownText = (f: Formats, r: RatedLine, currency: string): string => {
  const { t } = f
  const n = r.quantity.abs().toNumber()
  switch (r.kind) {
    case 'energy':
      return t('bdEnergy', { kwh: formatKwh(r.quantity.abs(), f.locale), price: f.unitPrice(r.unitPrice, currency) })
    case 'time':
      return t('bdTime', { n, price: f.unitPrice(r.unitPrice, currency) })
    case 'blocking_fee':
      return t('bdBlocking', { n, price: f.unitPrice(r.unitPrice, currency) })
    case 'session_fee':
      return t('bdSessionFee')
    case 'operator_price':
      return t('bdOperatorPrice')
    case 'operator_price_share':
      return t('bdOperatorShare', { share: f.percent(r.unitPrice), amount: f.money(r.quantity.abs(), currency) })
    case 'session_fee_waived':
      return t('bdSessionFeeWaived')
    case 'ionity_plus_discount':
      return t('bdIonityDiscount', { kwh: formatKwh(r.quantity.abs(), f.locale), price: f.unitPrice(r.unitPrice, currency) })
    case 'minimum_zero':
      return t('bdMinimumZero')
    case 'free_station':
      return t('ruleFree')
    default:
      return r.text
  }
}

/** The rating rule in words, with the charging country and AC/DC where the rule depends on them. */
const ruleText = (f: Formats, line: InvoiceLine, session: SessionFacts, rated: readonly RatedLine[]): string => {
  const { t } = f
  const rule = (line.rule ?? '').replace(/^credit:/, '')
  const country = session.country ? f.country(session.country) : ''
  const power = session.powerType?.startsWith('AC') ? t('powerAc') : session.powerType === 'DC' ? t('powerDc') : ''
  const operator = { known: session.operator ? 'yes' : 'no', operator: session.operator ?? '' }
  const join = (...parts: string[]) => parts.filter(Boolean).join(', ')
  switch (rule) {
    case 'fixed_price':
      return join(t('ruleFixedPrice'), country, power)
    case 'operator_deal':
      return join(t('ruleOperatorDeal', operator), power)
    case 'partner_network':
      return join(t('rulePartnerNetwork'), country, power)
    case 'pass_through_flex':
      return t('rulePassThroughFlex')
    case 'pass_through_country':
      return t('rulePassThroughCountry', { country: country || session.country })
    case 'pass_through_operator':
      return t('rulePassThroughOperator', operator)
    case 'pass_through_unlisted_country':
      return t('rulePassThroughUnlisted', { country: country || session.country })
    case 'free_station':
      return t('ruleFree')
    case 'ionity_plus':
      return t('ruleIonityPlus')
    case 'ionity_plus_hpc':
      return t('ruleIonityPlusHpc')
    case 'flex_discount': {
      const share = rated.find((r) => r.kind === 'operator_price_share')?.unitPrice
      return share ? t('ruleFlexDiscount', { off: f.percent(new Decimal(1).minus(share)) }) : t('ruleOther')
    }
    default:
      return t('ruleOther')
  }
}

const minutesOf = (s: SessionFacts) => Math.ceil((Date.parse(s.end) - Date.parse(s.start)) / 60_000)

const sessionText = (f: Formats, line: InvoiceLine, session: SessionFacts, invoiceCurrency: string): LineText => {
  const { t } = f
  const start = new Date(session.start)
  const rated = ratedLinesOf(line.details)
  const ratedCurrency = line.original?.currency ?? invoiceCurrency
  const place = [session.locationName ?? session.address, session.city].filter((p): p is string => !!p).join(', ')
  const details = [
    t('sessionTime', {
      from: formatTime(start, f.locale, session.timeZone),
      to: formatTime(new Date(session.end), f.locale, session.timeZone),
    }),
    ...(place ? [place] : []),
    [session.kwh ? formatKwh(session.kwh, f.locale) : '', `${formatNumber(String(minutesOf(session)), f.locale)} min`]
      .filter(Boolean)
      .join(' · '),
    ruleText(f, line, session, rated),
  ]
  if (line.kind === 'CORRECTION' && line.billedBefore) {
    details.push(
      t('correctionDetail', {
        before: f.money(line.billedBefore, invoiceCurrency),
        now: f.money(line.billedBefore.plus(line.amount), invoiceCurrency),
      }),
    )
  }
  if (line.original) {
    details.push(
      t('fxNote', {
        currency: line.original.currency,
        amount: f.money(line.original.amount, line.original.currency),
        base: invoiceCurrency,
        rate: formatNumber(line.original.rate.toFixed(), f.locale, { max: 6 }),
        date: f.day(line.original.rateValidFrom),
      }),
    )
  }
  const title = t(line.kind === 'REVERSAL' ? 'lineReversal' : line.kind === 'CORRECTION' ? 'lineCorrection' : 'lineSession')
  return {
    date: formatDate(start, f.locale, session.timeZone),
    title,
    details,
    // A correction bills a difference: the rated lines explain the new amount, not the line's.
    breakdown:
      line.kind === 'CORRECTION'
        ? []
        : rated.map((r) => ({ text: breakdownText(f, r, ratedCurrency), amount: f.money(r.amount, ratedCurrency) })),
  }
}

const feeTitle = (f: Formats, line: InvoiceLine): string => {
  const { t } = f
  if (line.kind === 'BASE_FEE' && line.tariff) return t('baseFee', { tariff: line.tariff === 'ACTIVE' ? 'Active' : 'Flex' })
  if (line.kind === 'PACKAGE_FEE') return t('packageFee')
  if (line.kind === 'WAIVER' && line.waiver) {
    const w = line.waiver
    if (w.reason === 'VOUCHER') return t('waiverVoucher', { code: w.voucherCode ?? '' })
    return t(w.waives === 'PACKAGE_FEE' ? 'waiverNewVehiclePackage' : 'waiverNewVehicleBaseFee', { months: w.months ?? 12 })
  }
  if (line.kind === 'ONE_OFF' && line.oneOff)
    return line.oneOff.label ? t('replacementCardNumbered', { card: line.oneOff.label }) : t('replacementCard')
  // A line stored before its facts were kept: its English description.
  return line.description
}

/** The text of one line in the invoice's language. */
export const lineText = (f: Formats, line: InvoiceLine, invoiceCurrency: string): LineText => {
  if (line.session) return sessionText(f, line, line.session, invoiceCurrency)
  const period = line.periodFrom && line.periodTo ? [`${f.day(line.periodFrom)} – ${f.day(line.periodTo)}`] : []
  return { date: f.day(line.periodFrom ?? line.serviceDate), title: feeTitle(f, line), details: period, breakdown: [] }
}
