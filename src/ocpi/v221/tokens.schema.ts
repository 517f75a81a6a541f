// OCPI 2.2.1 Tokens module wire types (OCPI notes §10). We are the Sender: these shapes are
// what we push to CPOs, serve on GET, and answer real-time authorization with.
import { z } from 'zod'
import {
  CountryCodeSchema,
  DateTimeSchema,
  DisplayTextSchema,
  LanguageSchema,
  PartyIdSchema,
  ciString,
  listOf,
  ocpiEnum,
  string,
} from './common.schema.js'

// TokenType and ProfileType belong to the Tokens module in the spec; Locations
// (PublishTokenType), Sessions and CDRs (CdrToken, ChargingPreferences) import them from here.
export const TokenTypeSchema = ocpiEnum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'])
export type TokenType = z.infer<typeof TokenTypeSchema>

export const ProfileTypeSchema = ocpiEnum(['CHEAP', 'FAST', 'GREEN', 'REGULAR'])
export type ProfileType = z.infer<typeof ProfileTypeSchema>

export const WhitelistTypeSchema = ocpiEnum(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'])
export type WhitelistType = z.infer<typeof WhitelistTypeSchema>

export const AllowedTypeSchema = ocpiEnum(['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED'])
export type AllowedType = z.infer<typeof AllowedTypeSchema>

export const EnergyContractSchema = z.object({
  supplier_name: string(64),
  contract_id: string(64).nullish(),
})
export type EnergyContract = z.infer<typeof EnergyContractSchema>

export const TokenSchema = z.object({
  country_code: CountryCodeSchema,
  party_id: PartyIdSchema,
  uid: ciString(36),
  type: TokenTypeSchema,
  contract_id: ciString(36),
  visual_number: string(64).nullish(),
  issuer: string(64),
  group_id: ciString(36).nullish(),
  valid: z.boolean(),
  whitelist: WhitelistTypeSchema,
  language: LanguageSchema.nullish(),
  default_profile_type: ProfileTypeSchema.nullish(),
  energy_contract: EnergyContractSchema.nullish(),
  last_updated: DateTimeSchema,
})
export type Token = z.infer<typeof TokenSchema>

/** PATCH body (e.g. `{ valid: false, last_updated }`): all optional but `last_updated`. */
export const TokenPatchSchema = TokenSchema.partial().extend({ last_updated: DateTimeSchema })
export type TokenPatch = z.infer<typeof TokenPatchSchema>

/** Optional body of `POST {tokens_url}/{token_uid}/authorize`. */
export const LocationReferencesSchema = z.object({
  location_id: ciString(36),
  evse_uids: listOf(ciString(36)),
})
export type LocationReferences = z.infer<typeof LocationReferencesSchema>

/** `data` of our real-time authorization answer. */
export const AuthorizationInfoSchema = z.object({
  allowed: AllowedTypeSchema,
  token: TokenSchema,
  location: LocationReferencesSchema.nullish(),
  authorization_reference: ciString(36).nullish(),
  info: DisplayTextSchema.nullish(),
})
export type AuthorizationInfo = z.infer<typeof AuthorizationInfoSchema>
