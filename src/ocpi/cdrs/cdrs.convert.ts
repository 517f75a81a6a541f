import { createHash } from 'node:crypto'
import { Decimal } from 'decimal.js'
import { decOfNumber } from '../../pricing/index.js'
import type { ChargeDetailRecord, CdrLocationFacts, PowerType, PricingWarning } from '../../pricing/index.js'
import { fromOcpiChargingPeriods } from '../sessions/index.js'
import { fromOcpiTariff } from '../tariffs/index.js'
import type { Deviation } from '../v221/intake.js'
import { ocpiDateTimeMs, parseOcpiDateTime } from '../v221/pagination.js'
import type { CdrIntake } from './cdrs.schema.js'

/** A CDR as we keep it: the normalised OCPI CDR, its look-up columns and its identity. */
export interface CdrRecord {
  /** Upper-cased key (CiStrings). */
  countryCode: string
  partyId: string
  cdrId: string
  /** SHA-256 of the canonical JSON of the CDR as read (format repaired, CiStrings upper-cased): equal hashes mean the same CDR. */
  contentHash: string
  sessionId: string | null
  token: { countryCode: string; partyId: string; uid: string; type: string; contractId: string }
  authorizationReference: string | null
  startDateTime: Date
  endDateTime: Date
  currency: string
  totalCost: { exclVat: Decimal; inclVat: Decimal | null }
  totalEnergy: Decimal
  totalTime: Decimal
  totalParkingTime: Decimal | null
  credit: boolean
  creditReferenceId: string | null
  lastUpdated: Date
  /** The CDR in OCPI form, normalised: format repaired and completed from what we hold (what a GET answers). */
  ocpi: CdrIntake
}

export interface StoredCdr extends CdrRecord {
  /** The CDR's one typed form as stored (rating reads it completed again: `CdrsService.resolveNow`). */
  detail: ChargeDetailRecord
  id: string
  partnerId: string
  /** The request body exactly as received (a pulled CDR: its JSON). */
  raw: string
  /** What the CPO sent that the spec does not allow, and how we read it. */
  deviations: Deviation[]
  sessionRowId: string | null
  creditedCdrRowId: string | null
  receivedAt: Date
}

const instant = (value: string): Date => parseOcpiDateTime(value)!
/** `instant(value).getTime()` without the Date; the CDR passed the intake schema, so a failure is a bug. */
const instantMs = (value: string): number => {
  const ms = ocpiDateTimeMs(value)
  if (ms === undefined) throw new TypeError(`not an OCPI DateTime: ${value}`)
  return ms
}
const decimal = (n: number) => new Decimal(String(n))

/**
 * JSON with object keys sorted (by UTF-16 code units) and no spacing, so the hash does not depend on
 * the CPO's key order or spacing. Stored hashes depend on this exact text: change it only with a
 * migration of `content_hash`. Written as loops, not entries/sort/join: it runs on every CDR received.
 */
