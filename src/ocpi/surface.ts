import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { Clock } from '../platform/clock.js'
import type { CredentialsService } from './credentials/index.js'
import { failure } from './v221/envelope.js'
import { OcpiError, UnauthorizedError } from './v221/errors.js'
import { readRouting } from './v221/request-context.js'
import { OcpiStatus } from './v221/status.js'

const FUNCTIONAL = /^\/ocpi\/[^/]+\/(locations|sessions|cdrs|tariffs|tokens|commands|chargingprofiles)(\/|$|\?)/

/**
 * The /ocpi surface: authenticates every request by its credentials token, answers every error
 * in the OCPI envelope (never a bare 500 or a framework error page), echoes the routing headers
 * on functional modules, and logs a request id for every failure.
 */
export const registerOcpiSurface = (
  app: FastifyInstance,
  deps: { credentials: Pick<CredentialsService, 'authenticate'>; clock: Clock; party: { countryCode: string; partyId: string } },
) => {
  app.decorateRequest('caller', null)
  app.decorateRequest('routing', null as never)

  app.addHook('onRequest', async (req) => {
    req.routing = readRouting(req)
    const caller = await deps.credentials.authenticate(req.headers.authorization)
    if (!caller) throw new UnauthorizedError()
    const access = req.routeOptions.config.ocpiAccess ?? 'registered'
    const registered = caller.partner.state === 'REGISTERED' && caller.kind !== 'A'
    if (access === 'registered' && !registered) {
      throw new UnauthorizedError('This token may only be used on versions and credentials until registration completes')
    }
    req.caller = caller
  })

  app.addHook('onSend', async (req, reply, payload) => {
    if (FUNCTIONAL.test(req.url) && req.caller) {
      // The answer goes back to the party that asked: swap the routing headers.
      const r = req.routing
      reply.header('ocpi-from-country-code', r.toCountryCode ?? deps.party.countryCode)
      reply.header('ocpi-from-party-id', r.toPartyId ?? deps.party.partyId)
      const to = req.caller.partner.roles[0]
      const toCountry = r.fromCountryCode ?? to?.countryCode
      const toParty = r.fromPartyId ?? to?.partyId
      if (toCountry) reply.header('ocpi-to-country-code', toCountry)
      if (toParty) reply.header('ocpi-to-party-id', toParty)
    }
    return payload
  })

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(failure(OcpiStatus.CLIENT_ERROR, `No OCPI endpoint ${req.method} ${req.url.split('?')[0]}`, deps.clock.now()))
  })

  app.setErrorHandler((err: FastifyError, req, reply) => sendOcpiError(err, req, reply, deps.clock))
}

/** Maps any error to an OCPI envelope. Messages of server errors are logged, never shown. */
export const sendOcpiError = (err: FastifyError, req: FastifyRequest, reply: FastifyReply, clock: Clock) => {
  const now = clock.now()
  if (err instanceof OcpiError) {
    if (err.httpStatus >= 500 || err.ocpiStatus >= 3000) req.log.warn({ err }, 'OCPI request failed')
    return reply.code(err.httpStatus).send(failure(err.ocpiStatus, err.message, now))
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body'
    const message = err.validation
      .slice(0, 10)
      .map((v) => `${where}${pathOf(v.instancePath)}: ${v.message}`)
      .join('; ')
    return reply.code(200).send(failure(OcpiStatus.INVALID_PARAMETERS, message, now))
  }
  const status = err.statusCode ?? 500
  if (status === 413) return reply.code(413).send(failure(OcpiStatus.INVALID_PARAMETERS, 'Request body too large', now))
  if (status === 415) return reply.code(415).send(failure(OcpiStatus.INVALID_PARAMETERS, 'Content-Type must be application/json', now))
  if (status >= 400 && status < 500) {
    const message =
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'Empty JSON body'
        : err instanceof SyntaxError || /JSON/.test(err.message)
          ? 'Body is not valid JSON'
          : err.message
    return reply.code(400).send(failure(OcpiStatus.INVALID_PARAMETERS, message, now))
  }
  req.log.error({ err }, 'unhandled error on the OCPI surface')
  return reply.code(500).send(failure(OcpiStatus.SERVER_ERROR, `Internal error; request id ${req.id}`, now))
}

/** `/evses/0/connectors/1/standard` → `.evses[0].connectors[1].standard` */
const pathOf = (instancePath: string) =>
  instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
