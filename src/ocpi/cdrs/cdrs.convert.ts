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

/** JSON with object keys sorted, so the hash does not depend on the CPO's key order or spacing. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export const contentHashOf = (cdr: Cdr) => createHash('sha256').update(canonicalJson(cdr)).digest('hex')

export const fromOcpiCdr = (cdr: Cdr): CdrRecord => ({
  countryCode: cdr.country_code.toUpperCase(),
  partyId: cdr.party_id.toUpperCase(),
  cdrId: cdr.id.toUpperCase(),
  contentHash: contentHashOf(cdr),
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
