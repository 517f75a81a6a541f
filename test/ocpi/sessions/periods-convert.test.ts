// fromOcpiChargingPeriods (OCPI periods → the pricing core's periods) was rewritten for speed (issue 20
// item 2: it runs for every period of every CDR the audit prices). It must answer exactly as the
// plain definition it replaced, kept here as the reference: a Map of the first value of each
// dimension, hours → whole seconds through Decimal, MIN/MAX ranges, the start through parseOcpiDateTime.
import t from 'tap'
import { fromOcpiChargingPeriods, secondsExact } from '../../../src/ocpi/sessions/sessions.convert.js'
import { CdrDimensionTypeSchema, type ChargingPeriod } from '../../../src/ocpi/sessions/sessions.schema.js'
import { parseOcpiDateTimeGeneral } from '../../../src/ocpi/v221/pagination.js'
import { Dec, type MeasuredRange, type PricingWarning } from '../../../src/pricing/index.js'

const MAX_SECONDS = 315_360_000
const referenceSeconds = (hours: number | undefined): number | null => {
  if (hours === undefined) return null
  const whole = new Dec(String(hours)).times(new Dec(3600)).toDecimalPlaces(0, Dec.ROUND_HALF_UP)
  return Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, whole.toNumber()))
}
const referenceRange = (volumes: ReadonlyMap<string, number>, name: 'CURRENT' | 'POWER'): MeasuredRange | null => {
  const low = volumes.get(`MIN_${name}`) ?? volumes.get(`MAX_${name}`) ?? volumes.get(name)
  const high = volumes.get(`MAX_${name}`) ?? volumes.get(`MIN_${name}`) ?? volumes.get(name)
  return low === undefined || high === undefined ? null : { min: new Dec(String(low)), max: new Dec(String(high)) }
}
const reference = (periods: readonly ChargingPeriod[], at: string) => {
  const warnings: PricingWarning[] = []
  const out = periods.map((p, i) => {
    const volumes = new Map<string, number>()
    for (const d of p.dimensions) {
      if (volumes.has(d.type))
        warnings.push({ code: 'duplicate_dimension', message: `${at}[${i}]: ${d.type} appears twice; the first value counts` })
      else volumes.set(d.type, d.volume)
    }
    const energy = volumes.get('ENERGY')
    return {
      startMs: parseOcpiDateTimeGeneral(p.start_date_time)!.getTime(),
      tariffId: p.tariff_id ?? null,
      energyKwh: energy === undefined ? null : new Dec(String(energy)),
      timeSeconds: referenceSeconds(volumes.get('TIME')),
      parkingSeconds: referenceSeconds(volumes.get('PARKING_TIME')),
      reservationSeconds: referenceSeconds(volumes.get('RESERVATION_TIME')),
      current: referenceRange(volumes, 'CURRENT'),
      power: referenceRange(volumes, 'POWER'),
    }
  })
  return { periods: out, warnings }
}

