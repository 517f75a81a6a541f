// Tolerant intake of a CDR, step 2: what the CPO left out, resolved from what we hold (step 1, the
// format repairs, is src/ocpi/v221/intake.ts). Pure: the facts are looked up by the service (at
// receipt) or by rating (again, when a Location or a token has arrived since) and passed in.
// Every resolution is reported as a deviation. See src/ocpi/cdrs/README.md, "Tolerant intake".
import { alpha3FromAlpha2, alpha2FromAlpha3 } from '../../pricing/index.js'
import type { Location } from '../v221/locations.schema.js'
import { PERIOD_INTAKE } from '../sessions/index.js'
import { deviation, readTolerant, type Deviation, type IntakeResult } from '../v221/intake.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import { CdrIntakeSchema, type CdrIntake } from './cdrs.schema.js'

/** What we hold that can complete a CDR. */
export interface HeldFacts {
  /** Our own party: the eMSP a CDR is sent to, whose token it names. */
  receiver: { countryCode: string; partyId: string }
  /** Our token with the CDR's uid (and type), if we hold it. */
  token?: { countryCode: string; partyId: string; contractId: string } | undefined
  /** The CPO's Location named by `cdr_location.id`, as we hold it. */
  location?: Location | undefined
  /** When we received the CDR (its `last_updated` when it has none). */
  receivedAt: Date
}

export interface ResolvedCdr {
  cdr: CdrIntake
  deviations: Deviation[]
}

/** CDR ids may be a few characters over their limit; kept as sent up to this many characters. */
export const CDR_STRINGS_UP_TO = 255

/** Step 1: the format repairs (offsets, numbers as strings, case, coordinates, over-long ids). */
export const readCdrBody = (raw: unknown): IntakeResult<CdrIntake> => readTolerant(CdrIntakeSchema, raw, CDR_INTAKE)

/** CDR ids may be a few characters over their limit; dimensions of unknown types are dropped. */
export const CDR_INTAKE = { ...PERIOD_INTAKE, overLongUpTo: CDR_STRINGS_UP_TO }

const same = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && a.toUpperCase() === b.toUpperCase()

const hoursBetween = (fromIso: string, toIso: string) =>
  (parseOcpiDateTime(toIso)!.getTime() - parseOcpiDateTime(fromIso)!.getTime()) / 3_600_000

const resolveToken = (cdr: CdrIntake, held: HeldFacts, out: Deviation[]): CdrIntake['cdr_token'] => {
  const token = { ...cdr.cdr_token }
  if (token.country_code == null || token.party_id == null) {
    // The token of a CDR sent to us is ours: its party is our token's, which is our own party.
    const party = held.token ?? held.receiver
    token.country_code ??= party.countryCode
    token.party_id ??= party.partyId
    out.push(deviation('token_party_resolved', 'cdr_token', `${token.country_code}/${token.party_id}`))
  }
  if (token.contract_id == null && held.token) {
    token.contract_id = held.token.contractId
    out.push(deviation('token_contract_resolved', 'cdr_token.contract_id', held.token.contractId))
  }
  return token
}

const CONNECTOR_FIELDS = ['evse_uid', 'evse_id', 'connector_id', 'connector_standard', 'connector_format', 'connector_power_type'] as const
const ADDRESS_FIELDS = ['name', 'address', 'city', 'postal_code', 'state', 'coordinates'] as const

/**
 * The EVSE and connector of the stored Location the CDR names. Unambiguous only: named by uid or
 * EVSE id, or the Location's only EVSE; named by connector id, or the EVSE's only connector.
 */
const connectorOf = (at: CdrIntake['cdr_location'], location: Location) => {
  const evses = location.evses ?? []
  const only = at.evse_uid == null && at.evse_id == null && evses.length === 1 ? evses[0] : undefined
  const evse = evses.find((e) => same(e.uid, at.evse_uid)) ?? evses.find((e) => same(e.evse_id, at.evse_id)) ?? only
  if (!evse) return undefined
  const connector =
    evse.connectors.find((c) => same(c.id, at.connector_id)) ??
    (at.connector_id == null && evse.connectors.length === 1 ? evse.connectors[0] : undefined)
  return connector ? { evse, connector } : undefined
}

