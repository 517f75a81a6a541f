// Country codes and time zones. OCPI locations use ISO 3166-1 alpha-3, the price lists and home
// markets alpha-2. The table covers Europe and its neighbours (every country a price list names and
// the rest of the continent); an unknown alpha-3 code is a country "not in the list".

const alpha3ToAlpha2: Readonly<Record<string, string>> = {
  ALB: 'AL', AND: 'AD', ARM: 'AM', AUT: 'AT', AZE: 'AZ', BEL: 'BE', BGR: 'BG', BIH: 'BA', BLR: 'BY',
  CHE: 'CH', CYP: 'CY', CZE: 'CZ', DEU: 'DE', DNK: 'DK', ESP: 'ES', EST: 'EE', FIN: 'FI', FRA: 'FR',
  FRO: 'FO', GBR: 'GB', GEO: 'GE', GGY: 'GG', GIB: 'GI', GRC: 'GR', HRV: 'HR', HUN: 'HU', IMN: 'IM',
  IRL: 'IE', ISL: 'IS', ITA: 'IT', JEY: 'JE', LIE: 'LI', LTU: 'LT', LUX: 'LU', LVA: 'LV', MCO: 'MC',
  MDA: 'MD', MKD: 'MK', MLT: 'MT', MNE: 'ME', NLD: 'NL', NOR: 'NO', POL: 'PL', PRT: 'PT', ROU: 'RO',
  RUS: 'RU', SMR: 'SM', SRB: 'RS', SVK: 'SK', SVN: 'SI', SWE: 'SE', TUR: 'TR', UKR: 'UA', VAT: 'VA',
  XKX: 'XK', ALA: 'AX', SJM: 'SJ', USA: 'US', CAN: 'CA', CHN: 'CN', JPN: 'JP', KOR: 'KR', AUS: 'AU',
  NZL: 'NZ', MAR: 'MA', ISR: 'IL', ARE: 'AE', ZAF: 'ZA', BRA: 'BR', MEX: 'MX', IND: 'IN', SGP: 'SG',
}

// The mainland zone of each country; a Location's own `time_zone` always wins (Azores, Canaries).
const alpha2ToZone: Readonly<Record<string, string>> = {
  AD: 'Europe/Andorra', AL: 'Europe/Tirane', AT: 'Europe/Vienna', BA: 'Europe/Sarajevo', BE: 'Europe/Brussels',
  BG: 'Europe/Sofia', CH: 'Europe/Zurich', CY: 'Asia/Nicosia', CZ: 'Europe/Prague', DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen', EE: 'Europe/Tallinn', ES: 'Europe/Madrid', FI: 'Europe/Helsinki', FR: 'Europe/Paris',
  GB: 'Europe/London', GR: 'Europe/Athens', HR: 'Europe/Zagreb', HU: 'Europe/Budapest', IE: 'Europe/Dublin',
  IS: 'Atlantic/Reykjavik', IT: 'Europe/Rome', LI: 'Europe/Vaduz', LT: 'Europe/Vilnius', LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga', MC: 'Europe/Monaco', ME: 'Europe/Podgorica', MK: 'Europe/Skopje', MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam', NO: 'Europe/Oslo', PL: 'Europe/Warsaw', PT: 'Europe/Lisbon', RO: 'Europe/Bucharest',
  RS: 'Europe/Belgrade', SE: 'Europe/Stockholm', SI: 'Europe/Ljubljana', SK: 'Europe/Bratislava',
  TR: 'Europe/Istanbul', UA: 'Europe/Kyiv',
}

/** Alpha-2 code for an ISO 3166-1 alpha-3 code (any case), or undefined when not in the table. */
export const alpha2FromAlpha3 = (alpha3: string): string | undefined => alpha3ToAlpha2[alpha3.toUpperCase()]

/** The fallback IANA zone of a country when no Location tells us better. */
export const timeZoneOfCountry = (alpha2: string): string | undefined => alpha2ToZone[alpha2]

const englishNames: Readonly<Record<string, string>> = {
  AT: 'Austria', BE: 'Belgium', BG: 'Bulgaria', CH: 'Switzerland', CZ: 'Czechia', DE: 'Germany', DK: 'Denmark',
  EE: 'Estonia', ES: 'Spain', FI: 'Finland', FR: 'France', GB: 'the United Kingdom', GR: 'Greece', HR: 'Croatia',
  HU: 'Hungary', IE: 'Ireland', IT: 'Italy', LT: 'Lithuania', LU: 'Luxembourg', LV: 'Latvia', NL: 'the Netherlands',
  NO: 'Norway', PL: 'Poland', PT: 'Portugal', RO: 'Romania', SE: 'Sweden', SI: 'Slovenia', SK: 'Slovakia',
}

/** English country name for support texts, else the code itself. */
export const countryName = (alpha2: string): string => englishNames[alpha2] ?? alpha2
