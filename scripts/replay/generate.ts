import {
  cdr,
  chargingPeriod,
  customer,
  energyTariff,
  evseUid,
  location,
  session,
  type Party,
  type PowerType,
  type TokenRef,
} from './objects.js'
import type { RecordedLine } from './recording.js'

/**
 * Synthetic traffic in the recording format, deterministic for a seed: customers of the three
 * home markets, locations of operators and countries of the price lists (with tariffs), EVSE status
 * flapping, sessions with many PATCHes, and one CDR per finished session. Charging countries are
 * all priced by the lists (fixed rows, pass-through countries, IONITY), so most CDRs are rated.
 */
export interface GenerateOptions {
  seed?: number
  /** Number of charging sessions (each ends in a CDR). */
  sessions: number
  customers?: number
  locations?: number
  /** PATCHes per session (periods and kWh), at least 1. */
  patchesPerSession?: number
  /** Status PATCHes of EVSEs between sessions. */
  flapsPerSession?: number
  /** First session start; CDRs are spread over the following days. */
  startAt?: string
  /** Prefix of object ids, so several generated sets can go into one database. */
  idPrefix?: string
}

/** Operators (CPO parties) and the countries they charge in; the parties the replay registers. */
export const OPERATORS: { party: Party; name: string; countries: { alpha3: string; currency: string; city: string; tz: string }[] }[] = [
  {
    party: { countryCode: 'DE', partyId: 'ION' },
    name: 'IONITY',
    countries: [
      { alpha3: 'DEU', currency: 'EUR', city: 'Aichstetten', tz: 'Europe/Berlin' },
      { alpha3: 'AUT', currency: 'EUR', city: 'Graz', tz: 'Europe/Vienna' },
    ],
  },
  {
    party: { countryCode: 'DE', partyId: 'EBW' },
    name: 'EnBW',
    countries: [{ alpha3: 'DEU', currency: 'EUR', city: 'Karlsruhe', tz: 'Europe/Berlin' }],
  },
  {
    party: { countryCode: 'SI', partyId: 'PEL' },
    name: 'Petrol',
    countries: [
      { alpha3: 'SVN', currency: 'EUR', city: 'Ljubljana', tz: 'Europe/Ljubljana' },
      { alpha3: 'HRV', currency: 'EUR', city: 'Zagreb', tz: 'Europe/Zagreb' },
    ],
  },
  {
    party: { countryCode: 'EE', partyId: 'ELU' },
    name: 'Elektrilevi',
    countries: [{ alpha3: 'EST', currency: 'EUR', city: 'Tallinn', tz: 'Europe/Tallinn' }],
  },
  {
    party: { countryCode: 'DK', partyId: 'CLV' },
    name: 'Clever',
    countries: [{ alpha3: 'DNK', currency: 'DKK', city: 'Aarhus', tz: 'Europe/Copenhagen' }],
  },
  {
    party: { countryCode: 'BE', partyId: 'BEC' },
    name: 'BeCharged',
    countries: [{ alpha3: 'BEL', currency: 'EUR', city: 'Gent', tz: 'Europe/Brussels' }],
  },
]

/** A small seeded PRNG (mulberry32): the same seed gives the same traffic. */
export const prng = (seed: number) => {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! }
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
/** kWh with 3 decimals, as a JSON number (the CPO's format); exact as a decimal string. */
const kwh3 = (x: number) => Math.round(x * 1000) / 1000
const money2 = (x: number) => Math.round(x * 100) / 100

interface Site {
  party: Party
  id: string
  country: (typeof OPERATORS)[number]['countries'][number]
  evses: { uid: string; power: PowerType; tariffId: string }[]
}

