// OCPI 2.2.1 Locations module wire types (OCPI notes §4.3-4.6), plus the PATCH bodies the
// Receiver interface accepts at each level (Location, EVSE, Connector).
import { z } from 'zod'
import {
  BusinessDetailsSchema,
  CountryCodeSchema,
  DateTimeSchema,
  DisplayTextSchema,
  GeoLocationSchema,
  ImageSchema,
  PartyIdSchema,
  UrlSchema,
  ciString,
  listOf,
  nonEmptyList,
  ocpiEnum,
  string,
} from './common.schema.js'
import { TokenTypeSchema } from './tokens.schema.js'

// --- Enums ---------------------------------------------------------------------------------

export const CapabilitySchema = ocpiEnum([
  'CHARGING_PROFILE_CAPABLE',
  'CHARGING_PREFERENCES_CAPABLE',
  'CHIP_CARD_SUPPORT',
  'CONTACTLESS_CARD_SUPPORT',
  'CREDIT_CARD_PAYABLE',
  'DEBIT_CARD_PAYABLE',
  'PED_TERMINAL',
  'REMOTE_START_STOP_CAPABLE',
  'RESERVABLE',
  'RFID_READER',
  'START_SESSION_CONNECTOR_REQUIRED',
  'TOKEN_GROUP_CAPABLE',
  'UNLOCK_CAPABLE',
])
export type Capability = z.infer<typeof CapabilitySchema>

// Values are case-sensitive, including the lower-case `single` in IEC_60309_2_single_16.
export const ConnectorTypeSchema = ocpiEnum([
  'CHADEMO',
  'CHAOJI',
  'DOMESTIC_A',
  'DOMESTIC_B',
  'DOMESTIC_C',
  'DOMESTIC_D',
  'DOMESTIC_E',
  'DOMESTIC_F',
  'DOMESTIC_G',
  'DOMESTIC_H',
  'DOMESTIC_I',
  'DOMESTIC_J',
  'DOMESTIC_K',
  'DOMESTIC_L',
  'DOMESTIC_M',
  'DOMESTIC_N',
  'DOMESTIC_O',
  'GBT_AC',
  'GBT_DC',
  'IEC_60309_2_single_16',
  'IEC_60309_2_three_16',
  'IEC_60309_2_three_32',
  'IEC_60309_2_three_64',
  'IEC_62196_T1',
  'IEC_62196_T1_COMBO',
  'IEC_62196_T2',
  'IEC_62196_T2_COMBO',
  'IEC_62196_T3A',
  'IEC_62196_T3C',
  'NEMA_5_20',
  'NEMA_6_30',
  'NEMA_6_50',
  'NEMA_10_30',
  'NEMA_10_50',
  'NEMA_14_30',
  'NEMA_14_50',
  'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN',
  'TESLA_R',
  'TESLA_S',
])
export type ConnectorType = z.infer<typeof ConnectorTypeSchema>

export const ConnectorFormatSchema = ocpiEnum(['SOCKET', 'CABLE'])
export type ConnectorFormat = z.infer<typeof ConnectorFormatSchema>

export const PowerTypeSchema = ocpiEnum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC'])
export type PowerType = z.infer<typeof PowerTypeSchema>

/** EVSE status. */
export const StatusSchema = ocpiEnum([
  'AVAILABLE',
  'BLOCKED',
  'CHARGING',
  'INOPERATIVE',
  'OUTOFORDER',
  'PLANNED',
  'REMOVED',
  'RESERVED',
  'UNKNOWN',
])
export type Status = z.infer<typeof StatusSchema>

export const ParkingTypeSchema = ocpiEnum([
  'ALONG_MOTORWAY',
  'PARKING_GARAGE',
  'PARKING_LOT',
  'ON_DRIVEWAY',
  'ON_STREET',
  'UNDERGROUND_GARAGE',
])
export type ParkingType = z.infer<typeof ParkingTypeSchema>

export const ParkingRestrictionSchema = ocpiEnum(['EV_ONLY', 'PLUGGED', 'DISABLED', 'CUSTOMERS', 'MOTORCYCLES'])
export type ParkingRestriction = z.infer<typeof ParkingRestrictionSchema>

