// Every OCPI 2.2.1 spec example (test/fixtures/ocpi, byte copies of shared/ocpi-examples)
// against the schema it is an instance of. Valid examples must parse and come out unchanged
// (so no field is silently dropped by a misspelt key); the examples INDEX.md marks invalid
// must be refused with a message naming the offending fields.
import t from 'tap'
import { z } from 'zod'
import { CdrSchema } from '../../../src/ocpi/cdrs/cdrs.schema.js'
import { CredentialsSchema } from '../../../src/ocpi/credentials/credentials.schema.js'
import { ClientInfoSchema } from '../../../src/ocpi/hubclientinfo/hubclientinfo.schema.js'
import {
  ConnectorPatchSchema,
  ConnectorSchema,
  EnergyMixSchema,
  EvsePatchSchema,
  EvseSchema,
  HoursSchema,
  LocationPatchSchema,
  LocationSchema,
} from '../../../src/ocpi/locations/locations.schema.js'
import { SessionPatchSchema, SessionSchema } from '../../../src/ocpi/sessions/sessions.schema.js'
import { TariffSchema } from '../../../src/ocpi/tariffs/tariffs.schema.js'
import { TokenPatchSchema, TokenSchema } from '../../../src/ocpi/tokens/tokens.schema.js'
import { DisplayTextSchema, EnvelopeSchema } from '../../../src/ocpi/v221/common.schema.js'
import { describeZodError } from '../../../src/ocpi/v221/validation.js'
import { VersionDetailsSchema, VersionListSchema } from '../../../src/ocpi/versions/versions.schema.js'
import { FIXTURES_DIR, listFiles, readExample } from './fixtures.js'

interface Case {
  schema: z.ZodType
  /** For PATCH bodies: the full schema, which must refuse the partial object. */
  notA?: z.ZodType
  /** For invalid examples: the exact describeZodError output. */
  refused?: string
}

const wrapper = (key: string, inner: z.ZodType) => z.object({ [key]: inner })

