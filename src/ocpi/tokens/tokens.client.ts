import type { OcpiClient, OcpiReply, OcpiTarget, RoutingHeaders } from '../v221/client.js'
import { joinUrl } from '../v221/client.js'

/**
 * Our calls to a CPO's Tokens Receiver (OCPI notes §10.1):
 * `{tokens_url}/{our country}/{our party}/{uid}?type=`; `type` is always sent (it defaults to RFID).
 */
export const tokenReceiverUrl = (tokensUrl: string, owner: { countryCode: string; partyId: string }, uid: string, type: string) =>
  `${joinUrl(tokensUrl, owner.countryCode, owner.partyId, uid)}?type=${encodeURIComponent(type)}`

export const sendTokenChange = (
  client: OcpiClient,
  input: { method: 'PUT' | 'PATCH'; url: string; target: OcpiTarget; body: unknown; routing: RoutingHeaders; correlationId?: string },
): Promise<OcpiReply<unknown>> => client.call(input)
