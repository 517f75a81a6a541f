// OCPI 2.2.1 CDRs module wire types (digest 6.3). CDRs are immutable: no PATCH schema.
import { z } from 'zod'
import { ConnectorFormatSchema, ConnectorTypeSchema, PowerTypeSchema } from '../locations/locations.schema.js'
import { AuthMethodSchema, CdrTokenSchema, ChargingPeriodSchema } from '../sessions/sessions.schema.js'
import { TariffSchema } from '../tariffs/tariffs.schema.js'
import {
  CountryCodeSchema, CurrencySchema, DateTimeSchema, GeoLocationSchema, PartyIdSchema, PriceSchema,
  ciString, listOf, nonEmptyList, string,
} from '../v221/common.schema.js'

/**
 * The Location as it was at session start. The spec still prints `address` string(45) and
 * `state` string(20) here, but the Location erratum raised them to 255/45; a CDR copied from
 * a valid Location must not be refused, so the Location limits apply.
 * For a reservation-only CDR, `evse_uid`/`evse_id`/`connector_id` may be `#NA`.
 */
export const CdrLocationSchema = z.object({
  id: ciString(36),
  name: string(255).nullish(),
  address: string(255),
  city: string(45),
  postal_code: string(10).nullish(),
  state: string(45).nullish(),
  country: string(3),
  coordinates: GeoLocationSchema,
  evse_uid: ciString(36),
  evse_id: ciString(48),
  connector_id: ciString(36),
  connector_standard: ConnectorTypeSchema,
  connector_format: ConnectorFormatSchema,
  connector_power_type: PowerTypeSchema,
})
export type CdrLocation = z.infer<typeof CdrLocationSchema>

/** `plain_data` is string(5000) per the erratum (was printed as 512). */
export const SignedValueSchema = z.object({
  nature: ciString(32),
  plain_data: string(5000),
  signed_data: string(5000),
})
export type SignedValue = z.infer<typeof SignedValueSchema>

export const SignedDataSchema = z.object({
  encoding_method: ciString(36),
  encoding_method_version: z.int().nullish(),
  public_key: string(512).nullish(),
  signed_values: nonEmptyList(SignedValueSchema),
  url: string(512).nullish(),
})
export type SignedData = z.infer<typeof SignedDataSchema>

/**
 * A CDR. `id` is CiString(39) so a credit CDR can use the original id plus a suffix.
 * A credit CDR (`credit: true`) must name the CDR it corrects: without
 * `credit_reference_id` it cannot be booked, so it is refused here.
 */
export const CdrSchema = z
  .object({
    country_code: CountryCodeSchema,
    party_id: PartyIdSchema,
    id: ciString(39),
    start_date_time: DateTimeSchema,
    end_date_time: DateTimeSchema,
    session_id: ciString(36).nullish(),
    cdr_token: CdrTokenSchema,
    auth_method: AuthMethodSchema,
    authorization_reference: ciString(36).nullish(),
    cdr_location: CdrLocationSchema,
    meter_id: string(255).nullish(),
    currency: CurrencySchema,
    tariffs: listOf(TariffSchema),
    charging_periods: nonEmptyList(ChargingPeriodSchema),
    signed_data: SignedDataSchema.nullish(),
    total_cost: PriceSchema,
    total_fixed_cost: PriceSchema.nullish(),
    total_energy: z.number(),
    total_energy_cost: PriceSchema.nullish(),
    total_time: z.number(),
    total_time_cost: PriceSchema.nullish(),
    total_parking_time: z.number().nullish(),
    total_parking_cost: PriceSchema.nullish(),
    total_reservation_cost: PriceSchema.nullish(),
    remark: string(255).nullish(),
    invoice_reference_id: ciString(39).nullish(),
    credit: z.boolean().nullish(),
    credit_reference_id: ciString(39).nullish(),
    home_charging_compensation: z.boolean().nullish(),
    last_updated: DateTimeSchema,
  })
  .refine((cdr) => cdr.credit !== true || cdr.credit_reference_id != null, {
    error: 'required when credit is true',
    path: ['credit_reference_id'],
  })
export type Cdr = z.infer<typeof CdrSchema>
