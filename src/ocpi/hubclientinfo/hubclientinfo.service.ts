import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'
import {
  assertOwnsParty,
  assertPathMatchesBody,
  isHub,
  type CredentialsService,
  type Partner,
  type PartyRef,
} from '../credentials/index.js'
import { ForbiddenPartyError } from '../v221/errors.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import type { ClientInfo, ConnectionStatus } from './hubclientinfo.schema.js'

export interface PartyPath {
  country_code: string
  party_id: string
}
type Caller = Pick<Partner, 'id' | 'roles'>
type Row = { country_code: string; party_id: string; role: string; status: string; last_updated: Date | string }

const toOcpiClientInfo = (r: Row): ClientInfo => ({
  party_id: r.party_id,
  country_code: r.country_code,
  role: r.role as ClientInfo['role'],
  status: r.status as ConnectionStatus,
  last_updated: new Date(r.last_updated).toISOString(),
})

/**
 * HubClientInfo Receiver (OCPI 2.2.1 §18.2.2): which parties behind a hub are reachable. Stored per
 * hub, party and role; an older `last_updated` than we hold is ignored. What a hub announces here is
 * also what it may act for (README "Roles"), so a hub may not announce a party another partner
 * registered directly, and one hub's report never changes another's.
 */
export const createHubClientInfoService = (deps: {
  db: Db
  partners: Pick<CredentialsService, 'partyHeldByOther'>
  /** Called after a ClientInfo was stored (what the hub may act for may have changed). */
  onChanged?: () => void
}) => {
  const { db } = deps
  const rowsOf = (partnerId: string, cc: string, pid: string) =>
    execRows<Row>(
      db,
      sql`select country_code, party_id, role, status, last_updated from client_infos
      where partner_id = ${partnerId} and country_code = ${cc.toUpperCase()} and party_id = ${pid.toUpperCase()} order by last_updated desc, role`,
    )

  /** A hub reports any party nobody registered directly; anyone else only its own parties. */
  const assertMayReport = async (partner: Caller, path: PartyPath) => {
    if (!isHub(partner)) return assertOwnsParty(partner, path.country_code, path.party_id)
    if (await deps.partners.partyHeldByOther(partner.id, path.country_code, path.party_id)) {
      throw new ForbiddenPartyError(
        `Party ${path.country_code}/${path.party_id} is connected to us directly by another partner; a hub cannot report it`,
      )
    }
  }

  return {
    putClientInfo: async (partner: Caller, path: PartyPath, body: ClientInfo): Promise<'created' | 'updated' | 'ignored'> => {
      await assertMayReport(partner, path)
      assertPathMatchesBody({ ...path }, body, [
        ['country_code', 'country_code'],
        ['party_id', 'party_id'],
      ])
      const at = parseOcpiDateTime(body.last_updated) ?? new Date(body.last_updated)
      const rows = await execRows<{ inserted: boolean }>(
        db,
        sql`insert into client_infos (country_code, party_id, role, status, partner_id, last_updated)
          values (${path.country_code.toUpperCase()}, ${path.party_id.toUpperCase()}, ${body.role}, ${body.status}, ${partner.id}, ${at.toISOString()}::timestamptz)
          on conflict (partner_id, country_code, party_id, role) do update set status = excluded.status, last_updated = excluded.last_updated
          where client_infos.last_updated <= excluded.last_updated
          returning (xmax = 0) as inserted`,
      )
      if (rows.length === 0) return 'ignored'
      deps.onChanged?.()
      return rows[0]!.inserted ? 'created' : 'updated'
    },
    /** The newest ClientInfo of a party (any role) as this partner reported it, for the hub's GET. */
    getClientInfo: async (partner: Caller, path: PartyPath) => {
      if (!isHub(partner)) assertOwnsParty(partner, path.country_code, path.party_id)
      const [row] = await rowsOf(partner.id, path.country_code, path.party_id)
      return row ? toOcpiClientInfo(row) : undefined
    },
    /**
     * Whether a party is reachable through this partner connection as it last reported it; undefined
     * when it never reported the party (a party we connect to directly). With several roles, the most
     * recently reported wins.
     */
    partyStatus: async (partnerId: string, countryCode: string, partyId: string): Promise<ConnectionStatus | undefined> => {
      const [row] = await rowsOf(partnerId, countryCode, partyId)
      return row?.status as ConnectionStatus | undefined
    },
    /** The parties this hub announced (any status: a SUSPENDED party may still settle its CDRs). */
    partiesOf: async (partnerId: string): Promise<PartyRef[]> =>
      (
        await execRows<{ country_code: string; party_id: string }>(
          db,
          sql`select distinct country_code, party_id from client_infos where partner_id = ${partnerId} order by 1, 2`,
        )
      ).map((r) => ({ countryCode: r.country_code, partyId: r.party_id })),
  }
}

export type HubClientInfoService = ReturnType<typeof createHubClientInfoService>
