import { Decimal } from 'decimal.js'
import type { z } from 'zod'
import { Dec, decOfNumber } from '../../pricing/index.js'
import type { ChargingPeriod as PricingPeriod, MeasuredRange, PricingWarning, SessionInput } from '../../pricing/index.js'
import { InvalidParametersError } from '../v221/errors.js'
import { deviation, readTolerant, type IntakeResult } from '../v221/intake.js'
import { ocpiDateTimeMs, parseOcpiDateTime } from '../v221/pagination.js'
import { describeZodError } from '../v221/validation.js'
import { RAW_TAIL } from './sessions.periods.js'
import {
  CdrDimensionTypeSchema,
  SessionPatchSchema,
  SessionSchema,
  type ChargingPeriod,
  type Session,
  type SessionPatch,
} from './sessions.schema.js'

/** A Session as we hold it: the wire object plus the normalized fields we look up and compute with. */
export interface SessionRecord {
  /** Upper-cased key (CiStrings). */
  countryCode: string
  partyId: string
  sessionId: string
  status: Session['status']
  startDateTime: Date
  endDateTime: Date | null
  kwh: Decimal
  currency: string
  totalCost: { exclVat: Decimal; inclVat: Decimal | null } | null
  token: { countryCode: string; partyId: string; uid: string; type: string; contractId: string }
  authorizationReference: string | null
  locationId: string
  evseUid: string
  connectorId: string
  lastUpdated: Date
  /** The OCPI Session as it currently stands. */
  session: Session
}

export interface StoredSession extends SessionRecord {
  id: string
  partnerId: string
  createdAt: Date
  updatedAt: Date
}

/** The schema already checked the format, so a failure here is a bug, not bad input. */
const instant = (value: string): Date => {
  const at = parseOcpiDateTime(value)
  if (!at) throw new InvalidParametersError(`not an OCPI DateTime: ${value}`)
  return at
}

/** The same as `instant(value).getTime()`, without the Date (per charging period). */
const instantMs = (value: string): number => {
  const ms = ocpiDateTimeMs(value)
  if (ms === undefined) throw new InvalidParametersError(`not an OCPI DateTime: ${value}`)
  return ms
}

/** OCPI JSON numbers become Decimals through their shortest string form (house rule). */
const decimal = (n: number) => new Decimal(String(n))

export const fromOcpiSession = (session: Session): SessionRecord => ({
  countryCode: session.country_code.toUpperCase(),
  partyId: session.party_id.toUpperCase(),
  sessionId: session.id.toUpperCase(),
  status: session.status,
  startDateTime: instant(session.start_date_time),
  endDateTime: session.end_date_time ? instant(session.end_date_time) : null,
  kwh: decimal(session.kwh),
  currency: session.currency,
  totalCost: session.total_cost
    ? {
        exclVat: decimal(session.total_cost.excl_vat),
        inclVat: session.total_cost.incl_vat == null ? null : decimal(session.total_cost.incl_vat),
      }
    : null,
  token: {
    countryCode: session.cdr_token.country_code.toUpperCase(),
    partyId: session.cdr_token.party_id.toUpperCase(),
    uid: session.cdr_token.uid.toUpperCase(),
    type: session.cdr_token.type,
    contractId: session.cdr_token.contract_id.toUpperCase(),
  },
  authorizationReference: session.authorization_reference?.toUpperCase() ?? null,
  locationId: session.location_id,
  evseUid: session.evse_uid,
  connectorId: session.connector_id,
  lastUpdated: instant(session.last_updated),
  session,
})

export const toOcpiSession = (stored: Pick<StoredSession, 'session'>): Session => stored.session

/** Two periods are the same when their start and content are equal (OCPI gives periods no id). */
const periodKey = (p: ChargingPeriod) =>
  JSON.stringify([instant(p.start_date_time).getTime(), p.tariff_id ?? null, p.dimensions.map((d) => [d.type, d.volume])])

/**
 * PATCH rule (OCPI 2.2.1 Sessions, PATCH): listed charging periods are appended, an absent or empty
 * list leaves them untouched. A period we already hold is not appended again, so a replayed PATCH
 * is harmless (OCPI notes §14: deduplicate by start and identical dimensions). Nor is one that starts
 * before the `RAW_TAIL` newest periods we hold: that is a replay of a period we may have merged when
 * the session reached its period bound (`sessions.periods.ts` never merges those newest ones), while
 * PATCHes that overtake each other (concurrent requests) still all append.
 */
