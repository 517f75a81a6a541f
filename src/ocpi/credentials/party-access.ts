import { ForbiddenPartyError, InvalidParametersError } from '../v221/errors.js'
import type { Partner } from './partners.repository.js'

/**
 * May this partner act for party `countryCode`/`partyId`? (OCPI 2.2.1: a client pushes objects only
 * under the parties of its CredentialsRoles.) A hub (role HUB) carries many parties behind one
 * connection, announced through HubClientInfo, so it may act for any party it does not
 * contradict: `isKnownHubParty` lets the hubclientinfo module narrow that when it knows the hub's parties.
 */
export const ownsParty = (partner: Pick<Partner, 'roles'>, countryCode: string, partyId: string): boolean => {
  const cc = countryCode.toUpperCase()
  const pid = partyId.toUpperCase()
  return partner.roles.some((r) => r.role === 'HUB' || (r.countryCode === cc && r.partyId === pid))
}

/** Refuses (404 + 2001) a write under a party that is not the caller's. */
export const assertOwnsParty = (partner: Pick<Partner, 'roles'>, countryCode: string, partyId: string) => {
  if (!ownsParty(partner, countryCode, partyId)) {
    const own = partner.roles.map((r) => `${r.countryCode}/${r.partyId}`).join(', ')
    throw new ForbiddenPartyError(`Party ${countryCode}/${partyId} is not one of your credentials roles (${own || 'none'})`)
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
