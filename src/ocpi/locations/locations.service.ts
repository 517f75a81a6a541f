import type { FastifyBaseLogger } from 'fastify'
import type { z } from 'zod'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import { assertOwnsParty, assertPathMatchesBody, type Partner } from '../credentials/index.js'
import { InvalidParametersError, UnknownLocationError } from '../v221/errors.js'
import { describeZodError } from '../v221/validation.js'
import {
  fromOcpiConnector,
  fromOcpiEvse,
  fromOcpiLocation,
  instantOf,
  keyOf,
  mergePatch,
  newestLastUpdated,
  toOcpiEvse,
  toOcpiLocation,
  type LocationKey,
  type LocationRow,
} from './locations.convert.js'
import * as q from './locations.queries.js'
import * as repo from './locations.repository.js'
import {
  ConnectorSchema,
  EvseSchema,
  LocationSchema,
  type Connector,
  type ConnectorPatch,
  type Evse,
  type EvsePatch,
  type Location,
  type LocationPatch,
} from './locations.schema.js'

export type WriteOutcome = repo.WriteOutcome
export interface LocationPath {
  country_code: string
  party_id: string
  location_id: string
}
export interface EvsePath extends LocationPath {
  evse_uid: string
}
export interface ConnectorPath extends EvsePath {
  connector_id: string
}
type Caller = Pick<Partner, 'id' | 'roles'>

const parseMerged = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new InvalidParametersError(`${what} after applying the PATCH is invalid: ${describeZodError(parsed.error)}`)
  return parsed.data
}

/**
 * The Locations Receiver (OCPI 2.2.1 §8.2.2): stores what CPOs push or we pull, at Location,
 * EVSE and Connector level. The ordering rule (see README): a write older than what we hold is
 * acknowledged and ignored; a child write moves its parents' `last_updated` forward (a connector's
 * is written into its EVSE; a Location serves the newest of its own and its EVSEs').
 */