export const FacilitySchema = ocpiEnum([
  'HOTEL',
  'RESTAURANT',
  'CAFE',
  'MALL',
  'SUPERMARKET',
  'SPORT',
  'RECREATION_AREA',
  'NATURE',
  'MUSEUM',
  'BIKE_SHARING',
  'BUS_STOP',
  'TAXI_STAND',
  'TRAM_STOP',
  'METRO_STATION',
  'TRAIN_STATION',
  'AIRPORT',
  'PARKING_LOT',
  'CARPOOL_PARKING',
  'FUEL_STATION',
  'WIFI',
])
export type Facility = z.infer<typeof FacilitySchema>

export const EnergySourceCategorySchema = ocpiEnum(['NUCLEAR', 'GENERAL_FOSSIL', 'COAL', 'GAS', 'GENERAL_GREEN', 'SOLAR', 'WIND', 'WATER'])
export type EnergySourceCategory = z.infer<typeof EnergySourceCategorySchema>

export const EnvironmentalImpactCategorySchema = ocpiEnum(['NUCLEAR_WASTE', 'CARBON_DIOXIDE'])
export type EnvironmentalImpactCategory = z.infer<typeof EnvironmentalImpactCategorySchema>

// --- Sub-objects ---------------------------------------------------------------------------

export const AdditionalGeoLocationSchema = GeoLocationSchema.extend({
  name: DisplayTextSchema.nullish(),
})
export type AdditionalGeoLocation = z.infer<typeof AdditionalGeoLocationSchema>

/**
 * Who may see an unpublished Location. The spec's rules are enforced here because an entry
 * without identifying fields would match every driver and leak a private charger.
 */
export const PublishTokenTypeSchema = z
  .object({
    uid: ciString(36).nullish(),
    type: TokenTypeSchema.nullish(),
    visual_number: string(64).nullish(),
    issuer: string(64).nullish(),
    group_id: ciString(36).nullish(),
  })
  .refine((p) => p.uid != null || p.visual_number != null || p.group_id != null, {
    error: 'needs at least one of uid, visual_number, group_id',
  })
  .refine((p) => p.uid == null || p.type != null, { error: 'required when uid is set', path: ['type'] })
  .refine((p) => p.visual_number == null || p.issuer != null, {
    error: 'required when visual_number is set',
    path: ['issuer'],
  })
export type PublishTokenType = z.infer<typeof PublishTokenTypeSchema>

