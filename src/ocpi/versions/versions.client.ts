import type { TokenEncoding } from '../v221/auth.js'
import { OcpiClientError, type OcpiClient } from '../v221/client.js'
import { NoMatchingEndpointsError, UnableToUseClientApiError, UnsupportedVersionError } from '../v221/errors.js'
import { isOcpiSuccess } from '../v221/status.js'
import { describeZodError } from '../v221/validation.js'
import { OCPI_VERSION } from './versions.registry.js'
import { VersionDetailsSchema, VersionListSchema } from './versions.schema.js'

export interface DiscoveredVersion {
  encoding: TokenEncoding
  versionsUrl: string
  version: string
  endpoints: { identifier: string; role: 'SENDER' | 'RECEIVER'; url: string }[]
}

/** Modules we cannot work without on the partner's side. */
const REQUIRED = ['credentials']

/**
 * Reads a partner's versions and its 2.2.1 details (OCPI 2.2.1 "Versions module").
 * Tries the 2.2.1 Base64 Authorization first and, on HTTP 401, the raw token older peers expect;
 * the encoding that worked is returned so it can be remembered for the partner.
 * Failures become the OCPI errors the credentials module answers with (3001, 3002, 3003).
 */
export const discoverVersion = async (
  client: OcpiClient,
  versionsUrl: string,
  token: string,
  opts: { correlationId?: string; preferred?: TokenEncoding } = {},
): Promise<DiscoveredVersion> => {
  const order: TokenEncoding[] = opts.preferred === 'raw' ? ['raw', 'base64'] : ['base64', 'raw']
  let lastError: unknown
  for (const encoding of order) {
    try {
      const list = await get(client, versionsUrl, token, encoding, opts.correlationId)
      const versions = VersionListSchema.safeParse(list)
      if (!versions.success) {
        throw new UnableToUseClientApiError(`Versions at ${versionsUrl} are invalid: ${describeZodError(versions.error)}`)
      }
      const chosen = versions.data.find((v) => v.version === OCPI_VERSION)
      if (!chosen) {
        throw new UnsupportedVersionError(
          `No common OCPI version: partner offers ${versions.data.map((v) => v.version).join(', ') || 'none'}, we speak ${OCPI_VERSION}`,
        )
      }
      const raw = await get(client, chosen.url, token, encoding, opts.correlationId)
      const details = VersionDetailsSchema.safeParse(raw)
      if (!details.success) {
        throw new UnableToUseClientApiError(`Version details at ${chosen.url} are invalid: ${describeZodError(details.error)}`)
      }
      const endpoints = details.data.endpoints.map((e) => ({ identifier: e.identifier, role: e.role, url: e.url }))
      const missing = REQUIRED.filter((id) => !endpoints.some((e) => e.identifier === id))
      if (missing.length > 0) throw new NoMatchingEndpointsError(`Partner's ${OCPI_VERSION} endpoints lack: ${missing.join(', ')}`)
      return { encoding, versionsUrl, version: OCPI_VERSION, endpoints }
    } catch (err) {
      lastError = err
      if (!(err instanceof OcpiClientError && err.kind === 'unauthorized')) break
    }
  }
  if (lastError instanceof OcpiClientError) {
    throw new UnableToUseClientApiError(`Could not use the partner's versions at ${versionsUrl}: ${lastError.message}`)
  }
  throw lastError
}

const get = async (client: OcpiClient, url: string, token: string, encoding: TokenEncoding, correlationId?: string) => {
  const reply = await client.call({ method: 'GET', url, target: { token, encoding }, correlationId })
  if (!isOcpiSuccess(reply.envelope.status_code)) {
    throw new UnableToUseClientApiError(
      `GET ${url} answered OCPI ${reply.envelope.status_code} ${reply.envelope.status_message ?? ''}`.trim(),
    )
  }
  return reply.envelope.data
}
