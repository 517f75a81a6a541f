// Builders for pricing-domain inputs in unit tests (the golden corpus uses OCPI JSON instead).
import { Dec } from '../../src/pricing/index.js'
import type {
  ChargingPeriod,
  PriceComponent,
  PricingInput,
  Restrictions,
  Tariff,
  TariffDimension,
  TariffElement,
} from '../../src/pricing/index.js'

export const d = (value: string | number): Dec => new Dec(String(value))
export const ms = (iso: string): number => Date.parse(iso)

export function component(type: TariffDimension, price: string | number, stepSize = 1, vat: string | number | null = null): PriceComponent {
  return { type, price: d(price), vat: vat === null ? null : d(vat), stepSize }
}

export function element(components: PriceComponent[], restrictions: Restrictions | null = null): TariffElement {
  return { components: Object.fromEntries(components.map((c) => [c.type, c])), restrictions }
}

export function tariff(elements: TariffElement[], extra: Partial<Tariff> = {}): Tariff {
  return {
    id: 'T',
    currency: 'EUR',
    type: null,
    minPrice: null,
    maxPrice: null,
    elements,
    validFrom: null,
    validUntil: null,
    lastUpdated: null,
    ...extra,
  }
}

export interface PeriodSpec {
  start: string
  kwh?: string | number
  timeS?: number
  parkingS?: number
  reservationS?: number
  current?: [number, number]
  power?: [number, number]
  tariffId?: string
}

export function period(p: PeriodSpec): ChargingPeriod {
  return {
    startMs: ms(p.start),
    tariffId: p.tariffId ?? null,
    energyKwh: p.kwh === undefined ? null : d(p.kwh),
    timeSeconds: p.timeS ?? null,
    parkingSeconds: p.parkingS ?? null,
    reservationSeconds: p.reservationS ?? null,
    current: p.current ? { min: d(p.current[0]), max: d(p.current[1]) } : null,
    power: p.power ? { min: d(p.power[0]), max: d(p.power[1]) } : null,
  }
}

export function input(
  tariffs: Tariff[],
  periods: PeriodSpec[],
  opts: { start?: string; end?: string | null; timeZone?: string } = {},
): PricingInput {
  const start = opts.start ?? periods[0]?.start ?? '2024-06-03T08:00:00Z'
  return {
    tariffs,
    session: {
      startMs: ms(start),
      endMs: opts.end === null ? null : ms(opts.end ?? '2024-06-03T20:00:00Z'),
      currency: 'EUR',
      periods: periods.map(period),
    },
    timeZone: opts.timeZone ?? 'Europe/Berlin',
  }
}