const CASES: Record<string, Case> = {
  'cdrs/cdr_example.json': { schema: CdrSchema },

  'credentials/credentials_example.json': { schema: CredentialsSchema },
  'credentials/credentials_example2.json': { schema: CredentialsSchema },
  'credentials/credentials_example3.json': { schema: CredentialsSchema },
  'credentials/credentials_example4.json': { schema: CredentialsSchema },

  'hubclientinfo/mod_hub_client_info_example_put_a_new_clientinfo_object.json': {
    schema: ClientInfoSchema,
    refused: 'last_updated: required',
  },

  'locations/location_example.json': { schema: LocationSchema },
  'locations/location_example_parking_garage_opening_hours.json': { schema: LocationSchema },
  'locations/location_example_uc2_destination_charger.json': { schema: LocationSchema },
  'locations/location_example_uc3_destination_charger_not_published.json': { schema: LocationSchema },
  'locations/location_example_uc4_limited_visibility.json': { schema: LocationSchema },
  'locations/location_example_uc5_home_charge_point.json': { schema: LocationSchema },
  // INDEX.md: its connector lacks power_type, max_voltage, max_amperage, last_updated, and
  // physical_reference is a number. `floor` is not a field: stripped, not an error.
  'locations/location_put_example_add_evse.json': {
    schema: EvseSchema,
    refused: [
      'connectors[0].power_type: required',
      'connectors[0].max_voltage: required',
      'connectors[0].max_amperage: required',
      'connectors[0].last_updated: required',
      'physical_reference: expected string, got number',
    ].join('\n'),
  },
  'locations/location_patch_example_location.json': { schema: LocationPatchSchema, notA: LocationSchema },
  'locations/location_patch_example_status.json': { schema: EvsePatchSchema, notA: EvseSchema },
  'locations/location_patch_example_remove_evse.json': { schema: EvsePatchSchema, notA: EvseSchema },
  'locations/location_patch_example_tariff.json': { schema: ConnectorPatchSchema, notA: ConnectorSchema },
  'locations/location_hours_247_open_exception_closing.json': { schema: HoursSchema },
  'locations/location_hours_opening_hours_with_exceptional_closing.json': { schema: HoursSchema },
  'locations/location_hours_opening_hours_with_exceptional_opening.json': { schema: HoursSchema },
  'locations/location_regularhours_example.json': { schema: wrapper('opening_times', HoursSchema) },
  'locations/location_energymix_example_simple.json': { schema: wrapper('energy_mix', EnergyMixSchema) },
  'locations/location_energymix_example_energy_provider.json': { schema: wrapper('energy_mix', EnergyMixSchema) },
  'locations/location_energymix_example_complete.json': { schema: wrapper('energy_mix', EnergyMixSchema) },

  'sessions/session_example_1_simple_start.json': { schema: SessionSchema },
  'sessions/session_example_2_short_finished.json': { schema: SessionSchema },
  'sessions/session_patch_example_charging_period.json': { schema: SessionPatchSchema, notA: SessionSchema },
  'sessions/session_patch_example_total_cost.json': { schema: SessionPatchSchema, notA: SessionSchema },

  // The 2.2.1-tag versions: CdrToken without the (mandatory) country_code/party_id.
  'superseded-2.2.1-tag/cdr_example.json': {
    schema: CdrSchema,
    refused: 'cdr_token.country_code: required\ncdr_token.party_id: required',
  },
  'superseded-2.2.1-tag/session_example_1_simple_start.json': {
    schema: SessionSchema,
    refused: 'cdr_token.country_code: required\ncdr_token.party_id: required',
  },
  'superseded-2.2.1-tag/session_example_2_short_finished.json': {
    schema: SessionSchema,
    refused: 'cdr_token.country_code: required\ncdr_token.party_id: required',
  },
  // Withdrawn for its semantics (duration restrictions), but structurally a valid Tariff.
  'superseded-2.2.1-tag/tariff_7_first_hour_kwh_free.json': { schema: TariffSchema },

  'tariffs/tariff_put_example.json': { schema: TariffSchema, refused: 'last_updated: required' },
  'tariffs/tariff_1_simple_2hour.json': { schema: TariffSchema },
  'tariffs/tariff_2_alt_text.json': { schema: TariffSchema },
  'tariffs/tariff_3_alt_url.json': { schema: TariffSchema },
  'tariffs/tariff_4_complex.json': { schema: TariffSchema },
  'tariffs/tariff_5_free_of_charge.json': { schema: TariffSchema },
  'tariffs/tariff_6_025kwh_start_max_price.json': { schema: TariffSchema },
  'tariffs/tariff_8_simple_025kwh.json': { schema: TariffSchema },
  'tariffs/tariff_9_025kwh_start.json': { schema: TariffSchema },
  'tariffs/tariff_10_025kwh_parking_start.json': { schema: TariffSchema },
  'tariffs/tariff_11_not_possible_alt_text.json': { schema: TariffSchema },
  'tariffs/tariff_12_025kwh_min_price.json': { schema: TariffSchema },
  'tariffs/tariff_13_simple_3hour_5parking.json': { schema: TariffSchema },
  'tariffs/tariff_14_step_size.json': { schema: TariffSchema },
  'tariffs/tariff_15_reservation_5_euro_per_hour.json': { schema: TariffSchema },
  'tariffs/tariff_16_reservation_2_euro_fee_5_euro_per_hour.json': { schema: TariffSchema },
  'tariffs/tariff_17_reservation_with_expire_fee.json': { schema: TariffSchema },
  'tariffs/tariff_18_reservation_with_expire_time.json': { schema: TariffSchema },
  'tariffs/tariffrestriction_example_max_duration.json': { schema: TariffSchema },
  'tariffs/tariffrestriction_example_max_power.json': { schema: TariffSchema },

  'tokens/token_example_1_app_user.json': { schema: TokenSchema },
  'tokens/token_example_2_full_rfid.json': { schema: TokenSchema },
  'tokens/token_put_example.json': { schema: TokenSchema },
  'tokens/token_patch_example.json': { schema: TokenPatchSchema, notA: TokenSchema },

  'transport/transport_and_format_example_response_with_an_error_contains_no_data_field.json': {
    schema: EnvelopeSchema(z.unknown()),
  },
  'transport/transport_and_format_get_token_example.json': { schema: EnvelopeSchema(TokenSchema) },
  'transport/transport_and_format_get_token_list_example.json': { schema: EnvelopeSchema(z.array(TokenSchema)) },
  'transport/type_displaytext_example.json': { schema: DisplayTextSchema },

  'versions/transport_and_format_version_details_example.json': { schema: EnvelopeSchema(VersionDetailsSchema) },
  'versions/transport_and_format_version_info_example.json': { schema: EnvelopeSchema(VersionListSchema) },
  'versions/version_details_example.json': { schema: VersionDetailsSchema },
  'versions/version_details_example2.json': { schema: VersionDetailsSchema },
  'versions/versions_info_example.json': { schema: VersionListSchema },
}

/** Files in the fixture folder that are not OCPI payloads. */
const NOT_PAYLOADS = new Set([
  'INDEX.md',
  // Derived expected tariff costs for the pricing tests, not a spec object.
  'tariffs/worked_examples_expected_costs.json',
])

t.test('every fixture file has a case (new examples cannot slip past)', async (t) => {
  // real-world/ is the corpus of deviant payloads, run by test/ocpi/cdrs/real-world.test.ts.
  const payloads = listFiles(FIXTURES_DIR).filter((f) => !NOT_PAYLOADS.has(f) && !f.startsWith('real-world/'))
  t.strictSame(payloads, Object.keys(CASES).sort())
})

for (const [file, c] of Object.entries(CASES)) {
  t.test(file, async (t) => {
    const json = readExample(file)
    const result = c.schema.safeParse(json)
    if (c.refused !== undefined) {
      t.notOk(result.success, 'is refused')
      if (!result.success) t.equal(describeZodError(result.error), c.refused)
      return
    }
    t.ok(result.success, result.success ? 'parses' : describeZodError(result.error))
    // Nothing dropped or rewritten: every field of the example is a known field.
    t.strictSame(result.data, json, 'parsed value equals the example')
    if (c.notA) t.notOk(c.notA.safeParse(json).success, 'is a partial object, not a full one')
  })
}
