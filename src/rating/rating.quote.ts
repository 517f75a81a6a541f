// Price before charging (`quoteEvse`) and the live estimate of a session (`estimateSession`) for
// the app: the same engine and lookups as rating, on the engine's own types (no OCPI JSON built and
// parsed again).
import { pricingSessionOf, type SessionKey, type SessionsService } from '../ocpi/sessions/index.js'
import type { Location } from '../ocpi/locations/index.js'
import { fromOcpiTariff, type Tariff } from '../ocpi/tariffs/index.js'
import { type Clock, utcDay } from '../platform/clock.js'
import { conflict, notFound } from '../platform/errors.js'
import { alpha2FromAlpha3, priceCdr, type PricingWarning, type Tariff as PricingTariff } from '../pricing/index.js'
import { type Catalog, catalogVersionAt, type OperatorRegistry, type PriceRow } from '../catalog/index.js'
import { chooseRule, type Decision } from './engine/choose-rule.js'
import { Decimal } from './engine/decimal.js'
import { buildContext } from './engine/rating-context.js'
import { rateCdr } from './engine/rate-cdr.js'
import type { Price, RatingCdr } from './engine/rating.types.js'
import { ratingLocationOf } from './rating.convert.js'
import type { Charge } from './rating.repository.js'
import { engineContract, type RatingLookups } from './rating.lookups.js'

export interface QuoteDeps {
  clock: Clock
  sessions: Pick<SessionsService, 'findByKey'>
  lookups: RatingLookups
  catalog: Catalog
  operators: OperatorRegistry
  /** The active charge of the session's CDR, once one has been rated. */
  ratedChargeOfSession: (key: SessionKey, contractId: string, from: Date) => Promise<Charge | undefined>
}

export interface QuoteEvseInput {
  customerId: string
  countryCode: string
  partyId: string
  locationId: string
  evseUid: string
}

export interface QuoteComponent {
  /** ENERGY (per kWh), TIME / PARKING_TIME (per hour), FLAT (per session). */
  type: string
  priceExclVat: Decimal
  vat: Decimal | null
  priceInclVat: Decimal
  /** What the customer pays for one unit after their plan's adjustment, incl. VAT. */
  yourPrice: Decimal
}

export interface ConnectorQuote {
  connectorId: string
  powerType: string
  maxPowerW: number | null
  rule: string
  /** FIXED_PRICE: the BMW Charging price list; OPERATOR_TARIFF: the operator's price, adjusted. */
  basis: 'FIXED_PRICE' | 'OPERATOR_TARIFF'
  currency: string | null
  fixed: {
    perKwh: Decimal | null
    perMinute: { fromMinute: number; price: Decimal }[]
    sessionFee: Decimal | null
    blocking: { afterMinutes: number; perMinute: Decimal; window: { from: string; to: string } | null } | null
  } | null
  operatorTariff: { tariffId: string; currency: string; components: QuoteComponent[] } | null
  /** The customer's price in words, one sentence a line. */
  text: string[]
}

export interface EvseQuote {
  contractId: string
  catalogVersion: string
  asOf: Date
  connectors: ConnectorQuote[]
}

export interface SessionEstimate {
  /** true while no CDR has been rated for the session. */
  estimate: boolean
  asOf: Date
  currency: string | null
  total: Decimal | null
  rule: string | null
  lines: ChargeLineOut[]
  /** Where the operator's amount so far came from (operator-priced rules): its tariff, the Session's total_cost, or nowhere. */
  operatorCostSource: 'TARIFF' | 'SESSION' | 'NONE'
  /** Why there is no total (not rated yet, Location unknown, …). */
  reason: string | null
}

type ChargeLineOut = Charge['lines'][number]

const dec = (v: string | number) => new Decimal(String(v))
const UNIT_OF: Record<string, string> = { ENERGY: 'kWh', TIME: 'hour', PARKING_TIME: 'hour of parking', FLAT: 'session' }
const money = (v: Decimal, currency: string) => `${v.toDecimalPlaces(4).toFixed(Math.max(2, Math.min(4, v.decimalPlaces())))} ${currency}`

/** The adjustment a rule makes to the operator's unit prices (incl. VAT). */
const adjust = (decision: Decision, c: { type: string; inclVat: Decimal }): Decimal => {
  if (decision.rule === 'flex_discount') return c.inclVat.times(dec(decision.discount.customerShare))
  if (decision.rule === 'ionity_plus') {
    if (c.type === 'ENERGY') return Decimal.max(0, c.inclVat.minus(dec(decision.plus.discountPerKwh)))
    if (c.type === 'FLAT') return new Decimal(0)
  }
  return c.inclVat
}

