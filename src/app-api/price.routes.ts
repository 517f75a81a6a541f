import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { EvseQuote, RatingService } from '../rating/index.js'
import { customerIdOf } from './surface.js'

const tags = ['app: prices']
const Amount = z.string().describe('decimal string')

export const EvsePriceView = z
  .object({
    contract_id: z.string(),
    catalog_version: z.string(),
    as_of: z.string(),
    connectors: z.array(
      z.object({
        connector_id: z.string(),
        power_type: z.string(),
        max_power_w: z.number().nullable(),
        rule: z.string(),
        basis: z.enum(['FIXED_PRICE', 'OPERATOR_TARIFF']),
        currency: z.string().nullable(),
        fixed: z
          .object({
            per_kwh: Amount.nullable(),
            per_minute: z.array(z.object({ from_minute: z.number().int(), price: Amount })),
            session_fee: Amount.nullable(),
            blocking_fee: z
              .object({
                after_minutes: z.number().int(),
                per_minute: Amount,
                window: z.object({ from: z.string(), to: z.string() }).nullable(),
              })
              .nullable(),
          })
          .nullable(),
        operator_tariff: z
          .object({
            tariff_id: z.string(),
            currency: z.string(),
            components: z.array(
              z.object({ type: z.string(), price_excl_vat: Amount, vat: Amount.nullable(), price_incl_vat: Amount, your_price: Amount }),
            ),
          })
          .nullable(),
        text: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'EvsePrice' })
export type EvsePriceJson = z.infer<typeof EvsePriceView>

const Params = z.object({
  country_code: z.string().regex(/^[A-Za-z]{2}$/),
  party_id: z.string().regex(/^[A-Za-z0-9]{3}$/),
  location_id: z.string().min(1).max(36),
  evse_uid: z.string().min(1).max(36),
})

// Unit prices keep up to 4 decimals (OCPI's precision), at least 2.
const amount = (d: { toDecimalPlaces(n: number): { toFixed(n: number): string; decimalPlaces(): number } }) => {
  const r = d.toDecimalPlaces(4)
  return r.toFixed(Math.max(2, r.decimalPlaces()))
}

const toEvsePriceView = (q: EvseQuote): EvsePriceJson => ({
  contract_id: q.contractId,
  catalog_version: q.catalogVersion,
  as_of: q.asOf.toISOString(),
  connectors: q.connectors.map((c) => ({
    connector_id: c.connectorId,
    power_type: c.powerType,
    max_power_w: c.maxPowerW,
    rule: c.rule,
    basis: c.basis,
    currency: c.currency,
    fixed: c.fixed && {
      per_kwh: c.fixed.perKwh && amount(c.fixed.perKwh),
      per_minute: c.fixed.perMinute.map((t) => ({ from_minute: t.fromMinute, price: amount(t.price) })),
      session_fee: c.fixed.sessionFee && amount(c.fixed.sessionFee),
      blocking_fee: c.fixed.blocking && {
        after_minutes: c.fixed.blocking.afterMinutes,
        per_minute: amount(c.fixed.blocking.perMinute),
        window: c.fixed.blocking.window,
      },
    },
    operator_tariff: c.operatorTariff && {
      tariff_id: c.operatorTariff.tariffId,
      currency: c.operatorTariff.currency,
      components: c.operatorTariff.components.map((p) => ({
        type: p.type,
        price_excl_vat: amount(p.priceExclVat),
        vat: p.vat && p.vat.toString(),
        price_incl_vat: amount(p.priceInclVat),
        your_price: amount(p.yourPrice),
      })),
    },
    text: c.text,
  })),
})

/** Price before charging: what the signed-in customer pays at an EVSE under their own contract. */
export const priceRoutes = (app: FastifyInstance, deps: { rating: Pick<RatingService, 'quoteEvse'> }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/locations/:country_code/:party_id/:location_id/evses/:evse_uid/price',
    {
      schema: {
        tags,
        summary: 'What you will pay at this EVSE, per connector, in words and numbers',
        params: Params,
        response: { 200: EvsePriceView },
      },
    },
    async (req) => {
      const p = req.params
      const quote = await deps.rating.quoteEvse({
        customerId: customerIdOf(req),
        countryCode: p.country_code.toUpperCase(),
        partyId: p.party_id.toUpperCase(),
        locationId: p.location_id,
        evseUid: p.evse_uid,
      })
      return toEvsePriceView(quote)
    },
  )
}
