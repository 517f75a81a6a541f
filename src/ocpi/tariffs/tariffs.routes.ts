import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import { ciString, CountryCodeSchema, PartyIdSchema } from '../v221/common.schema.js'
import { answerWrite, EmptyEnvelope, envelopeOf, ok, okEmpty } from '../v221/envelope.js'
import { UnknownObjectError } from '../v221/errors.js'
import { callerOf } from '../v221/request-context.js'
import { TariffSchema } from './tariffs.schema.js'
import type { TariffsService } from './tariffs.service.js'

const tags = ['ocpi: tariffs']
const TariffParams = z.object({ country_code: CountryCodeSchema, party_id: PartyIdSchema, tariff_id: ciString(36) })
const ack = { 200: EmptyEnvelope, 201: EmptyEnvelope, '4xx': EmptyEnvelope }

/** The Tariffs Receiver interface (OCPI 2.2.1 §11.2.2): GET, PUT, DELETE; no PATCH. */
export const tariffsRoutes = (app: FastifyInstance, deps: { tariffs: TariffsService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { tariffs, clock } = deps
  const path = '/2.2.1/tariffs/:country_code/:party_id/:tariff_id'
  r.get(
    path,
    {
      schema: {
        tags,
        summary: 'The current version of a Tariff',
        params: TariffParams,
        response: { 200: envelopeOf(TariffSchema.loose()), '4xx': EmptyEnvelope },
      },
    },
    async (req) => {
      const tariff = await tariffs.getTariff(callerOf(req).partner, req.params)
      if (!tariff) throw new UnknownObjectError('tariff', `Unknown tariff ${req.params.tariff_id}`)
      return ok(tariff, clock.now())
    },
  )
  r.put(
    path,
    {
      schema: {
        tags,
        summary: 'Create or replace a Tariff (kept as a new version)',
        params: TariffParams,
        body: TariffSchema,
        response: ack,
      },
    },
    async (req, reply) => answerWrite(reply, await tariffs.putTariff(callerOf(req).partner, req.params, req.body), clock.now()),
  )
  r.delete(path, { schema: { tags, summary: 'The Tariff is no longer used', params: TariffParams, response: ack } }, async (req) => {
    await tariffs.deleteTariff(callerOf(req).partner, req.params)
    return okEmpty(clock.now())
  })
}
