import { Dec, SECONDS_PER_HOUR } from './decimal.js'
import { zoneForCountry } from './country-zones.js'
import { zoneClock } from './local-time.js'
import {
  array, asObject, dateTime, decimal, InputProblem, join, optDateTime, optObject, optString, string, type Obj,
} from './ocpi-read.js'
import { fromOcpiTariff } from './ocpi-tariff-input.js'
import { fail, ok, type Result } from './report.js'
import type { ChargingPeriod, MeasuredRange, PricingInput, PricingWarning, SessionInput, Tariff } from './types.js'

/**
 * Input adapter: an OCPI-shaped pricing case (plain objects, e.g. parsed JSON) → PricingInput.
 * Validates what pricing needs and answers a typed `invalid_input` error naming the field.
 * Case: `tariffs` (array) or `tariff`, else the CDR's embedded `tariffs`; `cdr` (a CDR, or a
 * Session with charging periods); the zone from `time_zone`, else `location.time_zone`, else a
 * non-standard `cdr.cdr_location.time_zone`, else the country of the location / CDR location.
 */
export function fromOcpiPricingCase(value: unknown): Result<PricingInput> {
  try {
    return readCase(value)
  } catch (problem) {
    if (problem instanceof InputProblem) return fail('invalid_input', `${problem.field || 'input'}: ${problem.message}`, problem.field)
    throw problem
  }
}

function readCase(value: unknown): Result<PricingInput> {
  const input = asObject(value, '')
  const warnings: PricingWarning[] = []
  const cdr = asObject(input.cdr, 'cdr')
  const timeZone = resolveZone(input, cdr)
  if (!timeZone.ok) return timeZone
  return ok({ tariffs: readTariffs(input, cdr, warnings), session: readSession(cdr, warnings), timeZone: timeZone.value, warnings })
}

function readTariffs(input: Obj, cdr: Obj, warnings: PricingWarning[]): Tariff[] {
  if (input.tariff !== undefined) return [fromOcpiTariff(input.tariff, 'tariff', warnings)]
  const [source, list] = input.tariffs !== undefined ? ['tariffs', array(input, 'tariffs', '')] : ['cdr.tariffs', array(cdr, 'tariffs', 'cdr', false)]
  if (list.length === 0) throw new InputProblem('tariffs', 'no tariff given (neither "tariffs", "tariff" nor the CDR\'s embedded tariffs)')
  return list.map((t, i) => fromOcpiTariff(t, join(source, i), warnings))
}

function resolveZone(input: Obj, cdr: Obj): Result<string> {
  const location = optObject(input, 'location', '')
  const cdrLocation = optObject(cdr, 'cdr_location', 'cdr')
  const explicit = optString(input, 'time_zone', '') ??
    (location && optString(location, 'time_zone', 'location')) ??
    (cdrLocation && optString(cdrLocation, 'time_zone', 'cdr.cdr_location'))
  if (explicit !== undefined) {
    return zoneClock(explicit) ? ok(explicit) : fail('invalid_time_zone', `"${explicit}" is not an IANA time zone`, 'time_zone')
  }
  const country = (location && optString(location, 'country', 'location')) ?? (cdrLocation && optString(cdrLocation, 'country', 'cdr.cdr_location'))
  const zone = country === undefined ? null : zoneForCountry(country)
  if (zone) return ok(zone)
  return fail('time_zone_unknown', country === undefined
    ? 'no time zone: give "time_zone", a "location" or a CDR with cdr_location.country'
    : `no time zone for country "${country}": give "time_zone" or a "location"`, 'time_zone')
}