const adjustmentText = (decision: Decision, currency: string): string => {
  switch (decision.rule) {
    case 'flex_discount':
      return `You pay ${dec(decision.discount.customerShare).times(100).toFixed()} % of the operator's price.`
    case 'ionity_plus':
      return `IONITY Plus: ${money(dec(decision.plus.discountPerKwh), currency)} per kWh off the operator's price, no session fee.`
    case 'pass_through_flex':
      return "With the Flex tariff you pay the operator's price, unchanged."
    default:
      return "You pay the operator's price, unchanged."
  }
}

const fixedQuote = (row: PriceRow, currency: string) => {
  const fixed = {
    perKwh: row.perKwh ? dec(row.perKwh) : null,
    perMinute: (row.perMinute ?? []).map((t) => ({ fromMinute: t.fromMinute, price: dec(t.perMinute) })),
    sessionFee: row.sessionFee ? dec(row.sessionFee) : null,
    blocking: row.blocking
      ? { afterMinutes: row.blocking.afterMinutes, perMinute: dec(row.blocking.perMinute), window: row.blocking.window ?? null }
      : null,
  }
  const text = [
    ...(fixed.perKwh ? [`Energy: ${money(fixed.perKwh, currency)} per kWh.`] : []),
    ...fixed.perMinute.map((t) => `Time: ${money(t.price, currency)} per minute from minute ${t.fromMinute + 1}.`),
    ...(fixed.sessionFee ? [`Session fee: ${money(fixed.sessionFee, currency)} once per session.`] : []),
    ...(fixed.blocking
      ? [
          `Blocking fee: ${money(fixed.blocking.perMinute, currency)} per minute after ${fixed.blocking.afterMinutes} minutes${fixed.blocking.window ? `, between ${fixed.blocking.window.from} and ${fixed.blocking.window.to} local time` : ''}.`,
        ]
      : []),
  ]
  return { fixed, text }
}

const operatorQuote = (decision: Decision, tariff: Tariff | undefined) => {
  if (!tariff)
    return {
      operatorTariff: null,
      text: [
        adjustmentText(decision, 'EUR'),
        'The operator has not published a tariff for this connector; the price is known after charging.',
      ],
    }
  const components: QuoteComponent[] = []
  for (const element of tariff.elements) {
    for (const pc of element.price_components) {
      if (components.some((c) => c.type === pc.type)) continue // the first element with a dimension is the base price; restrictions are in the tariff
      const exclVat = dec(pc.price)
      const vat = pc.vat == null ? null : dec(pc.vat)
      const inclVat = vat ? exclVat.times(vat.plus(100)).div(100) : exclVat
      components.push({
        type: pc.type,
        priceExclVat: exclVat,
        vat,
        priceInclVat: inclVat,
        yourPrice: adjust(decision, { type: pc.type, inclVat }),
      })
    }
  }
  const text = [
    adjustmentText(decision, tariff.currency),
    ...components.map(
      (c) =>
        `${c.type === 'FLAT' ? 'Per session' : `Per ${UNIT_OF[c.type] ?? c.type}`}: ${money(c.yourPrice, tariff.currency)}${c.yourPrice.eq(c.priceInclVat) ? '' : ` (operator: ${money(c.priceInclVat, tariff.currency)})`} incl. VAT.`,
    ),
  ]
  return { operatorTariff: { tariffId: tariff.id, currency: tariff.currency, components }, text }
}