// `HH:MM` local time; the same field names hold UTC DateTimes in ExceptionalPeriod.
const LocalTimeSchema = z.string().regex(/^([0-1][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'must be HH:MM (00:00-23:59)' })

export const RegularHoursSchema = z.object({
  weekday: z.int().min(1).max(7),
  period_begin: LocalTimeSchema,
  period_end: LocalTimeSchema,
})
export type RegularHours = z.infer<typeof RegularHoursSchema>

export const ExceptionalPeriodSchema = z.object({
  period_begin: DateTimeSchema,
  period_end: DateTimeSchema,
})
export type ExceptionalPeriod = z.infer<typeof ExceptionalPeriodSchema>

export const HoursSchema = z.object({
  twentyfourseven: z.boolean(),
  regular_hours: listOf(RegularHoursSchema),
  exceptional_openings: listOf(ExceptionalPeriodSchema),
  exceptional_closings: listOf(ExceptionalPeriodSchema),
})
export type Hours = z.infer<typeof HoursSchema>

export const EnergySourceSchema = z.object({
  source: EnergySourceCategorySchema,
  percentage: z.number().min(0).max(100),
})
export type EnergySource = z.infer<typeof EnergySourceSchema>

export const EnvironmentalImpactSchema = z.object({
  category: EnvironmentalImpactCategorySchema,
  amount: z.number(),
})
export type EnvironmentalImpact = z.infer<typeof EnvironmentalImpactSchema>

export const EnergyMixSchema = z.object({
  is_green_energy: z.boolean(),
  energy_sources: listOf(EnergySourceSchema),
  environ_impact: listOf(EnvironmentalImpactSchema),
  supplier_name: string(64).nullish(),
  energy_product_name: string(64).nullish(),
})
export type EnergyMix = z.infer<typeof EnergyMixSchema>

export const StatusScheduleSchema = z.object({
  period_begin: DateTimeSchema,
  period_end: DateTimeSchema.nullish(),
  status: StatusSchema,
})
export type StatusSchedule = z.infer<typeof StatusScheduleSchema>

// --- Connector, EVSE, Location -------------------------------------------------------------

export const ConnectorSchema = z.object({
  id: ciString(36),
  standard: ConnectorTypeSchema,
  format: ConnectorFormatSchema,
  power_type: PowerTypeSchema,
  max_voltage: z.int(),
  max_amperage: z.int(),
  max_electric_power: z.int().nullish(),
  tariff_ids: listOf(ciString(36)),
  terms_and_conditions: UrlSchema.nullish(),
  last_updated: DateTimeSchema,
})
export type Connector = z.infer<typeof ConnectorSchema>

export const EvseSchema = z.object({
  uid: ciString(36),
  evse_id: ciString(48).nullish(),
  status: StatusSchema,
  status_schedule: listOf(StatusScheduleSchema),
  capabilities: listOf(CapabilitySchema),
  connectors: nonEmptyList(ConnectorSchema),
  floor_level: string(4).nullish(),
  coordinates: GeoLocationSchema.nullish(),
  physical_reference: string(16).nullish(),
  directions: listOf(DisplayTextSchema),
  parking_restrictions: listOf(ParkingRestrictionSchema),
  images: listOf(ImageSchema),
  last_updated: DateTimeSchema,
})
export type Evse = z.infer<typeof EvseSchema>

// Pricing evaluates tariff restrictions in the Location's zone, so an unknown zone name is
// refused here rather than discovered later. Results are memoised (a few hundred names).
const knownZones = new Map<string, boolean>()
function isIanaTimeZone(name: string): boolean {
  let known = knownZones.get(name)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name })
      known = true
    } catch {
      known = false
    }
    knownZones.set(name, known)
  }
  return known
}

export const TimeZoneSchema = string(255).refine(isIanaTimeZone, { error: 'not an IANA time zone' })

export const LocationSchema = z.object({
  country_code: CountryCodeSchema,
  party_id: PartyIdSchema,
  id: ciString(36),
  publish: z.boolean(),
  publish_allowed_to: listOf(PublishTokenTypeSchema),
  name: string(255).nullish(),
  address: string(255), // erratum: was printed as 45
  city: string(45),
  postal_code: string(10).nullish(),
  state: string(45).nullish(), // erratum: was printed as 20
  country: string(3),
  coordinates: GeoLocationSchema,
  related_locations: listOf(AdditionalGeoLocationSchema),
  parking_type: ParkingTypeSchema.nullish(),
  evses: listOf(EvseSchema),
  directions: listOf(DisplayTextSchema),
  operator: BusinessDetailsSchema.nullish(),
  suboperator: BusinessDetailsSchema.nullish(),
  owner: BusinessDetailsSchema.nullish(),
  facilities: listOf(FacilitySchema),
  time_zone: TimeZoneSchema,
  opening_times: HoursSchema.nullish(),
  charging_when_closed: z.boolean().nullish(),
  images: listOf(ImageSchema),
  energy_mix: EnergyMixSchema.nullish(),
  last_updated: DateTimeSchema,
})
export type Location = z.infer<typeof LocationSchema>

// --- PATCH bodies --------------------------------------------------------------------------
// Every field becomes optional except `last_updated`. Required fields may be left out but not
// nulled; optional fields may be sent as null to clear them. Nested objects stay whole.

export const LocationPatchSchema = LocationSchema.partial().extend({ last_updated: DateTimeSchema })
export type LocationPatch = z.infer<typeof LocationPatchSchema>

export const EvsePatchSchema = EvseSchema.partial().extend({ last_updated: DateTimeSchema })
export type EvsePatch = z.infer<typeof EvsePatchSchema>

export const ConnectorPatchSchema = ConnectorSchema.partial().extend({ last_updated: DateTimeSchema })
export type ConnectorPatch = z.infer<typeof ConnectorPatchSchema>
