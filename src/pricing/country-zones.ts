/**
 * Fallback IANA zone per ISO 3166-1 alpha-3 country, used only when neither the case nor the
 * Location gives a `time_zone` (a 2.2.1 CdrLocation has none). Only countries whose charging
 * network lives in one zone are listed; for ESP and PRT the mainland zone is used (Canary
 * Islands and Azores/Madeira are an hour behind; pass the Location's zone for those).
 */
const ZONE_BY_COUNTRY: Readonly<Record<string, string>> = {
  AUT: 'Europe/Vienna',
  BEL: 'Europe/Brussels',
  BGR: 'Europe/Sofia',
  CHE: 'Europe/Zurich',
  CZE: 'Europe/Prague',
  DEU: 'Europe/Berlin',
  DNK: 'Europe/Copenhagen',
  ESP: 'Europe/Madrid',
  EST: 'Europe/Tallinn',
  FIN: 'Europe/Helsinki',
  FRA: 'Europe/Paris',
  GBR: 'Europe/London',
  GRC: 'Europe/Athens',
  HRV: 'Europe/Zagreb',
  HUN: 'Europe/Budapest',
  IRL: 'Europe/Dublin',
  ITA: 'Europe/Rome',
  LIE: 'Europe/Vaduz',
  LTU: 'Europe/Vilnius',
  LUX: 'Europe/Luxembourg',
  LVA: 'Europe/Riga',
  NLD: 'Europe/Amsterdam',
  NOR: 'Europe/Oslo',
  POL: 'Europe/Warsaw',
  PRT: 'Europe/Lisbon',
  ROU: 'Europe/Bucharest',
  SVK: 'Europe/Bratislava',
  SVN: 'Europe/Ljubljana',
  SWE: 'Europe/Stockholm',
}

export function zoneForCountry(alpha3: string): string | null {
  return ZONE_BY_COUNTRY[alpha3.toUpperCase()] ?? null
}