export const appendChargingPeriods = (held: ChargingPeriod[], incoming: ChargingPeriod[] | null | undefined): ChargingPeriod[] => {
  if (!incoming || incoming.length === 0) return held
  const seen = new Set(held.map(periodKey))
  const since = held.length < RAW_TAIL ? -Infinity : instant(held[held.length - RAW_TAIL]!.start_date_time).getTime()
  const out = [...held]
  for (const period of incoming) {
    const key = periodKey(period)
    if (seen.has(key) || instant(period.start_date_time).getTime() < since) continue
    seen.add(key)
    out.push(period)
  }
  return out
}

/**
 * Applies a PATCH to the Session we hold: fields present replace ours, periods are appended.
 * The result must still be a valid Session (a PATCH may not null a required field): refused with 2001 otherwise.
 */
export const mergeSessionPatch = (held: Session, patch: SessionPatch): Session => {
  const { charging_periods: periods, ...fields } = patch
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
  const merged = { ...held, ...defined, charging_periods: appendChargingPeriods(held.charging_periods ?? [], periods) }
  const parsed = SessionSchema.safeParse(merged)
  if (!parsed.success) throw new InvalidParametersError(`The PATCH leaves an invalid Session: ${describeZodError(parsed.error)}`)
  return parsed.data
}

// ---- Charging periods in the pricing core's model (CDRs share them with Sessions) ----

const SECONDS_PER_HOUR = new Dec(3600)
/** Ten years: keeps every sum of seconds far inside the exact integer range of a JS number. */
const MAX_SECONDS = 315_360_000

/**
 * Hours → whole seconds. OCPI sends hours with 4 decimals (0.36 s resolution), so a duration of
 * whole seconds comes back exactly from the nearest second, and step_size counts seconds anyway:
 * 5 minutes sent as 0.0833 h is 300 s, not 299.88 s. Negative or absurd values are kept (clamped to
 * ten years): the pricing core refuses them, and the plausibility check holds such a CDR.
 * The exact rule is `secondsExact` (the decimal value of the number, half away from zero); a number
 * whose product with 3600 is not within a millionth of a half second of a tie rounds the same in
 * binary floating point (its error is below 1e-7 s in this range), so only near-ties and values near
 * the clamp take the decimal path. Pinned against `secondsExact` by test/ocpi/sessions/periods-convert.test.ts.
 */
const seconds = (hours: number | undefined): number | null => {
  if (hours === undefined) return null
  const x = hours * 3600
  if (x === 0) return 0 // also -0 h: the decimal path reads String(-0) = '0'
  if (x > 1 - MAX_SECONDS && x < MAX_SECONDS - 1) {
    const below = Math.floor(x)
    const fraction = x - below
    if (fraction < 0.499_999 || fraction > 0.500_001) {
      const whole = fraction > 0.5 ? below + 1 : below
      return whole === 0 && x < 0 ? -0 : whole // as the decimal path's toNumber() of a negative zero
    }
  }
  return secondsExact(hours)
}

/** Hours → whole seconds through the decimal value of the number (the definition `seconds` follows). */
export const secondsExact = (hours: number): number => {
  const whole = new Dec(String(hours)).times(SECONDS_PER_HOUR).toDecimalPlaces(0, Dec.ROUND_HALF_UP)
  return Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, whole.toNumber()))
}

/** OCPI JSON numbers become Decimals through their shortest string form (house rule; `decOfNumber`). */
const dec = decOfNumber

/** MIN_x / MAX_x of a period; a single value (or the Session-only average `x`) serves as both. */
const range = (min: number | undefined, max: number | undefined, single: number | undefined): MeasuredRange | null => {
  const low = min ?? max ?? single
  const high = max ?? min ?? single
  if (low === undefined || high === undefined) return null
  const lowDec = dec(low)
  return { min: lowDec, max: high === low ? lowDec : dec(high) } // Decimals are immutable: one serves both
}

/**
 * One OCPI ChargingPeriod in the pricing model; a dimension sent twice counts once (the first), with
 * a warning naming `${list}[${index}]`. Runs per period of every CDR priced or audited: plain loops,
 * no Map, no closures.
 */
