import { alpha2FromAlpha3, zoneOfAlpha2 } from './countries.js'

/**
 * Fallback IANA zone of an ISO 3166-1 alpha-3 country, used only when neither the case nor the
 * Location gives a `time_zone` (a 2.2.1 CdrLocation has none). Only countries whose charging
 * network lives in one zone have one (countries.ts); for ESP and PRT the mainland zone is used
 * (Canary Islands and Azores/Madeira are an hour behind; pass the Location's zone for those).
 */
export function zoneForCountry(alpha3: string): string | null {
  const alpha2 = alpha2FromAlpha3(alpha3)
  return (alpha2 && zoneOfAlpha2(alpha2)) ?? null
}
