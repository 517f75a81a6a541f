import { toOcpiNumber, type Dec } from './decimal.js'
import type { TotalDifference, TotalName } from './audit-cdr.js'
import type { BillingDimension, PricedLine, PricingReport } from './report.js'

/**
 * Human explanation of an audit: each total outside the tolerance, followed by the breakdown
 * lines that make up the recomputed value, the price cap and the pricing warnings.
 */
const DIMENSIONS_OF: Record<TotalName, readonly BillingDimension[] | null> = {
  total_cost: null,
  total_energy_cost: ['ENERGY'],
  total_time_cost: ['TIME'],
  total_parking_cost: ['PARKING_TIME'],
  total_fixed_cost: ['FLAT'],
  total_reservation_cost: ['RESERVATION_TIME', 'RESERVATION_FLAT'],
}

const signed = (d: Dec): string => (d.isNegative() ? '' : '+') + toOcpiNumber(d)

export function explainDifferences(report: PricingReport, differences: readonly TotalDifference[], tolerance: Dec): string[] {
  const outside = differences.filter((d) => d.exceedsTolerance)
  if (outside.length === 0) return [`all stated totals are within ${tolerance.toString()} ${report.currency} of the tariff`]
  const text: string[] = []
  const explained = new Set<TotalName>()
  for (const d of outside) {
    text.push(
      `${d.total}.${d.vat}: CDR states ${d.claimed.toString()}, tariff "${report.tariffId}" gives ${toOcpiNumber(d.computed)} ` +
        `(difference ${signed(d.difference)} ${report.currency}, tolerance ${tolerance.toString()})`,
    )
    if (explained.has(d.total)) continue
    explained.add(d.total)
    const dimensions = DIMENSIONS_OF[d.total]
    for (const period of report.periods) {
      for (const line of period.lines) {
        if (dimensions === null || dimensions.includes(line.dimension))
          text.push(`  ${describeLine(line, period.local.dateTime, period.local.weekday)}`)
      }
    }
    if (d.total === 'total_cost' && report.priceCap.applied) {
      text.push(`  ${report.priceCap.applied} applied: before it the total was ${toOcpiNumber(report.priceCap.before.exclVat)} excl. VAT`)
    }
  }
  for (const w of report.warnings) text.push(`warning ${w.code}: ${w.message}`)
  return text
}

const UNIT: Record<BillingDimension, string> = {
  ENERGY: 'kWh',
  TIME: 's',
  PARKING_TIME: 's',
  RESERVATION_TIME: 's',
  FLAT: '',
  RESERVATION_FLAT: '',
}
const PER: Record<BillingDimension, string> = {
  ENERGY: '/kWh',
  TIME: '/h',
  PARKING_TIME: '/h',
  RESERVATION_TIME: '/h',
  FLAT: ' once',
  RESERVATION_FLAT: ' once',
}

function describeLine(line: PricedLine, localStart: string, weekday: string): string {
  const where = `period ${line.periodIndex} (${localStart} ${weekday}) ${line.dimension}`
  const unit = UNIT[line.dimension]
  const volume = unit === '' ? '' : ` ${line.volume.toString()} ${unit}`
  if (line.active === null) return `${where}${volume}: free, no tariff element applies`
  const c = line.active.component
  const billed =
    unit !== '' && !line.billedVolume.eq(line.volume) ? ` billed ${line.billedVolume.toString()} ${unit} (step_size ${c.stepSize})` : ''
  return (
    `${where}${volume}${billed} at ${c.price.toString()}${PER[line.dimension]}, VAT ${c.vat === null ? 'none' : `${c.vat.toString()} %`} ` +
    `(element ${line.active.elementIndex} of tariff "${line.active.tariffId}") = ${toOcpiNumber(line.cost.exclVat)} excl / ${toOcpiNumber(line.cost.inclVat)} incl`
  )
}