const periodOf = (p: ChargingPeriod, list: string, index: number, warnings: PricingWarning[]): PricingPeriod => {
  let energy: number | undefined
  let time: number | undefined
  let parking: number | undefined
  let reservation: number | undefined
  let minCurrent: number | undefined
  let maxCurrent: number | undefined
  let current: number | undefined
  let minPower: number | undefined
  let maxPower: number | undefined
  let power: number | undefined
  const dimensions = p.dimensions
  for (let i = 0; i < dimensions.length; i++) {
    const d = dimensions[i]!
    let twice = false
    for (let j = 0; j < i && !twice; j++) twice = dimensions[j]!.type === d.type
    if (twice) {
      warnings.push({ code: 'duplicate_dimension', message: `${list}[${index}]: ${d.type} appears twice; the first value counts` })
      continue
    }
    switch (d.type) {
      case 'ENERGY':
        energy = d.volume
        break
      case 'TIME':
        time = d.volume
        break
      case 'PARKING_TIME':
        parking = d.volume
        break
      case 'RESERVATION_TIME':
        reservation = d.volume
        break
      case 'MIN_CURRENT':
        minCurrent = d.volume
        break
      case 'MAX_CURRENT':
        maxCurrent = d.volume
        break
      case 'CURRENT':
        current = d.volume
        break
      case 'MIN_POWER':
        minPower = d.volume
        break
      case 'MAX_POWER':
        maxPower = d.volume
        break
      case 'POWER':
        power = d.volume
        break
    }
  }
  return {
    startMs: instantMs(p.start_date_time),
    tariffId: p.tariff_id ?? null,
    energyKwh: energy === undefined ? null : dec(energy),
    timeSeconds: seconds(time),
    parkingSeconds: seconds(parking),
    reservationSeconds: seconds(reservation),
    current: range(minCurrent, maxCurrent, current),
    power: range(minPower, maxPower, power),
  }
}

/** OCPI charging periods (of a CDR or a Session) in the pricing model, with what was tolerated. */
export const fromOcpiChargingPeriods = (
  periods: readonly ChargingPeriod[],
  at = 'charging_periods',
): { periods: PricingPeriod[]; warnings: PricingWarning[] } => {
  const warnings: PricingWarning[] = []
  const out: PricingPeriod[] = []
  for (let i = 0; i < periods.length; i++) out.push(periodOf(periods[i]!, at, i, warnings))
  return { periods: out, warnings }
}

/** A Session (open or finished) as the pricing core prices it; `endAt` ends an open one (a live estimate). */
export const pricingSessionOf = (
  session: Pick<Session, 'start_date_time' | 'end_date_time' | 'currency' | 'charging_periods'>,
  endAt?: Date,
): { session: SessionInput; warnings: PricingWarning[] } => {
  const { periods, warnings } = fromOcpiChargingPeriods(session.charging_periods ?? [])
  const end = endAt ?? (session.end_date_time ? parseOcpiDateTime(session.end_date_time) : null)
  return {
    session: {
      startMs: instantMs(session.start_date_time),
      endMs: end ? end.getTime() : null,
      currency: session.currency,
      periods,
    },
    warnings,
  }
}

// ---- Tolerant intake of Session bodies ----

/** A charging-period dimension of a type the spec does not know (VOLTAGE) is dropped, not the object. */
export const PERIOD_INTAKE = { droppableEnums: new Set<z.ZodType>([CdrDimensionTypeSchema]) }

/** The party that receives a Session is the eMSP whose token it is: us. */
export interface SessionIntakeContext {
  receiver: { countryCode: string; partyId: string }
}

/**
 * A CdrToken without `country_code`/`party_id` (the shape of the spec's own pre-2.2.1 examples) is
 * the token of the eMSP the Session is sent to: ours. Filled in and reported.
 */
const withTokenParty = (raw: unknown, ctx: SessionIntakeContext, deviations: ReturnType<typeof deviation>[]): unknown => {
  const body = raw as { cdr_token?: Record<string, unknown> } | null
  const token = body && typeof body === 'object' ? body.cdr_token : undefined
  if (!token || typeof token !== 'object' || (token.country_code != null && token.party_id != null)) return raw
  deviations.push(deviation('token_party_resolved', 'cdr_token', 'no country_code/party_id'))
  return {
    ...body,
    cdr_token: { ...token, country_code: token.country_code ?? ctx.receiver.countryCode, party_id: token.party_id ?? ctx.receiver.partyId },
  }
}

/** The tolerant reader of a Session PUT body (src/ocpi/v221/intake.ts), plus our party on a bare CdrToken. */
export const readSessionBody = (raw: unknown, ctx: SessionIntakeContext): IntakeResult<Session> => {
  const deviations: ReturnType<typeof deviation>[] = []
  const read = readTolerant(SessionSchema, withTokenParty(raw, ctx, deviations), PERIOD_INTAKE)
  return read.ok ? { ...read, deviations: [...deviations, ...read.deviations] } : read
}

/** The tolerant reader of a Session PATCH body. */
export const readSessionPatchBody = (raw: unknown, ctx: SessionIntakeContext): IntakeResult<SessionPatch> => {
  const deviations: ReturnType<typeof deviation>[] = []
  const read = readTolerant(SessionPatchSchema, withTokenParty(raw, ctx, deviations), PERIOD_INTAKE)
  return read.ok ? { ...read, deviations: [...deviations, ...read.deviations] } : read
}
