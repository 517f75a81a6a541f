import { ForbiddenPartyError, InvalidParametersError } from '../v221/errors.js'
import type { Partner } from './partners.repository.js'

/** A party: country code and party id, upper-cased (CiStrings). */
export interface PartyRef {
  countryCode: string
  partyId: string
}

/** What a party check reads of a partner: its granted roles and, for a hub, the parties it may relay. */
export type PartyHolder = Pick<Partner, 'roles'> & { hubParties?: readonly PartyRef[] }

export const isHub = (partner: Pick<Partner, 'roles'>) => partner.roles.some((r) => r.role === 'HUB')

/**
 * May this partner act for party `countryCode`/`partyId`? (OCPI 2.2.1: a client pushes objects only
 * under the parties of its CredentialsRoles.) Its granted roles count (the operator approved them,
 * see README "Roles"); a hub (granted role HUB) also acts for the parties it announced through
 * HubClientInfo, except a party another partner registered directly (`hubParties`, computed by the
 * credentials service). Nothing else: a HUB role alone is no licence for every party.
 */
export const ownsParty = (partner: PartyHolder, countryCode: string, partyId: string): boolean => {
  const cc = countryCode.toUpperCase()
  const pid = partyId.toUpperCase()
  if (partner.roles.some((r) => r.countryCode === cc && r.partyId === pid)) return true
  return isHub(partner) && (partner.hubParties ?? []).some((p) => p.countryCode === cc && p.partyId === pid)
}

/** Refuses (404 + 2001) a write under a party that is not the caller's. */
export const assertOwnsParty = (partner: PartyHolder, countryCode: string, partyId: string) => {
  if (!ownsParty(partner, countryCode, partyId)) {
    const own = [...partner.roles, ...(isHub(partner) ? (partner.hubParties ?? []) : [])].map((r) => `${r.countryCode}/${r.partyId}`)
    throw new ForbiddenPartyError(`Party ${countryCode}/${partyId} is not one of your parties (${[...new Set(own)].join(', ') || 'none'})`)
  }
}

/**
 * The URL's country_code/party_id/id must equal the body's (OCPI 2.2.1 "Client Owned Object Push");
 * compared case-insensitively because they are CiStrings. Fields absent from a PATCH body are not compared.
 */
export const assertPathMatchesBody = (
  path: Record<string, string>,
  body: Record<string, unknown>,
  fields: [pathName: string, bodyName: string][],
) => {
  for (const [pathName, bodyName] of fields) {
    const inBody = body[bodyName]
    if (inBody === undefined || inBody === null) continue
    if (String(inBody).toUpperCase() !== String(path[pathName]).toUpperCase()) {
      throw new InvalidParametersError(`${bodyName} in the body (${String(inBody)}) differs from the URL (${path[pathName]})`)
    }
  }
}

/**
 * The party our requests on this connection are addressed to (OCPI-to-*) when no object names one
 * (list pulls, token pushes): the hub itself when the partner is a hub (a GET all or a broadcast
 * through a hub is addressed to the hub), else its CPO party, else its first role. Undefined for a
 * partner holding no role (the headers are then left out: open routing).
 */
export const addressedParty = (partner: Pick<Partner, 'roles'>): { countryCode: string; partyId: string } | undefined => {
  const role = partner.roles.find((r) => r.role === 'HUB') ?? partner.roles.find((r) => r.role === 'CPO') ?? partner.roles[0]
  return role ? { countryCode: role.countryCode, partyId: role.partyId } : undefined
}
