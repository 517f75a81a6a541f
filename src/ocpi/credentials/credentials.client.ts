import type { OcpiClient, OcpiTarget } from '../v221/client.js'
import { UnableToUseClientApiError } from '../v221/errors.js'
import { isOcpiSuccess } from '../v221/status.js'
import { fromOcpiCredentials, type OcpiCredentials, type PartnerCredentials } from './credentials.convert.js'

/** Calls on the partner's credentials endpoint (we are the client of the handshake). */
const send = async (client: OcpiClient, method: 'POST' | 'PUT' | 'DELETE', url: string, target: OcpiTarget, body?: OcpiCredentials) => {
  const reply = await client.call({ method, url, target, body })
  if (reply.httpStatus === 405 && method === 'DELETE') return reply
  if (!isOcpiSuccess(reply.envelope.status_code)) {
    throw new UnableToUseClientApiError(
      `${method} ${url} answered HTTP ${reply.httpStatus}, OCPI ${reply.envelope.status_code} ${reply.envelope.status_message ?? ''}`.trim(),
    )
  }
  return reply
}

const credentialsFrom = (data: unknown, url: string): PartnerCredentials => {
  try {
    return fromOcpiCredentials(data)
  } catch (err) {
    throw new UnableToUseClientApiError(`${url} answered unusable credentials: ${(err as Error).message}`)
  }
}

export const postCredentials = async (client: OcpiClient, url: string, target: OcpiTarget, ours: OcpiCredentials) =>
  credentialsFrom((await send(client, 'POST', url, target, ours)).envelope.data, url)

export const putCredentials = async (client: OcpiClient, url: string, target: OcpiTarget, ours: OcpiCredentials) =>
  credentialsFrom((await send(client, 'PUT', url, target, ours)).envelope.data, url)

/** A 405 answer means the partner no longer has us registered, which is the outcome we want. */
export const deleteCredentials = async (client: OcpiClient, url: string, target: OcpiTarget) => {
  await send(client, 'DELETE', url, target)
}
