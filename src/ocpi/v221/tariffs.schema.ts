// OCPI 2.2.1 Tariffs module wire types (OCPI notes §7.2-7.3). Tariffs have no PATCH.
import { z } from 'zod'
import { EnergyMixSchema } from './locations.schema.js'
import {
  CountryCodeSchema,
  CurrencySchema,
  DateTimeSchema,
  DisplayTextSchema,
  PartyIdSchema,
  PriceSchema,
  UrlSchema,
  ciString,
  listOf,
  nonEmptyList,
  ocpiEnum,
} from './common.schema.js'

export const TariffDimensionTypeSchema = ocpiEnum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'])
export type TariffDimensionType = z.infer<typeof TariffDimensionTypeSchema>

export const DayOfWeekSchema = ocpiEnum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'])
export type DayOfWeek = z.infer<typeof DayOfWeekSchema>

export const ReservationRestrictionTypeSchema = ocpiEnum(['RESERVATION', 'RESERVATION_EXPIRES'])
export type ReservationRestrictionType = z.infer<typeof ReservationRestrictionTypeSchema>

export const TariffTypeSchema = ocpiEnum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR'])
export type TariffType = z.infer<typeof TariffTypeSchema>

/**
 * `price` is per unit and excl. VAT. `vat` absent means "no VAT applicable", which is not
 * the same as 0 — keep the null/undefined, don't default it. `step_size` 0 occurs in the
 * spec's free-of-charge example, so only negatives are refused.
 */
export const PriceComponentSchema = z.object({
  type: TariffDimensionTypeSchema,
  price: z.number(),
  vat: z.number().nullish(),
  step_size: z.int().min(0),
})
export type PriceComponent = z.infer<typeof PriceComponentSchema>

// Local wall-clock time `HH:MM`; `00:00` as end_time means "until the end of the day".
const TimeOfDaySchema = z.string().regex(/^([0-1][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'must be HH:MM (00:00-23:59)' })
// Local date `YYYY-MM-DD`, the spec's regex, and a real calendar day (pricing counts days).
const LocalDateSchema = z
  .string()
  .regex(/^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, { error: 'must be YYYY-MM-DD', abort: true })
  .refine(
    (text) => {
      const [y, m, d] = text.split('-').map(Number) as [number, number, number]
      return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d
    },
    { error: 'not a real calendar date' },
  )

export const TariffRestrictionsSchema = z.object({
  start_time: TimeOfDaySchema.nullish(),
  end_time: TimeOfDaySchema.nullish(),
  start_date: LocalDateSchema.nullish(),
  end_date: LocalDateSchema.nullish(),
  min_kwh: z.number().nullish(),
  max_kwh: z.number().nullish(),
  min_current: z.number().nullish(),
  max_current: z.number().nullish(),
  min_power: z.number().nullish(),
  max_power: z.number().nullish(),
  min_duration: z.int().nullish(),
  max_duration: z.int().nullish(),
  day_of_week: listOf(DayOfWeekSchema),
  reservation: ReservationRestrictionTypeSchema.nullish(),
})
export type TariffRestrictions = z.infer<typeof TariffRestrictionsSchema>

export const TariffElementSchema = z.object({
  price_components: nonEmptyList(PriceComponentSchema),
  restrictions: TariffRestrictionsSchema.nullish(),
})
export type TariffElement = z.infer<typeof TariffElementSchema>

export const TariffSchema = z.object({
  country_code: CountryCodeSchema,
  party_id: PartyIdSchema,
  id: ciString(36),
  currency: CurrencySchema,
  type: TariffTypeSchema.nullish(),
  tariff_alt_text: listOf(DisplayTextSchema),
  tariff_alt_url: UrlSchema.nullish(),
  min_price: PriceSchema.nullish(),
  max_price: PriceSchema.nullish(),
  elements: nonEmptyList(TariffElementSchema),
  start_date_time: DateTimeSchema.nullish(),
  end_date_time: DateTimeSchema.nullish(),
  energy_mix: EnergyMixSchema.nullish(),
  last_updated: DateTimeSchema,
})
export type Tariff = z.infer<typeof TariffSchema>
