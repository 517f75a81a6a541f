import type { FastifyRequest } from 'fastify'
import type { Caller } from '../credentials/index.js'
import type { RoutingHeaders } from './client.js'
import { UnauthorizedError } from './errors.js'

/** How a route may be reached: `handshake` routes (versions, credentials) also accept token A. */
export type OcpiAccess = 'handshake' | 'registered'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated partner; set by the /ocpi auth hook. */
    caller: Caller | null
    /** X-Correlation-ID of the request (generated when missing), echoed and passed on to outbound calls. */
    correlationId: string
    /** The OCPI-from/to routing headers as received. */
    routing: Partial<RoutingHeaders>
  }
  interface FastifyContextConfig {
    ocpiAccess?: OcpiAccess
  }
}

/** The caller of an /ocpi route (the auth hook guarantees one is present). */
export const callerOf = (req: FastifyRequest): Caller => {
  if (!req.caller) throw new UnauthorizedError()
  return req.caller
}

const header = (req: FastifyRequest, name: string) => {
  const value = req.headers[name]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

export const readRouting = (req: FastifyRequest): Partial<RoutingHeaders> => ({
  fromCountryCode: header(req, 'ocpi-from-country-code')?.toUpperCase(),
  fromPartyId: header(req, 'ocpi-from-party-id')?.toUpperCase(),
  toCountryCode: header(req, 'ocpi-to-country-code')?.toUpperCase(),
  toPartyId: header(req, 'ocpi-to-party-id')?.toUpperCase(),
})
