import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { ciString, CountryCodeSchema, PartyIdSchema } from '../v221/common.schema.js'
import { answerWrite, EmptyEnvelope, envelopeOf, ok } from '../v221/envelope.js'
import { UnknownLocationError } from '../v221/errors.js'
import { callerOf } from '../v221/request-context.js'
import {
  ConnectorPatchSchema,
  ConnectorSchema,
  EvsePatchSchema,
  EvseSchema,
  LocationPatchSchema,
  LocationSchema,
} from './locations.schema.js'
import type { LocationsService } from './locations.service.js'

const tags = ['ocpi: locations']
const LocationParams = z.object({ country_code: CountryCodeSchema, party_id: PartyIdSchema, location_id: ciString(36) })
const EvseParams = LocationParams.extend({ evse_uid: ciString(36) })
const ConnectorParams = EvseParams.extend({ connector_id: ciString(36) })
export type LocationParams = z.infer<typeof LocationParams>

const ack = { 200: EmptyEnvelope, 201: EmptyEnvelope, '4xx': EmptyEnvelope }

const found = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new UnknownLocationError(`Unknown ${what}`)
  return value
}

/** The Locations Receiver interface (OCPI 2.2.1 §8.2.2) at Location, EVSE and Connector level. */
export const locationsRoutes = (app: FastifyInstance, deps: { locations: LocationsService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { locations, clock } = deps
  const base = '/2.2.1/locations/:country_code/:party_id/:location_id'

  r.get(
    base,
    {
      schema: {
        tags,
        summary: 'A Location as we hold it',
        params: LocationParams,
        response: { 200: envelopeOf(LocationSchema.loose()), '4xx': EmptyEnvelope },
      },
    },
    async (req) => ok(found(await locations.getLocation(callerOf(req).partner, req.params), 'location'), clock.now()),
  )
  r.put(
    base,
    { schema: { tags, summary: 'Create or replace a Location', params: LocationParams, body: LocationSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.putLocation(callerOf(req).partner, req.params, req.body), clock.now()),
  )
  r.patch(
    base,
    { schema: { tags, summary: 'Update fields of a Location', params: LocationParams, body: LocationPatchSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.patchLocation(callerOf(req).partner, req.params, req.body), clock.now()),
  )

  const evse = `${base}/:evse_uid`
  r.get(
    evse,
    {
      schema: {
        tags,
        summary: 'An EVSE as we hold it',
        params: EvseParams,
        response: { 200: envelopeOf(EvseSchema.loose()), '4xx': EmptyEnvelope },
      },
    },
    async (req) => ok(found(await locations.getEvse(callerOf(req).partner, req.params), 'EVSE'), clock.now()),
  )
  r.put(
    evse,
    { schema: { tags, summary: 'Create or replace an EVSE', params: EvseParams, body: EvseSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.putEvse(callerOf(req).partner, req.params, req.body), clock.now()),
  )
  r.patch(
    evse,
    { schema: { tags, summary: 'Update fields of an EVSE (status)', params: EvseParams, body: EvsePatchSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.patchEvse(callerOf(req).partner, req.params, req.body), clock.now()),
  )

  const connector = `${evse}/:connector_id`
  r.get(
    connector,
    {
      schema: {
        tags,
        summary: 'A Connector as we hold it',
        params: ConnectorParams,
        response: { 200: envelopeOf(ConnectorSchema.loose()), '4xx': EmptyEnvelope },
      },
    },
    async (req) => ok(found(await locations.getConnector(callerOf(req).partner, req.params), 'connector'), clock.now()),
  )
  r.put(
    connector,
    { schema: { tags, summary: 'Create or replace a Connector', params: ConnectorParams, body: ConnectorSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.putConnector(callerOf(req).partner, req.params, req.body), clock.now()),
  )
  r.patch(
    connector,
    { schema: { tags, summary: 'Update fields of a Connector', params: ConnectorParams, body: ConnectorPatchSchema, response: ack } },
    async (req, reply) => answerWrite(reply, await locations.patchConnector(callerOf(req).partner, req.params, req.body), clock.now()),
  )
}
