// A pricing case (`npm run price`, the golden corpus) read with the intake's own readers, so the
// command line accepts what the CDRs Receiver accepts: a CDR as a CPO really sends it (offsets,
// numbers as strings, lower-case enums, ...) or a partial one with only what pricing needs, as the
// peer engines' golden CDRs are written, or a Session. One parse at the edge into the pricing core's
// types; the pricing core itself reads no JSON.
import { z } from 'zod'
import {
  Dec,
  zoneClock,
  zoneForCountry,
  type ClaimedTotals,
  type PricingInput,
  type PricingWarning,
  type Tariff,
} from '../pricing/index.js'
import { CDR_INTAKE, CdrIntakeObject } from './cdrs/index.js'
import { LocationSchema } from './v221/locations.schema.js'
import { fromOcpiChargingPeriods } from './sessions/index.js'
import { fromOcpiTariff, unknownRestrictions } from './tariffs/index.js'
import { TariffSchema } from './v221/tariffs.schema.js'
import { pathText, readTolerant, type Deviation, type Issue } from './v221/intake.js'
import { DateTimeSchema, type PriceSchema, string } from './v221/common.schema.js'
import { parseOcpiDateTime } from './v221/pagination.js'
import { describeZodIssues } from './v221/validation.js'

/**
 * The CDR (or Session) of a pricing case: only its start and currency are required. A non-standard
 * `cdr_location.time_zone` is read (some peers' golden CDRs carry one).
 */
const PricingCdrSchema = CdrIntakeObject.partial().extend({
  start_date_time: DateTimeSchema,
  currency: CdrIntakeObject.shape.currency,
  cdr_location: CdrIntakeObject.shape.cdr_location
    .partial()
    .extend({ time_zone: string(255).nullish() })
    .nullish(),
})

const PricingCaseSchema = z.object({
  tariffs: z.array(TariffSchema.partial({ country_code: true, party_id: true, last_updated: true })).nullish(),
  tariff: TariffSchema.partial({ country_code: true, party_id: true, last_updated: true }).nullish(),
  cdr: PricingCdrSchema,
  time_zone: string(255).nullish(),
  location: LocationSchema.partial()
    .extend({ time_zone: string(255) })
    .nullish(),
})

export interface PricingCase {
  input: PricingInput
  /** The totals the CDR states, when it states `total_cost` (for the audit). */
  claimed: ClaimedTotals | null
  /** What the intake tolerated in the case (reported as warnings too). */
  deviations: Deviation[]
}

export type PricingCaseResult = { ok: true; value: PricingCase } | { ok: false; code: string; field?: string; message: string }

const refused = (issues: readonly Issue[]): PricingCaseResult => ({
  ok: false,
  code: 'invalid_input',
  ...(issues[0] ? { field: pathText(issues[0].path as (string | number)[]) } : {}),
  message: describeZodIssues(issues),
})

type PartialPrice = z.infer<typeof PriceSchema> | null | undefined
const claim = (p: PartialPrice) => (p ? { exclVat: p.excl_vat, inclVat: p.incl_vat ?? null } : undefined)

const zoneOf = (c: z.infer<typeof PricingCaseSchema>): PricingCaseResult | string => {
  const explicit = c.time_zone ?? c.location?.time_zone ?? c.cdr.cdr_location?.time_zone
  if (explicit != null)
    return zoneClock(explicit)
      ? explicit
      : { ok: false, code: 'invalid_time_zone', field: 'time_zone', message: `"${explicit}" is not an IANA time zone` }
  const country = c.location?.country ?? c.cdr.cdr_location?.country
  const zone = country == null ? null : zoneForCountry(country)
  if (zone) return zone
  return {
    ok: false,
    code: 'time_zone_unknown',
    field: 'time_zone',
    message:
      country == null
        ? 'no time zone: give "time_zone", a "location" or a CDR with cdr_location.country'
        : `no time zone for country "${country}": give "time_zone" or a "location"`,
  }
}

/** Reads a pricing case: `tariffs` or `tariff` (else the CDR's embedded tariffs), `cdr`, optional `time_zone` or `location`. */
export const readPricingCase = (raw: unknown): PricingCaseResult => {
  const read = readTolerant(PricingCaseSchema, raw, CDR_INTAKE)
  if (!read.ok) return refused(read.issues)
  const c = read.value
  const zone = zoneOf(c)
  if (typeof zone !== 'string') return zone
  const rawCase = raw as { tariff?: unknown; tariffs?: unknown[]; cdr?: { tariffs?: unknown[] } }
  const [source, wireTariffs, rawTariffs] = c.tariff
    ? (['tariff', [c.tariff], [rawCase.tariff]] as const)
    : c.tariffs
      ? (['tariffs', c.tariffs, rawCase.tariffs ?? []] as const)
      : (['cdr.tariffs', c.cdr.tariffs ?? [], rawCase.cdr?.tariffs ?? []] as const)
  if (wireTariffs.length === 0)
    return {
      ok: false,
      code: 'invalid_input',
      field: 'tariffs',
      message: 'no tariff given (neither "tariffs", "tariff" nor the CDR\'s embedded tariffs)',
    }
  const warnings: PricingWarning[] = []
  const tariffs: Tariff[] = wireTariffs.map((t, i) => fromOcpiTariff(t, source === 'tariff' ? 'tariff' : `${source}[${i}]`, warnings))
  const deviations = [
    ...read.deviations,
    ...rawTariffs.flatMap((t, i) => unknownRestrictions(t, source === 'tariff' ? 'tariff.' : `${source}[${i}].`)),
  ]
  const periods = fromOcpiChargingPeriods(c.cdr.charging_periods ?? [], 'cdr.charging_periods')
  const totals = {
    total_cost: claim(c.cdr.total_cost),
    total_energy_cost: claim(c.cdr.total_energy_cost),
    total_time_cost: claim(c.cdr.total_time_cost),
    total_parking_cost: claim(c.cdr.total_parking_cost),
    total_fixed_cost: claim(c.cdr.total_fixed_cost),
    total_reservation_cost: claim(c.cdr.total_reservation_cost),
  }
  const dec = (p: { exclVat: number; inclVat: number | null }) => ({
    exclVat: new Dec(String(p.exclVat)),
    inclVat: p.inclVat === null ? null : new Dec(String(p.inclVat)),
  })
  const claimed: ClaimedTotals | null = totals.total_cost
    ? {
        totals: Object.fromEntries(
          Object.entries(totals)
            .filter(([, p]) => p)
            .map(([k, p]) => [k, dec(p!)]),
        ),
        credit: c.cdr.credit === true,
      }
    : null
  return {
    ok: true,
    value: {
      input: {
        tariffs,
        session: {
          startMs: parseOcpiDateTime(c.cdr.start_date_time)!.getTime(),
          endMs: c.cdr.end_date_time == null ? null : parseOcpiDateTime(c.cdr.end_date_time)!.getTime(),
          currency: c.cdr.currency,
          periods: periods.periods,
        },
        timeZone: zone,
        warnings: [
          ...warnings,
          ...periods.warnings,
          ...deviations.map((d) => ({
            code: d.kind,
            message: `${d.path}: read although ${d.kind.replaceAll('_', ' ')}${d.received === undefined ? '' : ` (received ${d.received})`}`,
          })),
        ],
      },
      claimed,
      deviations,
    },
  }
}
