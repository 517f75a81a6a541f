// OCPI 2.2.1 HubClientInfo module wire types (OCPI notes §12).
import { z } from 'zod'
import { CountryCodeSchema, DateTimeSchema, PartyIdSchema, RoleSchema, ocpiEnum } from '../v221/common.schema.js'

export const ConnectionStatusSchema = ocpiEnum(['CONNECTED', 'OFFLINE', 'PLANNED', 'SUSPENDED'])
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>

export const ClientInfoSchema = z.object({
  party_id: PartyIdSchema,
  country_code: CountryCodeSchema,
  role: RoleSchema,
  status: ConnectionStatusSchema,
  last_updated: DateTimeSchema,
})
export type ClientInfo = z.infer<typeof ClientInfoSchema>