const resolveCountry = (at: CdrIntake['cdr_location'], location: Location | undefined, out: Deviation[]): string | undefined => {
  const sent = at.country?.trim() ?? ''
  if (/^[A-Za-z]{3}$/.test(sent) && alpha2FromAlpha3(sent)) {
    if (sent !== sent.toUpperCase()) out.push(deviation('country_case', 'cdr_location.country', sent))
    return sent.toUpperCase()
  }
  if (/^[A-Za-z]{2}$/.test(sent) && alpha3FromAlpha2(sent)) {
    out.push(deviation('country_alpha2', 'cdr_location.country', sent))
    return alpha3FromAlpha2(sent)
  }
  if (location?.country) {
    out.push(deviation('country_resolved', 'cdr_location.country', at.country ?? '(none)'))
    return location.country
  }
  if (/^[A-Za-z]{3}$/.test(sent)) return sent // an alpha-3 we do not know: a country "not in the list"
  out.push(deviation('country_unresolved', 'cdr_location.country', at.country ?? '(none)'))
  return undefined
}

const resolveLocation = (cdr: CdrIntake, held: HeldFacts, out: Deviation[]): CdrIntake['cdr_location'] => {
  const at = { ...cdr.cdr_location }
  const stored = held.location
  const found = stored && connectorOf(at, stored)
  const missingConnector = CONNECTOR_FIELDS.filter((f) => at[f] == null)
  if (missingConnector.length > 0 && found) {
    const { evse, connector } = found
    at.evse_uid ??= evse.uid
    at.evse_id ??= evse.evse_id ?? undefined
    at.connector_id ??= connector.id
    at.connector_standard ??= connector.standard
    at.connector_format ??= connector.format
    at.connector_power_type ??= connector.power_type
    out.push(deviation('connector_resolved', 'cdr_location', missingConnector.join(', ')))
  } else if (at.connector_power_type == null) {
    out.push(deviation('connector_unresolved', 'cdr_location.connector_power_type', '(none)'))
  }
  const missingAddress = ADDRESS_FIELDS.filter((f) => at[f] == null && stored?.[f] != null)
  if (stored && missingAddress.length > 0) {
    for (const f of missingAddress) (at as Record<string, unknown>)[f] = stored[f]
    out.push(deviation('location_fields_resolved', 'cdr_location', missingAddress.join(', ')))
  }
  const country = resolveCountry(at, stored, out)
  if (country === undefined) delete at.country
  else at.country = country
  return at
}

/**
 * End before start: swapped when the swap is what the CDR's own `total_time` says (within a
 * minute); otherwise kept, and the plausibility check holds the CDR for an operator.
 */
const resolveTimes = (cdr: CdrIntake, out: Deviation[]): Pick<CdrIntake, 'start_date_time' | 'end_date_time'> => {
  const { start_date_time: start, end_date_time: end } = cdr
  const span = hoursBetween(start, end)
  if (span >= 0 || cdr.total_time == null || Math.abs(-span - cdr.total_time) > 1 / 60)
    return { start_date_time: start, end_date_time: end }
  out.push(deviation('start_end_swapped', 'end_date_time', `${start} → ${end}`))
  return { start_date_time: end, end_date_time: start }
}

const sumOf = (cdr: CdrIntake, type: string): number =>
  (cdr.charging_periods ?? []).reduce((sum, p) => sum + p.dimensions.filter((d) => d.type === type).reduce((s, d) => s + d.volume, 0), 0)