export const generateTraffic = (o: GenerateOptions): RecordedLine[] => {
  const r = prng(o.seed ?? 1)
  const prefix = o.idPrefix ?? 'G'
  const nCustomers = o.customers ?? Math.max(1, Math.ceil(o.sessions / 20))
  const nLocations = o.locations ?? Math.max(OPERATORS.length, Math.ceil(o.sessions / 10))
  const patches = Math.max(1, o.patchesPerSession ?? 6)
  const flaps = o.flapsPerSession ?? 2
  let clock = Date.parse(o.startAt ?? '2025-03-03T06:00:00Z')
  const out: RecordedLine[] = []
  const tick = (ms = 1000) => (clock += ms)
  const push = (line: Omit<RecordedLine, 'at'>) => out.push({ at: iso(clock), ...line } as RecordedLine)

  const markets = ['DE', 'SI', 'EE'] as const
  const tokens: TokenRef[] = []
  for (let i = 0; i < nCustomers; i++) {
    const ref = `${prefix}c${i}`
    push({
      module: 'customers',
      method: 'POST',
      path: '',
      ref,
      body: customer(i + 1, markets[i % 3]!, i % 7 === 6 ? 'FLEX' : 'ACTIVE'),
    } as Omit<RecordedLine, 'at'>)
    tokens.push({ uid: `{{${ref}.token_uid}}`, type: 'APP_USER', contractId: `{{${ref}.contract_id}}` })
    tick()
  }
  const sites: Site[] = []
  for (let i = 0; i < nLocations; i++) {
    const op = OPERATORS[i % OPERATORS.length]!
    const country = r.pick(op.countries)
    const id = `${prefix}L${i}`
    const evses = [0, 1, 2].map((n) => ({
      uid: evseUid(id, n + 1),
      power: (n === 2 ? 'AC_3_PHASE' : 'DC') as PowerType,
      tariffId: `${id}-T${n === 2 ? 'AC' : 'DC'}`,
    }))
    const path = `/${op.party.countryCode}/${op.party.partyId}`
    for (const tariffId of [`${id}-TDC`, `${id}-TAC`]) {
      push({
        module: 'tariffs',
        method: 'PUT',
        path: `${path}/${tariffId}`,
        body: energyTariff(op.party, {
          id: tariffId,
          currency: country.currency,
          perKwh: tariffId.endsWith('DC') ? 0.49 : 0.29,
          vat: 19,
          at: iso(clock),
        }),
      })
      tick()
    }
    push({
      module: 'locations',
      method: 'PUT',
      path: `${path}/${id}`,
      body: location(op.party, {
        id,
        country: country.alpha3,
        city: country.city,
        timeZone: country.tz,
        operator: op.name,
        evses: evses.map((e) => ({ power: e.power, kw: e.power === 'DC' ? 150 + 50 * r.int(3) : 22, tariffId: e.tariffId })),
        at: iso(clock),
      }),
    })
    tick()
    sites.push({ party: op.party, id, country, evses })
  }
  const sessionsPerDay = Math.max(1, Math.ceil(o.sessions / 30))
  for (let s = 0; s < o.sessions; s++) {
    const site = r.pick(sites)
    const evse = r.pick(site.evses)
    const path = `/${site.party.countryCode}/${site.party.partyId}`
    const evsePath = `${path}/${site.id}/${evse.uid}`
    // Status flapping: the EVSE goes in and out of service before it is used.
    for (let f = 0; f < flaps; f++) {
      push({
        module: 'locations',
        method: 'PATCH',
        path: evsePath,
        body: { status: f % 2 === 0 ? 'OUTOFORDER' : 'AVAILABLE', last_updated: iso(clock) },
      })
      tick(5000)
    }
    if (flaps % 2 === 1) {
      push({ module: 'locations', method: 'PATCH', path: evsePath, body: { status: 'AVAILABLE', last_updated: iso(clock) } })
      tick()
    }
    clock = Math.max(clock, Date.parse(o.startAt ?? '2025-03-03T06:00:00Z') + Math.floor(s / sessionsPerDay) * 86_400_000)
    const start = clock
    const minutes = evse.power === 'DC' ? 15 + r.int(60) : 60 + r.int(240)
    const end = start + minutes * 60_000
    const total = kwh3((evse.power === 'DC' ? 0.8 : 0.15) * minutes * (0.6 + r.next() * 0.4))
    const token = r.pick(tokens)
    const id = `${prefix}S${s}`
    push({ module: 'locations', method: 'PATCH', path: evsePath, body: { status: 'CHARGING', last_updated: iso(clock) } })
    push({
      module: 'sessions',
      method: 'PUT',
      path: `${path}/${id}`,
      body: session(site.party, {
        id,
        token,
        locationId: site.id,
        evse: evse.uid,
        start: iso(start),
        currency: site.country.currency,
        at: iso(start),
      }),
    })
    let sofar = 0
    for (let p = 0; p < patches; p++) {
      const at = start + Math.round(((p + 1) * (end - start)) / (patches + 1))
      const slice = kwh3(total / patches)
      const periodStart = iso(start + Math.round((p * (end - start)) / (patches + 1)))
      sofar = kwh3(sofar + slice)
      clock = at
      push({
        module: 'sessions',
        method: 'PATCH',
        path: `${path}/${id}`,
        body: { kwh: sofar, charging_periods: [chargingPeriod(periodStart, slice, evse.tariffId)], last_updated: iso(at) },
      })
    }
    clock = end
    push({
      module: 'sessions',
      method: 'PATCH',
      path: `${path}/${id}`,
      body: { status: 'COMPLETED', end_date_time: iso(end), kwh: total, last_updated: iso(end) },
    })
    push({ module: 'locations', method: 'PATCH', path: evsePath, body: { status: 'AVAILABLE', last_updated: iso(end + 1000) } })
    tick(60_000)
    // Every 50th CDR overcharges by 10% (a CPO billing error the audit must flag).
    const perKwh = (evse.power === 'DC' ? 0.49 : 0.29) * (s % 50 === 49 ? 1.1 : 1)
    push({
      module: 'cdrs',
      method: 'POST',
      path: '',
      body: cdr(site.party, {
        id: `${prefix}C${s}`,
        token,
        locationId: site.id,
        evse: evse.uid,
        country: site.country.alpha3,
        power: evse.power,
        start: iso(start),
        end: iso(end),
        kwh: total,
        currency: site.country.currency,
        totalExcl: money2(total * perKwh),
        totalIncl: money2(total * perKwh * 1.19),
        tariffId: evse.tariffId,
      }),
    })
    tick(60_000)
  }
  return out
}