export const createQuoteService = (deps: QuoteDeps) => {
  const { clock, lookups, catalog, operators } = deps
  const ratedChargeOfSession = deps.ratedChargeOfSession

  /** The engine's view of a session at a connector of a Location (quotes and live estimates): no JSON round trip. */
  const ratingInput = (
    location: Location,
    at: { evseUid: string; connectorId: string; powerType: string },
    p: { id: string; start: Date; end: Date; currency: string; kwh: Decimal; totalCost: Price },
  ) => {
    const country = alpha2FromAlpha3(location.country)
    const cdr: RatingCdr = {
      id: p.id,
      cpoCountryCode: location.country_code.toUpperCase(),
      cpoPartyId: location.party_id.toUpperCase(),
      startMs: p.start.getTime(),
      endMs: p.end.getTime(),
      currency: p.currency,
      totalCost: p.totalCost,
      totalEnergyKwh: p.kwh,
      countryAlpha3: location.country.toUpperCase(),
      ...(country ? { country } : {}),
      powerType: at.powerType as RatingCdr['powerType'],
      credit: false,
    }
    const where = ratingLocationOf(location, { evseUid: at.evseUid, connectorId: at.connectorId })
    return { cdr, location: where.ok ? where.value : undefined, problem: where.ok ? undefined : where.error }
  }

  /** The operator tariff of a connector valid at `at` (its first tariff id we hold). */
  const connectorTariff = async (location: Location, tariffIds: readonly string[], at: Date) => {
    for (const id of tariffIds) {
      const t = await lookups.tariffAt(location.country_code, location.party_id, id, at)
      if (t) return t
    }
    return undefined
  }

  /**
   * Price before charging: what the customer will pay at each connector of an EVSE under their own
   * contract, in words and numbers: the price-list row (fixed prices) or the operator's current
   * tariff (OCPI 2.2.1 §11) with the plan's adjustment applied.
   */
  const quoteEvse = async (input: QuoteEvseInput): Promise<EvseQuote> => {
    const now = clock.now()
    const contract = await lookups.contractOfCustomer(input.customerId, utcDay(now))
    if (!contract) throw notFound('contract_not_found', 'You have no contract that can charge today')
    const location = await lookups.location(input.countryCode, input.partyId, input.locationId)
    const evse = location?.evses?.find((e) => e.uid.toUpperCase() === input.evseUid.toUpperCase())
    if (!location || !evse)
      throw notFound('evse_not_found', `No EVSE ${input.evseUid} at ${input.countryCode}/${input.partyId}/${input.locationId}`)
    const version = catalogVersionAt(catalog, contract.homeMarket, now.getTime())
    if (!version) throw conflict('no_catalog_version', `No ${contract.homeMarket} price list is valid now`)
    const connectors: ConnectorQuote[] = []
    for (const connector of evse.connectors) {
      const tariff = await connectorTariff(location, connector.tariff_ids ?? [], now)
      // A non-zero probe total: a quote cannot know whether the session will be free.
      const probe = ratingInput(
        location,
        { evseUid: evse.uid, connectorId: connector.id, powerType: connector.power_type },
        {
          id: 'QUOTE',
          start: now,
          end: now,
          currency: tariff?.currency ?? 'EUR',
          kwh: new Decimal(0),
          totalCost: { exclVat: new Decimal(1), inclVat: new Decimal(1) },
        },
      )
      if (probe.problem) throw conflict('cannot_quote', `${probe.problem.field}: ${probe.problem.message}`)
      const ctx = buildContext(engineContract(contract), probe.cdr, probe.location, version, operators)
      const decision = chooseRule(ctx)
      const base = {
        connectorId: connector.id,
        powerType: connector.power_type,
        maxPowerW: connector.max_electric_power ?? connector.max_voltage * connector.max_amperage,
        rule: decision.rule,
      }
      if (decision.rule === 'fixed_price' || decision.rule === 'operator_deal' || decision.rule === 'partner_network') {
        const prices = decision.rule === 'fixed_price' ? decision.prices : decision.deal.prices
        const q = fixedQuote(ctx.powerClass === 'DC' ? prices.dc : prices.ac, prices.currency)
        connectors.push({ ...base, basis: 'FIXED_PRICE', currency: prices.currency, fixed: q.fixed, operatorTariff: null, text: q.text })
      } else if (decision.rule === 'ionity_plus_hpc') {
        const perKwh = dec(decision.plus.hpcPerKwh)
        connectors.push({
          ...base,
          basis: 'FIXED_PRICE',
          currency: decision.plus.currency,
          fixed: { perKwh, perMinute: [], sessionFee: null, blocking: null },
          operatorTariff: null,
          text: [`IONITY Plus: ${money(perKwh, decision.plus.currency)} per kWh, nothing else.`],
        })
      } else {
        const q = operatorQuote(decision, tariff)
        connectors.push({ ...base, basis: 'OPERATOR_TARIFF', currency: tariff?.currency ?? null, fixed: null, ...q })
      }
    }
    return { contractId: contract.contractId, catalogVersion: `${version.homeMarket}@${version.validFrom}`, asOf: now, connectors }
  }

  /** The operator's amount so far: its tariff priced by the pricing core, else the Session's own total_cost. */
  const operatorCostSoFar = async (
    session: NonNullable<Awaited<ReturnType<QuoteDeps['sessions']['findByKey']>>>,
    location: Location,
    tariffIds: string[],
    end: Date,
  ): Promise<{ source: SessionEstimate['operatorCostSource']; totalCost: Price }> => {
    const tariffs: PricingTariff[] = []
    const warnings: PricingWarning[] = []
    for (const id of tariffIds) {
      const t = await lookups.tariffAt(session.countryCode, session.partyId, id, session.startDateTime)
      if (t) tariffs.push(fromOcpiTariff(t, `tariff ${t.id}`, warnings))
    }
    if (tariffs.length > 0 && (session.session.charging_periods ?? []).length > 0) {
      const live = pricingSessionOf(session.session, end)
      const priced = priceCdr({ tariffs, session: live.session, timeZone: location.time_zone, warnings: [...warnings, ...live.warnings] })
      if (priced.ok) {
        // OCPI's 4 decimals, as the CPO would state its total
        const total = priced.value.totals.totalCost
        return {
          source: 'TARIFF',
          totalCost: { exclVat: new Decimal(total.exclVat.toFixed(4)), inclVat: new Decimal(total.inclVat.toFixed(4)) },
        }
      }
    }
    const own = session.totalCost
    if (own) return { source: 'SESSION', totalCost: { exclVat: own.exclVat, ...(own.inclVat === null ? {} : { inclVat: own.inclVat }) } }
    // Unknown: fixed prices need no operator amount; operator-priced rules then fail with missing_incl_vat.
    return { source: 'NONE', totalCost: { exclVat: new Decimal(1) } }
  }

  /**
   * Live cost of a session for the app (OCPI 2.2.1 §9 Sessions): rated with the customer's plan from
   * the latest session data, marked as an estimate until the CDR is rated (then its charge).
   */
  const estimateSession = async (input: { customerId: string; sessionKey: SessionKey }): Promise<SessionEstimate> => {
    const session = await deps.sessions.findByKey(input.sessionKey)
    const day = session && utcDay(session.startDateTime)
    const contract =
      session &&
      day &&
      ((await lookups.contractOfToken(session.token.uid, session.token.type, day)) ??
        (await lookups.contractById(session.token.contractId, day)))
    if (!session || !contract || contract.customerId !== input.customerId) throw notFound('session_not_found', 'No such session')
    const asOf = session.endDateTime ?? clock.now()
    const charge = await ratedChargeOfSession(input.sessionKey, session.token.contractId, session.startDateTime)
    if (charge)
      return {
        estimate: false,
        asOf: charge.cdrEnd,
        currency: charge.currency,
        total: charge.total,
        rule: charge.rule,
        lines: charge.lines,
        operatorCostSource: 'NONE',
        reason: null,
      }
    const none = (reason: string, source: SessionEstimate['operatorCostSource'] = 'NONE'): SessionEstimate => ({
      estimate: true,
      asOf,
      currency: null,
      total: null,
      rule: null,
      lines: [],
      operatorCostSource: source,
      reason,
    })
    const location = await lookups.location(session.countryCode, session.partyId, session.locationId)
    const connector = location?.evses
      ?.find((e) => e.uid.toUpperCase() === session.evseUid.toUpperCase())
      ?.connectors.find((c) => c.id.toUpperCase() === session.connectorId.toUpperCase())
    if (!location || !connector) return none('The charging station is not known yet')
    const tariffIds = [
      ...new Set([
        ...(session.session.charging_periods ?? []).flatMap((p) => (p.tariff_id ? [p.tariff_id] : [])),
        ...(connector.tariff_ids ?? []),
      ]),
    ]
    const operator = await operatorCostSoFar(session, location, tariffIds, asOf)
    const live = ratingInput(
      location,
      { evseUid: session.evseUid, connectorId: connector.id, powerType: connector.power_type },
      {
        id: session.sessionId,
        start: session.startDateTime,
        end: asOf,
        currency: session.currency,
        kwh: new Decimal(session.kwh.toString()),
        totalCost: operator.totalCost,
      },
    )
    if (live.problem) return none(`${live.problem.field}: ${live.problem.message}`, operator.source)
    const rated = rateCdr({
      contract: engineContract(contract),
      cdr: live.cdr,
      catalog,
      operators,
      ...(live.location ? { location: live.location } : {}),
    })
    if (!rated.ok)
      return none(rated.code === 'missing_incl_vat' ? "The operator's price so far is not known yet" : rated.message, operator.source)
    return {
      estimate: true,
      asOf,
      currency: rated.currency,
      total: rated.total,
      rule: rated.rule,
      lines: [...rated.lines],
      operatorCostSource: operator.source,
      reason: null,
    }
  }

  return { quoteEvse, estimateSession }
}
