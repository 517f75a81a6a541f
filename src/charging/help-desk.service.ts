import type { CustomersService } from '../customers/index.js'
import { DomainError, notFound } from '../platform/errors.js'
import type { AppLocationQueries } from './map.queries.js'
import { toOcpiToken, type TokensService } from '../ocpi/tokens/index.js'
import type { CommandsService } from '../ocpi/commands/index.js'

interface Place {
  countryCode?: string
  partyId?: string
  locationId: string
}

const single = <T>(rows: T[], what: string): T => {
  if (rows.length === 0) throw notFound('location_not_found', `No ${what}`)
  if (rows.length > 1)
    throw new DomainError('ambiguous_location', `Several operators use this location id: give country_code and party_id (${what})`, 409)
  return rows[0]!
}

/**
 * The commands only the help desk sends (admin API): RESERVE_NOW, CANCEL_RESERVATION and
 * UNLOCK_CONNECTOR (never exposed to drivers, OCPI notes §11.2). Capabilities are checked by the CPO.
 */
export const createHelpDeskService = (deps: {
  customers: Pick<CustomersService, 'getContract'>
  tokens: Pick<TokensService, 'authorize' | 'owner'>
  locations: Pick<AppLocationQueries, 'findEvse' | 'findLocation'>
  commands: Pick<CommandsService, 'routeTo' | 'reserveNow' | 'cancelReservation' | 'unlockConnector'>
}) => ({
  reserveNow: async (i: Place & { evseUid?: string; contractId: string; reservationId: string; expiryDate: string }) => {
    // Ids leave as the CPO sent them (the look-up is case-insensitive).
    const evse = i.evseUid
      ? single(await deps.locations.findEvse({ ...i, evseUid: i.evseUid }), `EVSE ${i.evseUid} at location ${i.locationId}`)
      : undefined
    const where = evse ?? single(await deps.locations.findLocation(i), `location ${i.locationId}`)
    const { contract, tokens } = await deps.customers.getContract(i.contractId)
    const token = tokens.find((t) => t.type === 'APP_USER' && t.valid)
    if (!token) throw new DomainError('app_token_invalid', `Contract ${contract.contractId} has no valid APP_USER token`, 409)
    const route = await deps.commands.routeTo(where.partner_id, where.country_code, where.party_id)
    const verdict = await deps.tokens.authorize({
      partnerId: route.partner.id,
      uid: token.uid,
      type: 'APP_USER',
      location: { location_id: where.location_id, ...(evse ? { evse_uids: [evse.uid] } : {}) },
    })
    if (verdict.allowed !== 'ALLOWED' || !verdict.reference)
      throw new DomainError('contract_not_active', verdict.info ?? `Token not allowed: ${verdict.allowed}`, 409)
    return deps.commands.reserveNow({
      route,
      contractId: contract.contractId,
      customerId: contract.customerId,
      token: toOcpiToken(verdict.token, deps.tokens.owner),
      locationId: where.location_id,
      evseUid: evse?.uid ?? null,
      reservationId: i.reservationId,
      expiryDate: i.expiryDate,
      authorizationReference: verdict.reference,
    })
  },
  cancelReservation: (i: { reservationId: string }) => deps.commands.cancelReservation(i),
  unlockConnector: async (i: Place & { evseUid: string; connectorId: string }) => {
    const evse = single(await deps.locations.findEvse(i), `EVSE ${i.evseUid} at location ${i.locationId}`)
    const connectorId = (evse.connector_ids ?? []).find((c) => c.toUpperCase() === i.connectorId.toUpperCase())
    if (connectorId === undefined) throw notFound('connector_not_found', `EVSE ${evse.uid} has no connector ${i.connectorId}`)
    const route = await deps.commands.routeTo(evse.partner_id, evse.country_code, evse.party_id)
    return deps.commands.unlockConnector({ route, locationId: evse.location_id, evseUid: evse.uid, connectorId })
  },
})

export type HelpDeskService = ReturnType<typeof createHelpDeskService>
