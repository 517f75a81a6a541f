// Session facts for invoice lines, read through the CDRs module (the CDR as the CPO sent it:
// times, location name and city, kWh) and the CPO's Location when we hold it (time zone, operator).
import type { StoredCdr } from '../ocpi/cdrs/index.js'
import { zoneForCountry } from '../pricing/index.js'
import type { SessionFacts, SessionFactsSource } from './billing.types.js'

/** What the invoice needs of a Location: its zone and operator. */
export interface LocationFacts {
  time_zone?: string | null
  operator?: { name: string } | null
}

export interface SessionFactsDeps {
  cdrs: { findById(id: string): Promise<StoredCdr | undefined> }
  /** The CPO's Location, when we hold it. */
  location(countryCode: string, partyId: string, locationId: string): Promise<LocationFacts | undefined>
}

export const factsOfCdr = (cdr: StoredCdr, location: LocationFacts | undefined): SessionFacts => {
  const at = cdr.cdr.cdr_location
  return {
    start: cdr.startDateTime.toISOString(),
    end: cdr.endDateTime.toISOString(),
    // A CdrLocation has no zone: the Location's, else the country's mainland zone, else UTC.
    timeZone: location?.time_zone || zoneForCountry(at.country) || 'UTC',
    locationName: at.name ?? null,
    address: at.address ?? null,
    city: at.city ?? null,
    country: at.country,
    operator: location?.operator?.name ?? null,
    evseId: at.evse_id ?? null,
    powerType: at.connector_power_type ?? null,
    kwh: cdr.totalEnergy.abs().toFixed(),
  }
}

export const createSessionFactsSource = (deps: SessionFactsDeps): SessionFactsSource => ({
  sessionFacts: async (cdrIds) => {
    const out = new Map<string, SessionFacts>()
    const locations = new Map<string, Promise<LocationFacts | undefined>>()
    for (const id of cdrIds) {
      const cdr = await deps.cdrs.findById(id)
      if (!cdr) continue
      const key = `${cdr.countryCode}/${cdr.partyId}/${cdr.cdr.cdr_location.id}`
      if (!locations.has(key)) locations.set(key, deps.location(cdr.countryCode, cdr.partyId, cdr.cdr.cdr_location.id))
      out.set(id, factsOfCdr(cdr, await locations.get(key)))
    }
    return out
  },
})
