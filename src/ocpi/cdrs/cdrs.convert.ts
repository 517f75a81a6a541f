import { createHash } from 'node:crypto'
import { Decimal } from 'decimal.js'
import { InvalidParametersError } from '../v221/errors.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import type { Cdr } from './cdrs.schema.js'

/** A CDR as we keep it: the wire object, the text as received, and normalized fields. */
export interface CdrRecord {
  /** Upper-cased key (CiStrings). */
  countryCode: string
  partyId: string
  cdrId: string
  /** SHA-256 of the canonical JSON of the validated CDR: equal hashes mean the same CDR. */
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
  cdr: Cdr
}

export interface StoredCdr extends CdrRecord {
  id: string
  partnerId: string
  raw: string
  sessionRowId: string | null
  creditedCdrRowId: string | null
  receivedAt: Date
}

const instant = (value: string): Date => {
  const at = parseOcpiDateTime(value)
  if (!at) throw new InvalidParametersError(`not an OCPI DateTime: ${value}`)
  return at
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

/** A CDR as received: the record, and the validated CDR as canonical JSON (hashed, and stored as the `object`). */
export interface ReceivedCdr extends CdrRecord {
  json: string
}

export const fromOcpiCdr = (cdr: Cdr): ReceivedCdr => {
  const json = canonicalJson(cdr)
  return { ...recordOf(cdr, contentHashOf(json)), json }
}

const recordOf = (cdr: Cdr, contentHash: string): CdrRecord => ({
  countryCode: cdr.country_code.toUpperCase(),
  partyId: cdr.party_id.toUpperCase(),
  cdrId: cdr.id.toUpperCase(),
  contentHash,
  sessionId: cdr.session_id?.toUpperCase() ?? null,
  token: {
    countryCode: cdr.cdr_token.country_code.toUpperCase(),
    partyId: cdr.cdr_token.party_id.toUpperCase(),
    uid: cdr.cdr_token.uid.toUpperCase(),
    type: cdr.cdr_token.type,
    contractId: cdr.cdr_token.contract_id.toUpperCase(),
  },
  authorizationReference: cdr.authorization_reference?.toUpperCase() ?? null,
  startDateTime: instant(cdr.start_date_time),
  endDateTime: instant(cdr.end_date_time),
  currency: cdr.currency,
  totalCost: { exclVat: decimal(cdr.total_cost.excl_vat), inclVat: cdr.total_cost.incl_vat == null ? null : decimal(cdr.total_cost.incl_vat) },
  totalEnergy: decimal(cdr.total_energy),
  totalTime: decimal(cdr.total_time),
  totalParkingTime: cdr.total_parking_time == null ? null : decimal(cdr.total_parking_time),
  credit: cdr.credit === true,
  creditReferenceId: cdr.credit_reference_id?.toUpperCase() ?? null,
  lastUpdated: instant(cdr.last_updated),
  cdr,
})

export const toOcpiCdr = (stored: Pick<StoredCdr, 'cdr'>): Cdr => stored.cdr