export const canonicalJson = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(value[i]) ?? '')
    return `${out}]`
  }
  const o = value as Record<string, unknown>
  let out = '{'
  for (const k of Object.keys(o).sort()) {
    const v = o[k]
    if (v === undefined) continue
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`
  }
  return `${out}}`
}

export const contentHashOf = (canonical: string) => createHash('sha256').update(canonical).digest('hex')

const up = <T extends string | null | undefined>(v: T): T => (typeof v === 'string' ? (v.toUpperCase() as T) : v)

/**
 * The CDR with every CiString the spec names upper-cased (ids, parties, uids, references), so the same
 * CDR re-sent with its id or party in another case is the same CDR (OCPI 2.2.1 §16.1: CiString).
 */
export const caseFolded = (cdr: CdrIntake): CdrIntake => ({
  ...cdr,
  country_code: up(cdr.country_code),
  party_id: up(cdr.party_id),
  id: up(cdr.id),
  session_id: up(cdr.session_id),
  authorization_reference: up(cdr.authorization_reference),
  invoice_reference_id: up(cdr.invoice_reference_id),
  credit_reference_id: up(cdr.credit_reference_id),
  cdr_token: {
    ...cdr.cdr_token,
    country_code: up(cdr.cdr_token.country_code),
    party_id: up(cdr.cdr_token.party_id),
    uid: up(cdr.cdr_token.uid),
    contract_id: up(cdr.cdr_token.contract_id),
  },
  cdr_location: {
    ...cdr.cdr_location,
    id: up(cdr.cdr_location.id),
    evse_uid: up(cdr.cdr_location.evse_uid),
    evse_id: up(cdr.cdr_location.evse_id),
    connector_id: up(cdr.cdr_location.connector_id),
  },
  ...(cdr.tariffs
    ? { tariffs: cdr.tariffs.map((t) => ({ ...t, country_code: up(t.country_code), party_id: up(t.party_id), id: up(t.id) })) }
    : {}),
  ...(cdr.charging_periods ? { charging_periods: cdr.charging_periods.map((p) => ({ ...p, tariff_id: up(p.tariff_id) })) } : {}),
})

/** The identity hash of a CDR as read (before completing it from what we hold, which may change). */
export const identityHashOf = (asRead: CdrIntake): string => contentHashOf(canonicalJson(caseFolded(asRead)))

/** The look-up columns and identity of a resolved CDR; `asRead` is the CDR before resolution. */
export const recordOf = (cdr: CdrIntake, asRead: CdrIntake): CdrRecord => ({
  countryCode: cdr.country_code.toUpperCase(),
  partyId: cdr.party_id.toUpperCase(),
  cdrId: cdr.id.toUpperCase(),
  contentHash: identityHashOf(asRead),
  sessionId: cdr.session_id?.toUpperCase() ?? null,
  token: {
    countryCode: (cdr.cdr_token.country_code ?? '').toUpperCase(),
    partyId: (cdr.cdr_token.party_id ?? '').toUpperCase(),
    uid: cdr.cdr_token.uid.toUpperCase(),
    type: cdr.cdr_token.type,
    contractId: (cdr.cdr_token.contract_id ?? '').toUpperCase(),
  },
  authorizationReference: cdr.authorization_reference?.toUpperCase() ?? null,
  startDateTime: instant(cdr.start_date_time),
  endDateTime: instant(cdr.end_date_time),
  currency: cdr.currency,
  totalCost: {
    exclVat: decimal(cdr.total_cost.excl_vat),
    inclVat: cdr.total_cost.incl_vat == null ? null : decimal(cdr.total_cost.incl_vat),
  },
  totalEnergy: decimal(cdr.total_energy ?? 0),
  totalTime: decimal(cdr.total_time ?? 0),
  totalParkingTime: cdr.total_parking_time == null ? null : decimal(cdr.total_parking_time),
  credit: cdr.credit === true,
  creditReferenceId: cdr.credit_reference_id?.toUpperCase() ?? null,
  lastUpdated: instant(cdr.last_updated ?? cdr.end_date_time),
  ocpi: cdr,
})

const price = (p: { excl_vat: number; incl_vat?: number | null } | null | undefined) =>
  p == null ? null : { exclVat: decOfNumber(p.excl_vat), inclVat: p.incl_vat == null ? null : decOfNumber(p.incl_vat) }

const locationFacts = (at: CdrIntake['cdr_location']): CdrLocationFacts => ({
  id: at.id,
  name: at.name ?? null,
  address: at.address ?? null,
  city: at.city ?? null,
  country: at.country && /^[A-Z]{3}$/.test(at.country) ? at.country : null,
  evseId: at.evse_id ?? null,
  evseUid: at.evse_uid ?? null,
  connectorId: at.connector_id ?? null,
  powerType: (at.connector_power_type ?? null) as PowerType | null,
})

/**
 * The one typed form of a CDR (OCPI 2.2.1 §10.4.1 CDR object → src/pricing/cdr.ts): every later step
 * (rating, the audit, billing through the charges) reads this, never the OCPI JSON. Total: the CDR
 * has passed the intake schema and been resolved (`resolveCdr`).
 */
export const fromOcpiCdr = (cdr: CdrIntake): ChargeDetailRecord => {
  const warnings: PricingWarning[] = []
  const tariffs = cdr.tariffs?.length ? cdr.tariffs.map((t, i) => fromOcpiTariff(t, `cdr.tariffs[${i}]`, warnings)) : []
  const periods = fromOcpiChargingPeriods(cdr.charging_periods ?? [], 'cdr.charging_periods')
  const endMs = instantMs(cdr.end_date_time)
  return {
    countryCode: cdr.country_code,
    partyId: cdr.party_id,
    id: cdr.id,
    startMs: instantMs(cdr.start_date_time),
    endMs,
    sessionId: cdr.session_id ?? null,
    token: {
      countryCode: cdr.cdr_token.country_code ?? '',
      partyId: cdr.cdr_token.party_id ?? '',
      uid: cdr.cdr_token.uid,
      type: cdr.cdr_token.type,
      contractId: cdr.cdr_token.contract_id ?? '',
    },
    authorizationReference: cdr.authorization_reference ?? null,
    location: locationFacts(cdr.cdr_location),
    currency: cdr.currency,
    tariffs,
    periods: periods.periods,
    totalCost: price(cdr.total_cost)!,
    totalFixedCost: price(cdr.total_fixed_cost),
    totalEnergyCost: price(cdr.total_energy_cost),
    totalTimeCost: price(cdr.total_time_cost),
    totalParkingCost: price(cdr.total_parking_cost),
    totalReservationCost: price(cdr.total_reservation_cost),
    totalEnergyKwh: decOfNumber(cdr.total_energy ?? 0),
    totalTimeHours: decOfNumber(cdr.total_time ?? 0),
    totalParkingTimeHours: cdr.total_parking_time == null ? null : decOfNumber(cdr.total_parking_time),
    credit: cdr.credit === true,
    creditReferenceId: cdr.credit_reference_id ?? null,
    // most CDRs are last updated when they end: the same text is not read twice
    lastUpdatedMs: cdr.last_updated == null || cdr.last_updated === cdr.end_date_time ? endMs : instantMs(cdr.last_updated),
    warnings: warnings.length === 0 ? periods.warnings : [...warnings, ...periods.warnings],
  }
}

/** What a GET of the CDR answers: the normalised OCPI CDR. */
export const toOcpiCdr = (stored: Pick<StoredCdr, 'ocpi'>): CdrIntake => stored.ocpi