/** A comparable text of a value: Decimals with their sign (a negative zero too), numbers by Object.is. */
const text = (v: unknown): string => {
  if (v instanceof Dec) return `D(${v.isNegative() ? '-' : '+'}${v.abs().toString()})`
  if (typeof v === 'number') return Object.is(v, -0) ? 'N(-0)' : `N(${v})`
  if (Array.isArray(v)) return `[${v.map(text).join(',')}]`
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .map((k) => `${k}:${text((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}

let seed = 2020
const random = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed % n
}

/** Every dimension type the wire schema knows. */
const TYPES = CdrDimensionTypeSchema.options

/** Hours as CPOs send them, and the awkward ones: ties at half a second, negatives, zeros, huge. */
const hours = (): number => {
  switch (random(12)) {
    case 0:
      return random(100_000) / 10_000 // 4 decimals
    case 1:
      return (random(2000) + 0.5) / 3600 // a tie at half a second (as the decimal value of the number)
    case 2:
      return -(random(100_000) / 10_000)
    case 3:
      return [0, -0, 1e-9, -1e-9, 5e-324, -5e-324][random(6)]!
    case 4:
      return [87_600, 87_600.0001, 1e9, -1e9, 87_599.9999, -87_600.0002][random(6)]!
    case 5:
      return (random(1_000_000) + 0.5) / 7200 // x.5 s ties with longer decimals
    case 6:
      return random(1000) / 8 // exact binary
    case 7:
      return Number((random(1_000_000_000) / 1_000_000_000).toPrecision(1 + random(17)))
    case 8:
      return 0.000_138_888_888_888_9 * random(40) // near multiples of half a second
    case 9:
      return (random(200_000) - 100_000) / 7200
    case 10:
      return 1 / 7200
    default:
      return random(1_000_000) / 3600
  }
}

const volume = (type: string): number =>
  type.endsWith('TIME') ? hours() : random(3) === 0 ? random(1000) / 8 : Number((random(10_000_000) / 1000).toPrecision(1 + random(9)))

const period = (i: number): ChargingPeriod => {
  const dimensions = Array.from({ length: random(6) }, () => {
    const type = TYPES[random(TYPES.length)]!
    return { type, volume: volume(type) }
  })
  const start = new Date(Date.UTC(2024, 0, 1) + i * 61_234 + random(1000)).toISOString()
  return {
    start_date_time: random(4) === 0 ? start.replace('Z', '') : random(3) === 0 ? start.replace('.', 'x').replace(/x\d+/, '') : start,
    ...(random(3) === 0 ? {} : { tariff_id: random(2) === 0 ? null : `T${random(5)}` }),
    dimensions,
  } as ChargingPeriod
}

t.test('fromOcpiChargingPeriods answers as the plain definition on generated periods', async (t) => {
  let mismatches = 0
  for (let k = 0; k < 400; k++) {
    const periods = Array.from({ length: 1 + random(30) }, (_, i) => period(i))
    const got = fromOcpiChargingPeriods(periods, 'cdr.charging_periods')
    const want = reference(periods, 'cdr.charging_periods')
    if (text(got) !== text(want) && mismatches++ < 5) t.equal(text(got), text(want), `case ${k}`)
  }
  t.equal(mismatches, 0)
})

t.test('hours → whole seconds: the floating-point path rounds as the decimal definition', async (t) => {
  const wrong: string[] = []
  const check = (h: number) => {
    const [got] = fromOcpiChargingPeriods([{ start_date_time: '2024-01-01T00:00:00Z', dimensions: [{ type: 'TIME', volume: h }] }]).periods
    const want = referenceSeconds(h)
    if (!Object.is(got!.timeSeconds, want) || !Object.is(secondsExact(h), want)) wrong.push(`${h}: ${got!.timeSeconds} ≠ ${want}`)
  }
  for (let i = 0; i < 50_000; i++) check(hours())
  for (let s = -4000; s <= 4000; s++) {
    check(s / 3600)
    check((s + 0.5) / 3600)
    check(Number(((s + 0.5) / 3600).toFixed(4)))
    check(Number((s / 3600).toFixed(4)))
  }
  for (const h of [
    0.00125,
    -0.00125,
    0.00375,
    1.00125,
    2.5e-5 * 5,
    0,
    -0,
    0.0001,
    -0.0001,
    0.00013888888888888889,
    -0.00013888888888888889,
    87_600,
    -87_600,
    87_600.5,
    1e300,
    -1e300,
  ])
    check(h)
  t.same(wrong.slice(0, 10), [], `${wrong.length} wrong`)
})

t.test('a dimension sent twice counts once, with a warning naming the period', async (t) => {
  const { periods, warnings } = fromOcpiChargingPeriods(
    [
      { start_date_time: '2024-01-01T00:00:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }] },
      {
        start_date_time: '2024-01-01T01:00:00Z',
        dimensions: [
          { type: 'ENERGY', volume: 2 },
          { type: 'TIME', volume: 1 },
          { type: 'ENERGY', volume: 3 },
        ],
      },
    ],
    'cdr.charging_periods',
  )
  t.equal(periods[1]!.energyKwh!.toString(), '2')
  t.same(warnings, [{ code: 'duplicate_dimension', message: 'cdr.charging_periods[1]: ENERGY appears twice; the first value counts' }])
})