/** A CDR without periods gets one from its totals; a CDR without totals gets them from its periods. */
const resolveVolumes = (cdr: CdrIntake, out: Deviation[]): Pick<CdrIntake, 'charging_periods' | 'total_energy' | 'total_time'> => {
  const periods = cdr.charging_periods ?? []
  let totalEnergy = cdr.total_energy
  let totalTime = cdr.total_time
  if (periods.length > 0 && (totalEnergy == null || totalTime == null)) {
    totalEnergy ??= sumOf(cdr, 'ENERGY')
    totalTime ??= sumOf(cdr, 'TIME') + sumOf(cdr, 'PARKING_TIME')
    out.push(deviation('totals_from_periods', cdr.total_energy == null ? 'total_energy' : 'total_time'))
  }
  if (totalTime == null) {
    totalTime = Math.max(0, Math.round(hoursBetween(cdr.start_date_time, cdr.end_date_time) * 10_000) / 10_000)
    out.push(deviation('totals_from_periods', 'total_time', 'from start and end'))
  }
  if (periods.length > 0 || totalEnergy == null) return { charging_periods: periods, total_energy: totalEnergy, total_time: totalTime }
  const parking = cdr.total_parking_time ?? 0
  const dimensions = [
    { type: 'ENERGY' as const, volume: totalEnergy },
    { type: 'TIME' as const, volume: Math.round((totalTime - parking) * 10_000) / 10_000 },
    ...(parking > 0 ? [{ type: 'PARKING_TIME' as const, volume: parking }] : []),
  ]
  out.push(deviation('periods_from_totals', 'charging_periods', cdr.charging_periods == null ? '(none)' : '[]'))
  return { charging_periods: [{ start_date_time: cdr.start_date_time, dimensions }], total_energy: totalEnergy, total_time: totalTime }
}

const resolveTariffs = (cdr: CdrIntake, lastUpdated: string, out: Deviation[]): CdrIntake['tariffs'] =>
  cdr.tariffs?.map((t, i) => {
    if (t.country_code != null && t.party_id != null && t.last_updated != null) return t
    out.push(
      deviation(
        'tariff_fields_from_cdr',
        `tariffs[${i}]`,
        ['country_code', 'party_id', 'last_updated'].filter((k) => t[k as keyof typeof t] == null).join(', '),
      ),
    )
    return {
      ...t,
      country_code: t.country_code ?? cdr.country_code,
      party_id: t.party_id ?? cdr.party_id,
      last_updated: t.last_updated ?? lastUpdated,
    }
  })

/**
 * Which facts completing this CDR needs, so a conforming CDR costs no look-up: our token when its
 * party or contract is missing, the stored Location when a connector field, the address or a usable
 * country is.
 */
export const factsNeeded = (cdr: CdrIntake): { token: boolean; location: boolean } => {
  const at = cdr.cdr_location
  const country = at.country?.trim() ?? ''
  const usableCountry =
    (/^[A-Za-z]{3}$/.test(country) && alpha2FromAlpha3(country) !== undefined) ||
    (/^[A-Za-z]{2}$/.test(country) && alpha3FromAlpha2(country) !== undefined)
  return {
    token: cdr.cdr_token.country_code == null || cdr.cdr_token.party_id == null || cdr.cdr_token.contract_id == null,
    location:
      CONNECTOR_FIELDS.some((f) => at[f] == null) || at.address == null || at.city == null || at.coordinates == null || !usableCountry,
  }
}

/**
 * Step 2: completes a format-repaired CDR from what we hold. Idempotent (a resolved CDR resolves to
 * itself), so rating can run it again when a Location or token has arrived since the receipt.
 */
export const resolveCdr = (cdr: CdrIntake, held: HeldFacts): ResolvedCdr => {
  const deviations: Deviation[] = []
  const lastUpdated = cdr.last_updated ?? held.receivedAt.toISOString()
  if (cdr.last_updated == null) deviations.push(deviation('last_updated_missing', 'last_updated'))
  if (cdr.auth_method == null) deviations.push(deviation('missing_informational', 'auth_method'))
  const resolved: CdrIntake = {
    ...cdr,
    ...resolveTimes(cdr, deviations),
    cdr_token: resolveToken(cdr, held, deviations),
    cdr_location: resolveLocation(cdr, held, deviations),
    last_updated: lastUpdated,
  }
  Object.assign(resolved, resolveVolumes(resolved, deviations))
  const tariffs = resolveTariffs(resolved, lastUpdated, deviations)
  if (tariffs) resolved.tariffs = tariffs
  return { cdr: resolved, deviations }
}
