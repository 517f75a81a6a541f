// Country names for the rating's support texts. The codes and zones are the service's one country
// table (src/pricing/countries.ts): alpha-3 ↔ alpha-2 and each country's mainland zone.
import { zoneOfAlpha2 } from '../../pricing/index.js'

/** The fallback IANA zone of a country when no Location tells us better. */
export const timeZoneOfCountry = (alpha2: string): string | undefined => zoneOfAlpha2(alpha2)

const englishNames: Readonly<Record<string, string>> = {
  AT: 'Austria',
  BE: 'Belgium',
  BG: 'Bulgaria',
  CH: 'Switzerland',
  CZ: 'Czechia',
  DE: 'Germany',
  DK: 'Denmark',
  EE: 'Estonia',
  ES: 'Spain',
  FI: 'Finland',
  FR: 'France',
  GB: 'the United Kingdom',
  GR: 'Greece',
  HR: 'Croatia',
  HU: 'Hungary',
  IE: 'Ireland',
  IT: 'Italy',
  LT: 'Lithuania',
  LU: 'Luxembourg',
  LV: 'Latvia',
  NL: 'the Netherlands',
  NO: 'Norway',
  PL: 'Poland',
  PT: 'Portugal',
  RO: 'Romania',
  SE: 'Sweden',
  SI: 'Slovenia',
  SK: 'Slovakia',
}

/** English country name for support texts, else the code itself. */
export const countryName = (alpha2: string): string => englishNames[alpha2] ?? alpha2
