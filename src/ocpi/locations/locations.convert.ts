// Wire (OCPI Location/EVSE/Connector) <-> the rows we store. Each row keeps its level's object
// without its children; `toOcpi…` reassembles them.
import type { z } from 'zod'
import { readTolerant, type IntakeOptions, type IntakeResult } from '../v221/intake.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import { CapabilitySchema, FacilitySchema, ParkingRestrictionSchema, type Connector, type Evse, type Location } from './locations.schema.js'

export interface LocationKey {
  countryCode: string
  partyId: string
  locationId: string
}

export interface ConnectorRow {
  evseUid: string
  id: string
  powerType: string
  standard: string
  maxPowerW: number
  lastUpdated: Date
  object: Record<string, unknown>
}

export interface EvseRow {
  uid: string
  status: string
  capabilities: string[]
  lastUpdated: Date
  object: Record<string, unknown>
  connectors: ConnectorRow[]
}

export interface LocationRow {
  publish: boolean
  latitude: string
  longitude: string
  lastUpdated: Date
  object: Record<string, unknown>
  evses: EvseRow[] | undefined
}

/** The key as stored: OCPI ids are CiStrings, so we compare and store them upper-cased. */
export const keyOf = (countryCode: string, partyId: string, locationId: string): LocationKey => ({
  countryCode: countryCode.toUpperCase(),
  partyId: partyId.toUpperCase(),
  locationId: locationId.toUpperCase(),
})

/** Schema-validated DateTimes always parse; the fallback only guards hand-built objects. */
export const instantOf = (value: string): Date => parseOcpiDateTime(value) ?? new Date(value)

const PHASES: Record<string, number> = { AC_1_PHASE: 1, AC_2_PHASE: 2, AC_2_PHASE_SPLIT: 2, AC_3_PHASE: 3, DC: 1 }

/**
 * Watts the connector can deliver, for "at least N kW" searches: `max_electric_power` when given,
 * else voltage × amperage × phases (the spec gives line-to-neutral voltage for AC_3_PHASE).
 * Integer watts, not money: plain number arithmetic is exact here.
 */
export const maxPowerW = (c: Pick<Connector, 'max_electric_power' | 'max_voltage' | 'max_amperage' | 'power_type'>) =>
  c.max_electric_power ?? c.max_voltage * c.max_amperage * (PHASES[c.power_type] ?? 1)

const without = (o: Record<string, unknown>, key: string) => {
  const { [key]: _, ...rest } = o
  return rest
}

export const fromOcpiConnector = (evseUid: string, c: Connector): ConnectorRow => ({
  evseUid: evseUid.toUpperCase(),
  id: c.id.toUpperCase(),
  powerType: c.power_type,
  standard: c.standard,
  maxPowerW: maxPowerW(c),
  lastUpdated: instantOf(c.last_updated),
  object: c as Record<string, unknown>,
})

export const fromOcpiEvse = (e: Evse): EvseRow => ({
  uid: e.uid.toUpperCase(),
  status: e.status,
  capabilities: e.capabilities ?? [],
  lastUpdated: instantOf(e.last_updated),
  object: without(e as Record<string, unknown>, 'connectors'),
  connectors: e.connectors.map((c) => fromOcpiConnector(e.uid, c)),
})

/** `evses` undefined means "children not addressed" (a Location PATCH without `evses`). */
export const fromOcpiLocation = (l: Location): LocationRow => ({
  publish: l.publish,
  latitude: l.coordinates.latitude,
  longitude: l.coordinates.longitude,
  lastUpdated: instantOf(l.last_updated),
  object: without(l as Record<string, unknown>, 'evses'),
  evses: l.evses == null ? undefined : l.evses.map(fromOcpiEvse),
})

export const toOcpiEvse = (evse: Record<string, unknown>, connectors: Record<string, unknown>[]) =>
  ({ ...evse, connectors }) as unknown as Evse

/** `lastUpdated`: the newest of the Location's own and its EVSEs' (see `newestLastUpdated`). */
export const toOcpiLocation = (location: Record<string, unknown>, evses: Evse[], lastUpdated: unknown) =>
  ({ ...location, evses, last_updated: lastUpdated }) as unknown as Location

interface Stamped {
  last_updated: Date | string
  object: Record<string, unknown>
}

/**
 * A Location's `last_updated` as served: its row keeps its own, so it is the newest of its row's and
 * its EVSEs' columns (the row's on a tie), in the sender's own text (the `last_updated` of that object).
 */
export const newestLastUpdated = (own: Stamped, children: Stamped[]): unknown => {
  let newest = own
  for (const c of children) if (new Date(c.last_updated).getTime() > new Date(newest.last_updated).getTime()) newest = c
  return newest.object.last_updated
}

/**
 * PATCH semantics (OCPI 2.2.1 "PATCH"): top-level fields replace the stored ones whole, `null`
 * clears an optional field, absent fields stay.
 */
export const mergePatch = (stored: Record<string, unknown>, patch: Record<string, unknown>) => {
  const merged: Record<string, unknown> = { ...stored }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k]
    else if (v !== undefined) merged[k] = v
  }
  return merged
}

/**
 * Tolerant intake of Location, EVSE and Connector bodies (src/ocpi/v221/intake.ts): the format
 * repairs, and unknown values in the informational lists (EVSE `capabilities`, `parking_restrictions`,
 * Location `facilities`) dropped with a warning instead of refusing the whole Location.
 */
export const LOCATION_INTAKE: IntakeOptions = {
  droppableEnums: new Set<z.ZodType>([CapabilitySchema, FacilitySchema, ParkingRestrictionSchema]),
}

/** Reads a Location, EVSE or Connector body (PUT or PATCH) against its wire schema, tolerantly. */
export const readLocationsBody = <S extends z.ZodType>(schema: S, raw: unknown): IntakeResult<z.output<S>> =>
  readTolerant(schema, raw, LOCATION_INTAKE)