function readSession(cdr: Obj, warnings: PricingWarning[]): SessionInput {
  // a CDR has a cdr_location, a mandatory end and at least one period; a Session may be open
  const isCdr = cdr.cdr_location !== undefined
  const startMs = dateTime(cdr, 'start_date_time', 'cdr')
  const endMs = isCdr ? dateTime(cdr, 'end_date_time', 'cdr') : optDateTime(cdr, 'end_date_time', 'cdr') ?? null
  const periods = array(cdr, 'charging_periods', 'cdr', isCdr)
  if (isCdr && periods.length === 0) throw new InputProblem('cdr.charging_periods', 'a CDR needs at least one charging period')
  return {
    startMs,
    endMs,
    currency: string(cdr, 'currency', 'cdr'),
    periods: periods.map((p, i) => readPeriod(p, `cdr.charging_periods[${i}]`, warnings)),
  }
}

const IGNORED_DIMENSIONS = new Set(['ENERGY_EXPORT', 'ENERGY_IMPORT', 'STATE_OF_CHARGE'])

function readPeriod(value: unknown, path: string, warnings: PricingWarning[]): ChargingPeriod {
  const obj = asObject(value, path)
  const volumes = new Map<string, Dec>()
  array(obj, 'dimensions', path).forEach((d, i) => {
    const at = join(join(path, 'dimensions'), i)
    const dimension = asObject(d, at)
    const type = string(dimension, 'type', at)
    if (volumes.has(type)) throw new InputProblem(join(at, 'type'), `${type} appears twice in one period`)
    volumes.set(type, decimal(dimension, 'volume', at))
  })
  for (const type of volumes.keys()) {
    if (!KNOWN_DIMENSIONS.has(type) && !IGNORED_DIMENSIONS.has(type)) {
      warnings.push({ code: 'unknown_dimension', message: `${path}: dimension ${type} is not an OCPI CdrDimensionType and is ignored` })
    }
  }
  const energy = volumes.get('ENERGY')
  return {
    startMs: dateTime(obj, 'start_date_time', path),
    tariffId: optString(obj, 'tariff_id', path) ?? null,
    energyKwh: energy ?? null,
    timeSeconds: seconds(volumes.get('TIME'), `${path}.dimensions(TIME)`),
    parkingSeconds: seconds(volumes.get('PARKING_TIME'), `${path}.dimensions(PARKING_TIME)`),
    reservationSeconds: seconds(volumes.get('RESERVATION_TIME'), `${path}.dimensions(RESERVATION_TIME)`),
    current: range(volumes, 'CURRENT'),
    power: range(volumes, 'POWER'),
  }
}

const KNOWN_DIMENSIONS = new Set([
  'ENERGY', 'TIME', 'PARKING_TIME', 'RESERVATION_TIME', 'CURRENT', 'MIN_CURRENT', 'MAX_CURRENT', 'POWER', 'MIN_POWER', 'MAX_POWER',
])

/**
 * Hours → whole seconds. OCPI sends hours with 4 decimals (0.36 s resolution), so a duration of
 * whole seconds comes back exactly from the nearest second (error ≤ 0.18 s), and step_size is
 * counted in seconds anyway: 5 minutes sent as 0.0833 h is 300 s, not 299.88 s.
 */
function seconds(hours: Dec | undefined, field: string): number | null {
  if (hours === undefined) return null
  if (hours.isNegative()) throw new InputProblem(field, 'a duration cannot be negative')
  const whole = hours.times(SECONDS_PER_HOUR).toDecimalPlaces(0, Dec.ROUND_HALF_UP)
  if (whole.gt(MAX_SECONDS)) throw new InputProblem(field, 'duration is implausibly long')
  return whole.toNumber()
}

/** ten years; keeps every sum of seconds far inside the exact integer range of a JS number */
const MAX_SECONDS = 315_360_000

/** MIN_x / MAX_x of a period; a single value (or the session-only average `x`) serves as both. */
function range(volumes: ReadonlyMap<string, Dec>, name: 'CURRENT' | 'POWER'): MeasuredRange | null {
  const min = volumes.get(`MIN_${name}`)
  const max = volumes.get(`MAX_${name}`)
  const average = volumes.get(name)
  const low = min ?? max ?? average
  const high = max ?? min ?? average
  return low && high ? { min: low, max: high } : null
}
