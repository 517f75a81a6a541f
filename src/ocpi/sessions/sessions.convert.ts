import { Decimal } from 'decimal.js'
import { InvalidParametersError } from '../v221/errors.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import { describeZodError } from '../v221/validation.js'
import { SessionSchema, type ChargingPeriod, type Session, type SessionPatch } from './sessions.schema.js'

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
    ? { exclVat: decimal(session.total_cost.excl_vat), inclVat: session.total_cost.incl_vat == null ? null : decimal(session.total_cost.incl_vat) }
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
 * is harmless (digest 14: deduplicate by start and identical dimensions).
 */
export const appendChargingPeriods = (held: ChargingPeriod[], incoming: ChargingPeriod[] | null | undefined): ChargingPeriod[] => {
  if (!incoming || incoming.length === 0) return held
  const seen = new Set(held.map(periodKey))
  const out = [...held]
  for (const period of incoming) {
    const key = periodKey(period)
    if (seen.has(key)) continue
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
