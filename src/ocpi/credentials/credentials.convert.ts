import type { Config } from '../../config.js'
import { InvalidParametersError } from '../v221/errors.js'
import { describeZodError } from '../v221/validation.js'
import { CredentialsSchema } from './credentials.schema.js'
import type { PartnerRole } from './partners.repository.js'

/** A partner's credentials as we keep them: its token for calling it, its versions URL and roles. */
export interface PartnerCredentials {
  token: string
  url: string
  roles: PartnerRole[]
}

/** Parses a Credentials object from a partner; a bad one is a 2001 naming the field. */
export const fromOcpiCredentials = (body: unknown): PartnerCredentials => {
  const parsed = CredentialsSchema.safeParse(body)
  if (!parsed.success) throw new InvalidParametersError(`Invalid credentials: ${describeZodError(parsed.error)}`)
  return {
    token: parsed.data.token,
    url: parsed.data.url,
    roles: parsed.data.roles.map((r) => ({
      role: r.role,
      // CiString: parties are compared case-insensitively, so they are kept upper-case.
      countryCode: r.country_code.toUpperCase(),
      partyId: r.party_id.toUpperCase(),
      businessDetails: r.business_details as Record<string, unknown>,
    })),
  }
}

/** Our own Credentials object, carrying the token the partner is to use on us. */
export const toOcpiCredentials = (token: string, versionsUrl: string, party: Config['party']) => ({
  token,
  url: versionsUrl,
  roles: [
    {
      role: 'EMSP' as const,
      country_code: party.countryCode,
      party_id: party.partyId,
      business_details: { name: party.name, ...(party.website ? { website: party.website } : {}) },
    },
  ],
})

export type OcpiCredentials = ReturnType<typeof toOcpiCredentials>
