// Step: one line per rated CDR (a credit CDR's reversal is a negative line), converted into the
// invoice currency when it was rated in another one. Each line keeps the rated lines explaining it.
import type { InvoicedCdr, InvoiceLine, RatedCharge, SessionFacts } from './billing.types.js'
import { convert, type ExchangeRate } from './fx.js'
import { type Decimal, toCents } from './money.js'

export interface ChargingLinesInput {
  charges: readonly RatedCharge[]
  currency: string
  rates: readonly ExchangeRate[]
  vatRateOn: (day: string) => Decimal
  /** CDRs on earlier invoices (by CDR id). A charge already billed is skipped; a re-rated one is corrected. */
  invoiced: ReadonlyMap<string, InvoicedCdr>
  /** Where and when each CDR's session took place (by CDR id); a CDR without facts gets its times only. */
  sessions: ReadonlyMap<string, SessionFacts>
}

export type ChargingLinesResult = { ok: true; lines: InvoiceLine[] } | { ok: false; missingRates: { currency: string; day: string }[] }

const utcDay = (d: Date) => d.toISOString().slice(0, 10)
const stamp = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ')

/** What a charge alone tells about its session (a CDR whose facts could not be read): its times. */
const factsOfCharge = (c: RatedCharge): SessionFacts => ({
  start: c.cdrStart.toISOString(),
  end: c.cdrEnd.toISOString(),
  timeZone: 'UTC',
  locationName: null,
  address: null,
  city: null,
  country: '',
  operator: null,
  evseId: null,
  powerType: null,
  kwh: '',
})

export const chargingLines = (input: ChargingLinesInput): ChargingLinesResult => {
  const lines: InvoiceLine[] = []
  const missing: { currency: string; day: string }[] = []
  // By CDR end; a credit with the same end follows the charge it reverses.
  const ordered = [...input.charges].sort(
    (a, b) => a.cdrEnd.getTime() - b.cdrEnd.getTime() || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
  )
  for (const c of ordered) {
    // Rating negates a reversal's lines; the sign is forced here too so a reversal can never add.
    const own = c.kind === 'REVERSAL' ? c.total.abs().negated() : c.total
    const day = utcDay(c.cdrEnd)
    const base = {
      kind: c.kind === 'REVERSAL' ? ('REVERSAL' as const) : ('CHARGING' as const),
      description: `${c.kind === 'REVERSAL' ? 'Credit for charging session' : 'Charging session'} ${c.cdrId} (${stamp(c.cdrStart)} – ${stamp(c.cdrEnd)} UTC)`,
      vatRate: input.vatRateOn(day),
      serviceDate: day,
      chargeId: c.id,
      cdrId: c.cdrId,
      details: c.lines,
      session: input.sessions.get(c.cdrId) ?? factsOfCharge(c),
      rule: c.rule,
    }
    const before = input.invoiced.get(c.cdrId)
    if (before?.chargeIds.has(c.id)) continue
    let line: InvoiceLine
    if (c.currency === input.currency) line = { ...base, amount: toCents(own) }
    else {
      const converted = convert(input.rates, own, c.currency, input.currency, day)
      if (!converted.ok) {
        missing.push({ currency: c.currency, day })
        continue
      }
      line = {
        ...base,
        amount: converted.amount,
        original: { amount: toCents(own), currency: c.currency, rate: converted.rate.rate, rateValidFrom: converted.rate.validFrom },
      }
    }
    if (!before) {
      lines.push(line)
      continue
    }
    // Re-rated after it was invoiced: bill only the difference to what was billed (0 → no line).
    const difference = line.amount.minus(before.amount)
    if (difference.isZero()) continue
    lines.push({
      ...line,
      kind: 'CORRECTION',
      amount: difference,
      billedBefore: before.amount,
      description: `Correction: ${c.cdrId} re-rated (billed ${before.amount.toFixed(2)}, now ${line.amount.toFixed(2)} ${input.currency})`,
    })
  }
  return missing.length ? { ok: false, missingRates: missing } : { ok: true, lines }
}
