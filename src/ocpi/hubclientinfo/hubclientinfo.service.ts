import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'
import { assertOwnsParty, assertPathMatchesBody, type Partner } from '../credentials/index.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import type { ClientInfo, ConnectionStatus } from './hubclientinfo.schema.js'

export interface PartyPath { country_code: string; party_id: string }
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
 * HubClientInfo Receiver (OCPI 2.2.1 §18.2.2): which parties behind a hub are reachable.
 * Stored per party and role; an older `last_updated` than we hold is ignored.
 */
export const createHubClientInfoService = (deps: { db: Db }) => {
  const { db } = deps
  const rowsOf = (cc: string, pid: string) =>
    execRows<Row>(db, sql`select country_code, party_id, role, status, last_updated from client_infos
      where country_code = ${cc.toUpperCase()} and party_id = ${pid.toUpperCase()} order by last_updated desc, role`)

  return {
    putClientInfo: async (partner: Caller, path: PartyPath, body: ClientInfo): Promise<'created' | 'updated' | 'ignored'> => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      assertPathMatchesBody({ ...path }, body, [['country_code', 'country_code'], ['party_id', 'party_id']])
      const at = parseOcpiDateTime(body.last_updated) ?? new Date(body.last_updated)
      const rows = await execRows<{ inserted: boolean }>(
        db,
        sql`insert into client_infos (country_code, party_id, role, status, partner_id, last_updated)
          values (${path.country_code.toUpperCase()}, ${path.party_id.toUpperCase()}, ${body.role}, ${body.status}, ${partner.id}, ${at.toISOString()}::timestamptz)
          on conflict (country_code, party_id, role) do update set status = excluded.status, partner_id = excluded.partner_id, last_updated = excluded.last_updated
          where client_infos.last_updated <= excluded.last_updated
          returning (xmax = 0) as inserted`,
      )
      if (rows.length === 0) return 'ignored'
      return rows[0]!.inserted ? 'created' : 'updated'
    },
    /** The newest ClientInfo of a party (any role), for the hub's GET. */
    getClientInfo: async (partner: Caller, path: PartyPath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      const [row] = await rowsOf(path.country_code, path.party_id)
      return row ? toOcpiClientInfo(row) : undefined
    },
    /**
     * Whether a party is reachable as a hub last reported it; undefined when no hub told us
     * (a party we connect to directly). With several roles, the most recently reported wins.
     */
    partyStatus: async (countryCode: string, partyId: string): Promise<ConnectionStatus | undefined> => {
      const [row] = await rowsOf(countryCode, partyId)
      return row?.status as ConnectionStatus | undefined
    },
  }
}

export type HubClientInfoService = ReturnType<typeof createHubClientInfoService>
