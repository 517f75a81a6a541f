// OCPI 2.2.1 CDRs module wire types (OCPI notes §6.3). CDRs are immutable: no PATCH schema.
import { z } from 'zod'
import { ConnectorFormatSchema, ConnectorTypeSchema, PowerTypeSchema } from '../v221/locations.schema.js'
import { AuthMethodSchema, CdrTokenSchema, ChargingPeriodSchema } from '../v221/sessions.schema.js'
import { TariffSchema } from '../v221/tariffs.schema.js'
import {
  CountryCodeSchema,
  CurrencySchema,
  DateTimeSchema,
  GeoLocationSchema,
  PartyIdSchema,
  PriceSchema,
  ciString,
  listOf,
  nonEmptyList,
  string,
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

const CdrFields = {
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
}

/** A credit CDR (`credit: true`) must name the CDR it corrects: without it, it cannot be booked. */
const creditNamesItsOriginal: [
  (cdr: { credit?: boolean | null; credit_reference_id?: string | null }) => boolean,
  { error: string; path: string[] },
] = [
  (cdr) => cdr.credit !== true || cdr.credit_reference_id != null,
  { error: 'required when credit is true', path: ['credit_reference_id'] },
]

/**
 * A CDR as the spec prints it (what we serve and document). `id` is CiString(39) so a credit CDR
 * can use the original id plus a suffix.
 */
export const CdrSchema = z.object(CdrFields).refine(...creditNamesItsOriginal)
export type Cdr = z.infer<typeof CdrSchema>

/**
 * What the CDRs Receiver accepts (src/ocpi/cdrs/README.md, "Tolerant intake"): the spec's CDR with
 * the fields we can resolve from what we hold made optional (the token's party and contract from
 * our token, the connector and address fields from the stored Location, the periods from the
 * totals and the totals from the periods, `last_updated` from the receipt) and the informational
 * ones we do not need (`auth_method`). Refused, as unreadable without guessing: no id, no token
 * uid/type, no start or end that is a real instant, no currency, no total_cost, no location id.
 * Format deviations (offsets, numbers as strings, case, coordinates) are repaired by the tolerant
 * reader (src/ocpi/v221/intake.ts) before this schema judges.
 */
export const CdrIntakeObject = z.object({
  ...CdrFields,
  cdr_token: CdrTokenSchema.extend({
    country_code: CountryCodeSchema.nullish(),
    party_id: PartyIdSchema.nullish(),
    contract_id: ciString(36).nullish(),
  }),
  auth_method: AuthMethodSchema.nullish(),
  cdr_location: CdrLocationSchema.partial().extend({ id: ciString(36), country: string(3).nullish() }),
  tariffs: listOf(TariffSchema.partial({ country_code: true, party_id: true, last_updated: true })),
  charging_periods: listOf(ChargingPeriodSchema),
  total_energy: z.number().nullish(),
  total_time: z.number().nullish(),
  last_updated: DateTimeSchema.nullish(),
})
export const CdrIntakeSchema = CdrIntakeObject.refine(...creditNamesItsOriginal).meta({ id: 'CdrAsAccepted' })
export type CdrIntake = z.infer<typeof CdrIntakeSchema>