export const createLocationsService = (deps: { db: Db; clock: Clock; log: FastifyBaseLogger }) => {
  const { db } = deps

  // One statement either way: a PUT (children listed) replaces the tree, a PATCH without `evses` only the row.
  const writeLocation = (partnerId: string, key: LocationKey, row: LocationRow) =>
    row.evses === undefined
      ? repo.upsertLocation(db, key, partnerId, row)
      : repo.upsertLocationTree(db, key, partnerId, { ...row, evses: row.evses })

  const checkLocationWrite = (partner: Caller, path: LocationPath, body: Record<string, unknown>) => {
    assertOwnsParty(partner, path.country_code, path.party_id)
    assertPathMatchesBody({ ...path }, body, [
      ['country_code', 'country_code'],
      ['party_id', 'party_id'],
      ['location_id', 'id'],
    ])
  }

  const requireLocation = async (key: LocationKey) => {
    const row = await q.findLocationRow(db, key)
    if (!row)
      throw new UnknownLocationError(`Unknown location ${key.countryCode}/${key.partyId}/${key.locationId}: push the whole Location first`)
    return row
  }

  const writeEvse = (key: LocationKey, evse: Evse) =>
    db.transaction(async (tx) => {
      const row = fromOcpiEvse(evse)
      const outcome = await repo.upsertEvseGuarded(tx, key, row)
      if (outcome === 'ignored') return outcome
      await repo.upsertConnectors(tx, key, row.connectors)
      await repo.retireMissingConnectors(
        tx,
        key,
        [row.uid],
        row.connectors.map((c) => ({ evse_uid: c.evseUid, id: c.id })),
      )
      return outcome
    })

  const writeConnector = (key: LocationKey, evseUid: string, connector: Connector) =>
    db.transaction(async (tx) => {
      const row = fromOcpiConnector(evseUid, connector)
      const outcome = await repo.upsertConnectorGuarded(tx, key, row)
      if (outcome === 'ignored') return outcome
      await repo.bumpEvse(tx, key, row.evseUid, row.lastUpdated, connector.last_updated)
      return outcome
    })

  const loadEvse = async (key: LocationKey, uid: string): Promise<Evse | undefined> => {
    const [evse] = await q.findEvseRows(db, key, uid)
    if (!evse) return undefined
    const connectors = await q.findConnectorRows(db, key, uid)
    return toOcpiEvse(
      evse.object,
      connectors.map((c) => c.object),
    )
  }

  /** A Location as served: its stored object with its EVSEs (in order) and their present connectors. */
  const assembleLocation = (
    row: { object: Record<string, unknown>; last_updated: Date | string },
    evses: { uid: string; object: Record<string, unknown>; last_updated: Date | string }[],
    connectors: { evse_uid: string; object: Record<string, unknown> }[],
  ): Location => {
    const byEvse = new Map<string, Record<string, unknown>[]>()
    for (const c of connectors) {
      const list = byEvse.get(c.evse_uid)
      if (list) list.push(c.object)
      else byEvse.set(c.evse_uid, [c.object])
    }
    const served = evses.map((e) => toOcpiEvse(e.object, byEvse.get(e.uid) ?? []))
    return toOcpiLocation(row.object, served, newestLastUpdated(row, evses))
  }

  const loadLocation = async (key: LocationKey): Promise<Location | undefined> => {
    const row = await q.findLocationRow(db, key)
    if (!row) return undefined
    const [evses, connectors] = await Promise.all([q.findEvseRows(db, key), q.findConnectorRows(db, key)])
    return assembleLocation(row, evses, connectors)
  }

  /** Several Locations in three statements, answered in the order asked (undefined where unknown). */
  const loadLocations = async (keys: LocationKey[]): Promise<(Location | undefined)[]> => {
    const trees = await q.findLocationTrees(db, keys)
    const id = (cc: string, pid: string, loc: string) => `${cc}/${pid}/${loc}`
    const group = <T extends { country_code: string; party_id: string; location_id: string }>(rows: T[]) => {
      const by = new Map<string, T[]>()
      for (const r of rows) {
        const k = id(r.country_code, r.party_id, r.location_id)
        const list = by.get(k)
        if (list) list.push(r)
        else by.set(k, [r])
      }
      return by
    }
    const evses = group(trees.evses)
    const connectors = group(trees.connectors)
    const rows = new Map(trees.locations.map((r) => [id(r.country_code, r.party_id, r.id), r]))
    return keys.map((k) => {
      const key = id(k.countryCode, k.partyId, k.locationId)
      const row = rows.get(key)
      return row ? assembleLocation(row, evses.get(key) ?? [], connectors.get(key) ?? []) : undefined
    })
  }

  return {
    /** PUT Location: create or replace, EVSEs and connectors included. */
    putLocation: async (partner: Caller, path: LocationPath, body: Location): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, body)
      return writeLocation(partner.id, keyOf(path.country_code, path.party_id, path.location_id), fromOcpiLocation(body))
    },
    /** PUT EVSE under a known Location (404/2003 otherwise, so the CPO pushes the Location). */
    putEvse: async (partner: Caller, path: EvsePath, body: Evse): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, {})
      assertPathMatchesBody({ ...path }, body, [['evse_uid', 'uid']])
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      await requireLocation(key)
      return writeEvse(key, body)
    },
    putConnector: async (partner: Caller, path: ConnectorPath, body: Connector): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, {})
      assertPathMatchesBody({ ...path }, body, [['connector_id', 'id']])
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      const uid = path.evse_uid.toUpperCase()
      if ((await q.findEvseRows(db, key, uid)).length === 0)
        throw new UnknownLocationError(`Unknown EVSE ${path.evse_uid} at location ${path.location_id}`, 'evse')
      return writeConnector(key, uid, body)
    },
    patchLocation: async (partner: Caller, path: LocationPath, patch: LocationPatch): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, patch)
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      const stored = await requireLocation(key)
      const merged = parseMerged(LocationSchema, mergePatch(stored.object, patch), 'The Location')
      return writeLocation(partner.id, key, fromOcpiLocation(merged))
    },
    /** The hottest write: a status PATCH is one SQL statement; a PATCH carrying connectors is merged and replaced. */
    patchEvse: async (partner: Caller, path: EvsePath, patch: EvsePatch): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, {})
      assertPathMatchesBody({ ...path }, patch, [['evse_uid', 'uid']])
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      const uid = path.evse_uid.toUpperCase()
      if (patch.connectors === undefined) {
        const at = instantOf(patch.last_updated)
        const caps = patch.capabilities === null ? [] : (patch.capabilities ?? undefined)
        if (await repo.patchEvseFields(db, key, uid, patch, at, patch.status, caps)) return 'updated'
        if ((await q.findEvseRows(db, key, uid)).length === 0)
          throw new UnknownLocationError(`Unknown EVSE ${path.evse_uid} at location ${path.location_id}`, 'evse')
        return 'ignored'
      }
      const stored = await loadEvse(key, uid)
      if (!stored) throw new UnknownLocationError(`Unknown EVSE ${path.evse_uid} at location ${path.location_id}`, 'evse')
      return writeEvse(key, parseMerged(EvseSchema, mergePatch(stored as Record<string, unknown>, patch), 'The EVSE'))
    },
    patchConnector: async (partner: Caller, path: ConnectorPath, patch: ConnectorPatch): Promise<WriteOutcome> => {
      checkLocationWrite(partner, path, {})
      assertPathMatchesBody({ ...path }, patch, [['connector_id', 'id']])
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      const uid = path.evse_uid.toUpperCase()
      const [stored] = await q.findConnectorRows(db, key, uid, path.connector_id.toUpperCase())
      if (!stored) throw new UnknownLocationError(`Unknown connector ${path.connector_id} of EVSE ${path.evse_uid}`, 'connector')
      return writeConnector(key, uid, parseMerged(ConnectorSchema, mergePatch(stored.object, patch), 'The Connector'))
    },
    getLocation: async (partner: Caller, path: LocationPath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      return loadLocation(keyOf(path.country_code, path.party_id, path.location_id))
    },
    /** A Location of any CPO, without a party check: for the product's own reads (rating), never for a partner. */
    findLocation: (path: LocationPath) => loadLocation(keyOf(path.country_code, path.party_id, path.location_id)),
    /** Several Locations as `findLocation` reads them, in three statements; answered in the order asked. */
    findLocations: (paths: LocationPath[]) => loadLocations(paths.map((p) => keyOf(p.country_code, p.party_id, p.location_id))),
    getEvse: async (partner: Caller, path: EvsePath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      return loadEvse(keyOf(path.country_code, path.party_id, path.location_id), path.evse_uid.toUpperCase())
    },
    getConnector: async (partner: Caller, path: ConnectorPath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      const key = keyOf(path.country_code, path.party_id, path.location_id)
      const [row] = await q.findConnectorRows(db, key, path.evse_uid.toUpperCase(), path.connector_id.toUpperCase())
      return row?.object as Connector | undefined
    },
    /** A Location pulled from the partner's Sender interface, stored as if pushed (same party and ordering rules). */
    storePulled: async (partner: Caller, location: Location): Promise<WriteOutcome> => {
      const path = { country_code: location.country_code, party_id: location.party_id, location_id: location.id }
      checkLocationWrite(partner, path, location)
      return writeLocation(partner.id, keyOf(path.country_code, path.party_id, path.location_id), fromOcpiLocation(location))
    },
    /** After a complete full pull: locations of this partner that were not listed are retired (EVSEs REMOVED). */
    markVanished: async (partnerId: string, seen: Set<string>) => {
      const missing = (await q.activeLocationKeys(db, partnerId)).filter((k) => !seen.has(k))
      return repo.retireLocations(db, partnerId, missing, deps.clock.now())
    },
    keyOfPulled: (l: Location) => {
      const k = keyOf(l.country_code, l.party_id, l.id)
      return `${k.countryCode}/${k.partyId}/${k.locationId}`
    },
    search: (query: q.LocationSearch) => q.searchLocations(db, query),
  }
}

export type LocationsService = ReturnType<typeof createLocationsService>
