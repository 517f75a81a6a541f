/**
 * Builders of complete OCPI 2.2.1 objects (they pass the wire schemas) for recordings: the
 * generator and the recorded fixture use them. Numbers are written as JSON numbers, as a CPO does.
 */
export type PowerType = 'AC_3_PHASE' | 'DC'
export interface Party {
  countryCode: string
  partyId: string
}
export interface TokenRef {
  uid: string
  type: 'APP_USER' | 'RFID'
  contractId: string
}

export const evseUid = (locationId: string, n: number) => `${locationId}-E${n}`

export const location = (
  p: Party,
  o: {
    id: string
    country: string
    city: string
    timeZone: string
    operator: string
    evses: { power: PowerType; kw: number; tariffId?: string }[]
    at: string
  },
) => ({
  country_code: p.countryCode,
  party_id: p.partyId,
  id: o.id,
  publish: true,
  name: `${o.operator} ${o.city}`,
  address: 'Hauptstraße 1',
  city: o.city,
  country: o.country,
  coordinates: { latitude: '48.137154', longitude: '11.576124' },
  evses: o.evses.map((e, i) => ({
    uid: evseUid(o.id, i + 1),
    evse_id: `${p.countryCode}*${p.partyId}*E${o.id.replace(/[^A-Z0-9]/gi, '')}${i + 1}`,
    status: 'AVAILABLE',
    connectors: [
      {
        id: '1',
        standard: e.power === 'DC' ? 'IEC_62196_T2_COMBO' : 'IEC_62196_T2',
        format: e.power === 'DC' ? 'CABLE' : 'SOCKET',
        power_type: e.power,
        max_voltage: e.power === 'DC' ? 920 : 400,
        max_amperage: e.power === 'DC' ? 500 : 32,
        max_electric_power: e.kw * 1000,
        ...(e.tariffId ? { tariff_ids: [e.tariffId] } : {}),
        last_updated: o.at,
      },
    ],
    last_updated: o.at,
  })),
  operator: { name: o.operator },
  time_zone: o.timeZone,
  last_updated: o.at,
})

/** A tariff with one ENERGY price component (price excl. VAT; `vat` in percent, absent = not given). */
export const energyTariff = (p: Party, o: { id: string; currency: string; perKwh: number; vat?: number; at: string }) => ({
  country_code: p.countryCode,
  party_id: p.partyId,
  id: o.id,
  currency: o.currency,
  elements: [{ price_components: [{ type: 'ENERGY', price: o.perKwh, ...(o.vat === undefined ? {} : { vat: o.vat }), step_size: 1 }] }],
  last_updated: o.at,
})

const cdrToken = (t: TokenRef) => ({ country_code: 'DE', party_id: 'BMW', uid: t.uid, type: t.type, contract_id: t.contractId })

export const session = (
  p: Party,
  o: { id: string; token: TokenRef; locationId: string; evse: string; start: string; currency: string; at: string },
) => ({
  country_code: p.countryCode,
  party_id: p.partyId,
  id: o.id,
  start_date_time: o.start,
  kwh: 0,
  cdr_token: cdrToken(o.token),
  auth_method: 'WHITELIST',
  location_id: o.locationId,
  evse_uid: o.evse,
  connector_id: '1',
  currency: o.currency,
  status: 'ACTIVE',
  last_updated: o.at,
})

export const chargingPeriod = (start: string, kwh: number, tariffId?: string) => ({
  start_date_time: start,
  dimensions: [{ type: 'ENERGY', volume: kwh }],
  ...(tariffId ? { tariff_id: tariffId } : {}),
})

export interface CdrInput {
  id: string
  token: TokenRef
  locationId: string
  evse: string
  country: string
  power: PowerType
  start: string
  end: string
  kwh: number
  currency: string
  totalExcl: number
  totalIncl?: number
  tariffId?: string
}

export const cdr = (p: Party, o: CdrInput) => {
  const hours = (Date.parse(o.end) - Date.parse(o.start)) / 3_600_000
  return {
    country_code: p.countryCode,
    party_id: p.partyId,
    id: o.id,
    start_date_time: o.start,
    end_date_time: o.end,
    cdr_token: cdrToken(o.token),
    auth_method: 'WHITELIST',
    cdr_location: {
      id: o.locationId,
      address: 'Hauptstraße 1',
      city: 'Somewhere',
      country: o.country,
      coordinates: { latitude: '48.137154', longitude: '11.576124' },
      evse_uid: o.evse,
      evse_id: `${p.countryCode}*${p.partyId}*E1`,
      connector_id: '1',
      connector_standard: o.power === 'DC' ? 'IEC_62196_T2_COMBO' : 'IEC_62196_T2',
      connector_format: o.power === 'DC' ? 'CABLE' : 'SOCKET',
      connector_power_type: o.power,
    },
    currency: o.currency,
    charging_periods: [chargingPeriod(o.start, o.kwh, o.tariffId)],
    total_cost: { excl_vat: o.totalExcl, ...(o.totalIncl === undefined ? {} : { incl_vat: o.totalIncl }) },
    total_energy: o.kwh,
    total_time: Number(hours.toFixed(4)),
    last_updated: o.end,
  }
}

/** The admin API body of a customer (its APP_USER token is created with it). */
export const customer = (n: number, homeMarket: 'DE' | 'SI' | 'EE', tariff: 'ACTIVE' | 'FLEX' = 'ACTIVE') => ({
  name: `Driver ${n}`,
  email: `driver${n}@example.com`,
  home_market: homeMarket,
  tariff,
  start_date: '2024-06-01',
  vehicle: { vin: `WBA11AA0${String(n).padStart(9, '0')}`, model: 'iX', delivery_date: '2024-05-01', is_new: false },
})
