// OCPI 2.2.1 Credentials module wire types (OCPI notes §3.1).
import { z } from 'zod'
import { BusinessDetailsSchema, CountryCodeSchema, PartyIdSchema, RoleSchema, UrlSchema, nonEmptyList } from '../v221/common.schema.js'

export const CredentialsRoleSchema = z.object({
  role: RoleSchema,
  business_details: BusinessDetailsSchema,
  party_id: PartyIdSchema,
  country_code: CountryCodeSchema,
})
export type CredentialsRole = z.infer<typeof CredentialsRoleSchema>

/**
 * The credentials token as exchanged (not Base64): string(64) of printable, non-whitespace
 * ASCII (U+0021..U+007E), because it travels inside an HTTP header.
 */
export const CredentialsTokenSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7E]*$/, { error: 'must be printable ASCII without spaces' })

export const CredentialsSchema = z.object({
  token: CredentialsTokenSchema,
  url: UrlSchema,
  roles: nonEmptyList(CredentialsRoleSchema),
})
export type Credentials = z.infer<typeof CredentialsSchema>
