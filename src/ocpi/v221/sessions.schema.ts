// OCPI 2.2.1 Sessions module wire types (OCPI notes §5.3), plus the classes CDRs share with
// Sessions (CdrToken, ChargingPeriod, CdrDimension, AuthMethod) and the charging
// preferences body we send to a CPO.
import { z } from 'zod'
import {
  CountryCodeSchema,
  CurrencySchema,
  DateTimeSchema,
  PartyIdSchema,
  PriceSchema,
  ciString,
  listOf,
  nonEmptyList,
  ocpiEnum,
  string,
} from './common.schema.js'
import { ProfileTypeSchema, TokenTypeSchema } from './tokens.schema.js'

export const AuthMethodSchema = ocpiEnum(['AUTH_REQUEST', 'COMMAND', 'WHITELIST'])
export type AuthMethod = z.infer<typeof AuthMethodSchema>

// The spec marks CURRENT, ENERGY_EXPORT, ENERGY_IMPORT, POWER and STATE_OF_CHARGE as
// "Session only". CDRs carrying them are still accepted (see README, Wire schemas).
export const CdrDimensionTypeSchema = ocpiEnum([
  'CURRENT',
  'ENERGY',
  'ENERGY_EXPORT',
  'ENERGY_IMPORT',
  'MAX_CURRENT',
  'MIN_CURRENT',
  'MAX_POWER',
  'MIN_POWER',
  'PARKING_TIME',
  'POWER',
  'RESERVATION_TIME',
  'STATE_OF_CHARGE',
  'TIME',
])
export type CdrDimensionType = z.infer<typeof CdrDimensionTypeSchema>

export const SessionStatusSchema = ocpiEnum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION'])
export type SessionStatus = z.infer<typeof SessionStatusSchema>

/** The token as the CPO saw it. `country_code`/`party_id` are mandatory since 2.2.1. */
export const CdrTokenSchema = z.object({
  country_code: CountryCodeSchema,
  party_id: PartyIdSchema,
  uid: ciString(36),
  type: TokenTypeSchema,
  contract_id: ciString(36),
})
export type CdrToken = z.infer<typeof CdrTokenSchema>

/** `volume` may be negative (ENERGY as net export), so it has no sign check. */
export const CdrDimensionSchema = z.object({
  type: CdrDimensionTypeSchema,
  volume: z.number(),
})
export type CdrDimension = z.infer<typeof CdrDimensionSchema>

export const ChargingPeriodSchema = z.object({
  start_date_time: DateTimeSchema,
  dimensions: nonEmptyList(CdrDimensionSchema),
  tariff_id: ciString(36).nullish(),
})
export type ChargingPeriod = z.infer<typeof ChargingPeriodSchema>

/** `evse_uid`/`connector_id` may be `#NA` for a reservation without an assigned EVSE. */
export const SessionSchema = z.object({
  country_code: CountryCodeSchema,
  party_id: PartyIdSchema,
  id: ciString(36),
  start_date_time: DateTimeSchema,
  end_date_time: DateTimeSchema.nullish(),
  kwh: z.number(),
  cdr_token: CdrTokenSchema,
  auth_method: AuthMethodSchema,
  authorization_reference: ciString(36).nullish(),
  location_id: ciString(36),
  evse_uid: ciString(36),
  connector_id: ciString(36),
  meter_id: string(255).nullish(),
  currency: CurrencySchema,
  charging_periods: listOf(ChargingPeriodSchema),
  total_cost: PriceSchema.nullish(), // absent is "unknown", not "free"
  status: SessionStatusSchema,
  last_updated: DateTimeSchema,
})
export type Session = z.infer<typeof SessionSchema>

/**
 * PATCH body: everything optional except `last_updated`. `charging_periods` in a PATCH are
 * appended by the service, not replaced; that rule lives there, not here.
 */
export const SessionPatchSchema = SessionSchema.partial().extend({ last_updated: DateTimeSchema })
export type SessionPatch = z.infer<typeof SessionPatchSchema>

/** Body of `PUT {cpo_sessions_url}/{session_id}/charging_preferences` (we are the client). */
export const ChargingPreferencesSchema = z.object({
  profile_type: ProfileTypeSchema,
  departure_time: DateTimeSchema.nullish(),
  energy_need: z.number().nullish(),
  discharge_allowed: z.boolean().nullish(),
})
export type ChargingPreferences = z.infer<typeof ChargingPreferencesSchema>

/** `data` of the CPO's answer to the charging preferences PUT. */
export const ChargingPreferencesResponseSchema = ocpiEnum([
  'ACCEPTED',
  'DEPARTURE_REQUIRED',
  'ENERGY_NEED_REQUIRED',
  'NOT_POSSIBLE',
  'PROFILE_TYPE_NOT_SUPPORTED',
])
export type ChargingPreferencesResponse = z.infer<typeof ChargingPreferencesResponseSchema>
