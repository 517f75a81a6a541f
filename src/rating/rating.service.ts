// Rating in the product: every CDR is rated with the customer's contract by the pure engine and the
// charge is stored with its lines, rule and price-list version. A CDR that cannot be rated stays
// UNRATED with its reason (nothing billable is stored) until an admin rerates it.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import type { JobRunner } from '../jobs/runner.js'
import type { CdrsService, StoredCdr } from '../ocpi/cdrs/index.js'
import type { Location } from '../ocpi/locations/locations.schema.js'
import type { SessionKey, SessionsService } from '../ocpi/sessions/index.js'
import type { Tariff } from '../ocpi/tariffs/tariffs.schema.js'
import type { Clock } from '../platform/clock.js'
import { conflict, notFound } from '../platform/errors.js'
import { fromOcpiPricingCase, priceCdr } from '../pricing/index.js'
import type { Ids } from '../platform/ids.js'
import { catalogVersionAt, defaultCatalog } from './catalog/catalog.js'
import type { Catalog, PriceRow } from './catalog/catalog.types.js'
import { operatorRegistrySeed } from './catalog/operators.seed.js'
import { chooseRule, type Decision } from './engine/choose-rule.js'
import { Decimal } from './engine/decimal.js'
import type { OperatorRegistry } from './engine/match-operator.js'
import { buildContext } from './engine/rating-context.js'
import { rateCdr } from './engine/rate-cdr.js'
import type { LineKind, RatedCdr, RatingResult } from './engine/rating.types.js'
import { fromOcpiRatingCase, type RatingCaseJson } from './rating.convert.js'
import * as repo from './rating.repository.js'
import type { Charge } from './rating.repository.js'

/** The queue the audit runs on, separate from rating so an audit failure never blocks billing. */
export const CDR_AUDIT_QUEUE = 'cdr.audit'

/** What rating needs to know about a contract (the customers module's model, narrowed). */
export interface RatingContract {
  contractId: string
  customerId: string
  homeMarket: 'DE' | 'SI' | 'EE'
  tariff: 'ACTIVE' | 'FLEX'
  /** Packages booked on the day that matters (the CDR's start). */
  packages: 'IONITY_PLUS'[]
}

/** Lookups in other modules, through their public services (wired in index.ts). */
export interface RatingLookups {
  /** The contract a token of ours belongs to, with the packages booked on `day`; undefined if unknown. */
  contractOfToken(uid: string, type: string, day: string): Promise<RatingContract | undefined>
  contractById(contractId: string, day: string): Promise<RatingContract | undefined>
  /** The CPO's Location as we hold it (with EVSEs and connectors), if any. */
  location(countryCode: string, partyId: string, locationId: string): Promise<Location | undefined>
  /** The customer's contract that charges today (active, else cancelled but not ended), if any. */
  contractOfCustomer(customerId: string, day: string): Promise<RatingContract | undefined>
  /** The version of an operator tariff valid at `at`, if stored. */
  tariffAt(countryCode: string, partyId: string, tariffId: string, at: Date): Promise<Tariff | undefined>
}

export interface RatingDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  log: FastifyBaseLogger
  cdrs: Pick<CdrsService, 'findById' | 'findByKey' | 'list'>
  sessions: Pick<SessionsService, 'findByKey'>
  lookups: RatingLookups
  jobs: Pick<JobRunner, 'enqueue' | 'kick'>
  catalog?: Catalog
  operators?: OperatorRegistry
}

export type RateOutcome =
  | { ok: true; charge: Charge }
  | { ok: false; code: string; reason: string }

export interface ListChargesInput {
  contractId: string
  /** CDR end at or after this instant… */
  endedFrom: Date
  /** …and before this one. */
  endedTo: Date
}

const catalogLabel = (v: RatedCdr['catalogVersion']) => `${v.homeMarket}@${v.validFrom}`

/** A stored charge back in the engine's shape, so a credit CDR can reverse exactly what was charged. */
const ratedFromCharge = (charge: Charge, ocpiCdrId: string): RatedCdr => {
  const [homeMarket, validFrom] = charge.catalogVersion.split('@') as ['DE' | 'SI' | 'EE', string]
  return {
    ok: true,
    cdrId: ocpiCdrId,
    currency: charge.currency,
    total: charge.total,
    rule: charge.rule as RatedCdr['rule'],
    lines: charge.lines.map((l) => ({ ...l, kind: l.kind as LineKind })),
    catalogVersion: { homeMarket, validFrom },
  }
}

export const utcDayOf = (at: Date) => at.toISOString().slice(0, 10)

/** The contract JSON of a rating case (rating.convert.ts reads the engine input from it). */
export const contractCase = (c: RatingContract): RatingCaseJson['contract'] => ({ home_market: c.homeMarket, tariff: c.tariff, packages: c.packages })


// ---- Price before charging and live estimate (quoteEvse, estimateSession) ----
// Kept in this file because they share the contract/Location lookups and the engine calls with
// rating; the file is over the usual ~300 lines for that reason.

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
  fixed: { perKwh: Decimal | null; perMinute: { fromMinute: number; price: Decimal }[]; sessionFee: Decimal | null; blocking: { afterMinutes: number; perMinute: Decimal; window: { from: string; to: string } | null } | null } | null
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
    case 'flex_discount': return `You pay ${dec(decision.discount.customerShare).times(100).toFixed()} % of the operator's price.`
    case 'ionity_plus': return `IONITY Plus: ${money(dec(decision.plus.discountPerKwh), currency)} per kWh off the operator's price, no session fee.`
    case 'pass_through_flex': return "With the Flex tariff you pay the operator's price, unchanged."
    default: return "You pay the operator's price, unchanged."
  }
}

const fixedQuote = (row: PriceRow, currency: string) => {
  const fixed = {
    perKwh: row.perKwh ? dec(row.perKwh) : null,
    perMinute: (row.perMinute ?? []).map((t) => ({ fromMinute: t.fromMinute, price: dec(t.perMinute) })),
    sessionFee: row.sessionFee ? dec(row.sessionFee) : null,
    blocking: row.blocking ? { afterMinutes: row.blocking.afterMinutes, perMinute: dec(row.blocking.perMinute), window: row.blocking.window ?? null } : null,
  }
  const text = [
    ...(fixed.perKwh ? [`Energy: ${money(fixed.perKwh, currency)} per kWh.`] : []),
    ...fixed.perMinute.map((t) => `Time: ${money(t.price, currency)} per minute from minute ${t.fromMinute + 1}.`),
    ...(fixed.sessionFee ? [`Session fee: ${money(fixed.sessionFee, currency)} once per session.`] : []),
    ...(fixed.blocking
      ? [`Blocking fee: ${money(fixed.blocking.perMinute, currency)} per minute after ${fixed.blocking.afterMinutes} minutes${fixed.blocking.window ? `, between ${fixed.blocking.window.from} and ${fixed.blocking.window.to} local time` : ''}.`]
      : []),
  ]
  return { fixed, text }
}

const operatorQuote = (decision: Decision, tariff: Tariff | undefined) => {
  if (!tariff) return { operatorTariff: null, text: [adjustmentText(decision, 'EUR'), 'The operator has not published a tariff for this connector; the price is known after charging.'] }
  const components: QuoteComponent[] = []
  for (const element of tariff.elements) {
    for (const pc of element.price_components) {
      if (components.some((c) => c.type === pc.type)) continue // the first element with a dimension is the base price; restrictions are in the tariff
      const exclVat = dec(pc.price)
      const vat = pc.vat == null ? null : dec(pc.vat)
      const inclVat = vat ? exclVat.times(vat.plus(100)).div(100) : exclVat
      components.push({ type: pc.type, priceExclVat: exclVat, vat, priceInclVat: inclVat, yourPrice: adjust(decision, { type: pc.type, inclVat }) })
    }
  }
  const text = [
    adjustmentText(decision, tariff.currency),
    ...components.map((c) => `${c.type === 'FLAT' ? 'Per session' : `Per ${UNIT_OF[c.type] ?? c.type}`}: ${money(c.yourPrice, tariff.currency)}${c.yourPrice.eq(c.priceInclVat) ? '' : ` (operator: ${money(c.priceInclVat, tariff.currency)})`} incl. VAT.`),
  ]
  return { operatorTariff: { tariffId: tariff.id, currency: tariff.currency, components }, text }
}

export const createRatingService = (deps: RatingDeps) => {
  const { db, clock, ids, lookups } = deps
  const catalog = deps.catalog ?? defaultCatalog
  const operators = deps.operators ?? operatorRegistrySeed

  /** The token's contract (authoritative), else the contract id the CDR names. */
  const contractOf = async (cdr: StoredCdr) => {
    const day = utcDayOf(cdr.startDateTime)
    return (await lookups.contractOfToken(cdr.token.uid, cdr.token.type, day)) ?? (await lookups.contractById(cdr.token.contractId, day))
  }

  /** For a credit CDR: the active charge of the CDR it corrects, in the engine's shape. */
  const originalOf = async (cdr: StoredCdr): Promise<RatedCdr | undefined> => {
    if (!cdr.credit || !cdr.creditReferenceId) return undefined
    const original = await deps.cdrs.findByKey({ countryCode: cdr.countryCode, partyId: cdr.partyId, cdrId: cdr.creditReferenceId })
    const charge = original && (await repo.findActiveCharge(db, original.id))
    return charge && original ? ratedFromCharge(charge, original.cdr.id) : undefined
  }

  /** Rates a stored CDR with the engine; pure apart from the lookups. */
  const rateStored = async (cdr: StoredCdr): Promise<RateOutcome> => {
    const contract = await contractOf(cdr)
    if (!contract) {
      return { ok: false, code: 'unknown_contract', reason: `Token ${cdr.token.uid} (${cdr.token.type}) and contract ${cdr.token.contractId} are unknown to us` }
    }
    const location = await lookups.location(cdr.countryCode, cdr.partyId, cdr.cdr.cdr_location.id)
    const parsed = fromOcpiRatingCase({ contract: contractCase(contract), cdr: cdr.cdr, ...(location ? { location } : {}) })
    if (!parsed.ok) return { ok: false, code: parsed.error.code, reason: `${parsed.error.field}: ${parsed.error.message}` }
    const original = await originalOf(cdr)
    const { cdr: ratingCdr, location: ratingLocation } = parsed.value
    const result: RatingResult = rateCdr({
      contract: parsed.value.contract, cdr: ratingCdr, catalog, operators,
      ...(ratingLocation ? { location: ratingLocation } : {}), ...(original ? { original } : {}),
    })
    if (!result.ok) return { ok: false, code: result.code, reason: result.message }
    return {
      ok: true,
      charge: {
        id: ids.uuid(), cdrId: cdr.id, contractId: contract.contractId, customerId: contract.customerId,
        kind: cdr.credit ? 'REVERSAL' : 'CHARGE', rule: result.rule, currency: result.currency, total: result.total,
        lines: [...result.lines], catalogVersion: catalogLabel(result.catalogVersion),
        cdrStart: cdr.startDateTime, cdrEnd: cdr.endDateTime, ratedAt: clock.now(), supersededBy: null,
      },
    }
  }

  const requireCdr = async (cdrId: string) => {
    const cdr = await deps.cdrs.findById(cdrId)
    if (!cdr) throw notFound('cdr_not_found', `No CDR ${cdrId}`)
    return cdr
  }

  const saveOutcome = async (tx: Db, cdrId: string, outcome: RateOutcome) =>
    repo.saveRatingStatus(tx, {
      cdrId,
      status: outcome.ok ? 'RATED' : 'UNRATED',
      reasonCode: outcome.ok ? null : outcome.code,
      reason: outcome.ok ? null : outcome.reason,
      chargeId: outcome.ok ? outcome.charge.id : null,
      updatedAt: clock.now(),
    })

  /**
   * The `cdr.received` job: rates the CDR once. A replay (at-least-once delivery) finds the active
   * charge and stores nothing new; two concurrent runs are settled by the one-active-charge index.
   * The audit job is queued in the same transaction as the outcome.
   */
  const rateReceived = async (cdrId: string): Promise<RateOutcome> => {
    const cdr = await requireCdr(cdrId)
    const held = await repo.findActiveCharge(db, cdrId)
    if (held) return { ok: true, charge: held }
    const outcome = await rateStored(cdr)
    const final = await db.transaction(async (tx): Promise<RateOutcome> => {
      if (outcome.ok && !(await repo.insertCharge(tx, outcome.charge))) {
        // a concurrent run won: its charge, status and audit job are committed with it
        return { ok: true, charge: (await repo.findActiveCharge(tx, cdrId))! }
      }
      await saveOutcome(tx, cdrId, outcome)
      await deps.jobs.enqueue(tx, { queue: CDR_AUDIT_QUEUE, payload: { cdrId }, dedupeKey: cdrId })
      return outcome
    })
    if (!final.ok) deps.log.warn({ cdrId, code: final.code, reason: final.reason }, 'CDR not rated')
    deps.jobs.kick()
    return final
  }

  /**
   * Rates a CDR again (admin). A new charge replaces the active one, which stays as history
   * (`superseded_by`). If rating fails, an existing charge stays active and the failure is
   * answered (409 rerate_failed); a CDR without a charge is (still) UNRATED with the new reason.
   */
  const rerate = async (cdrId: string) => {
    const cdr = await requireCdr(cdrId)
    const outcome = await rateStored(cdr)
    await db.transaction(async (tx) => {
      const old = await repo.findActiveCharge(tx, cdrId, { forUpdate: true })
      if (!outcome.ok && old) throw conflict('rerate_failed', `${outcome.code}: ${outcome.reason} (the active charge ${old.id} is kept)`)
      if (outcome.ok) {
        if (old) await repo.supersedeCharge(tx, old.id, outcome.charge.id)
        await repo.insertCharge(tx, outcome.charge)
      }
      await saveOutcome(tx, cdrId, outcome)
    })
    return { outcome, ...(await ratingOf(cdrId)) }
  }

  /** The rating state of a CDR: status with reason, and every charge (oldest first). */
  const ratingOf = async (cdrId: string) => {
    await requireCdr(cdrId)
    const [status, history] = await Promise.all([repo.findRatingStatus(db, cdrId), repo.listChargesOfCdr(db, cdrId)])
    return { status: status ?? null, charges: history, active: history.find((c) => c.supersededBy === null) ?? null }
  }


  /** A CDR-shaped OCPI object for a connector of a Location (quotes and live estimates). */
  const cdrLike = (location: Location, at: { evseUid: string; connectorId: string; powerType: string }, p: { id: string; start: Date; end: Date; currency: string; kwh: number; totalCost: { excl_vat: number; incl_vat?: number } }) => ({
    country_code: location.country_code, party_id: location.party_id, id: p.id,
    start_date_time: p.start.toISOString(), end_date_time: p.end.toISOString(), currency: p.currency,
    cdr_location: { id: location.id, country: location.country, evse_uid: at.evseUid, connector_id: at.connectorId, connector_power_type: at.powerType },
    total_cost: p.totalCost, total_energy: p.kwh,
  })

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
    const contract = await lookups.contractOfCustomer(input.customerId, utcDayOf(now))
    if (!contract) throw notFound('contract_not_found', 'You have no contract that can charge today')
    const location = await lookups.location(input.countryCode, input.partyId, input.locationId)
    const evse = location?.evses?.find((e) => e.uid.toUpperCase() === input.evseUid.toUpperCase())
    if (!location || !evse) throw notFound('evse_not_found', `No EVSE ${input.evseUid} at ${input.countryCode}/${input.partyId}/${input.locationId}`)
    const version = catalogVersionAt(catalog, contract.homeMarket, now.getTime())
    if (!version) throw conflict('no_catalog_version', `No ${contract.homeMarket} price list is valid now`)
    const connectors: ConnectorQuote[] = []
    for (const connector of evse.connectors) {
      const tariff = await connectorTariff(location, connector.tariff_ids ?? [], now)
      // A non-zero probe total: a quote cannot know whether the session will be free.
      const probe = cdrLike(location, { evseUid: evse.uid, connectorId: connector.id, powerType: connector.power_type }, { id: 'QUOTE', start: now, end: now, currency: tariff?.currency ?? 'EUR', kwh: 0, totalCost: { excl_vat: 1, incl_vat: 1 } })
      const parsed = fromOcpiRatingCase({ contract: contractCase(contract), cdr: probe, location })
      if (!parsed.ok) throw conflict('cannot_quote', `${parsed.error.field}: ${parsed.error.message}`)
      const ctx = buildContext(parsed.value.contract, parsed.value.cdr, parsed.value.location, version, operators)
      const decision = chooseRule(ctx)
      const base = { connectorId: connector.id, powerType: connector.power_type, maxPowerW: connector.max_electric_power ?? connector.max_voltage * connector.max_amperage, rule: decision.rule }
      if (decision.rule === 'fixed_price' || decision.rule === 'operator_deal' || decision.rule === 'partner_network') {
        const prices = decision.rule === 'fixed_price' ? decision.prices : decision.deal.prices
        const q = fixedQuote(ctx.powerClass === 'DC' ? prices.dc : prices.ac, prices.currency)
        connectors.push({ ...base, basis: 'FIXED_PRICE', currency: prices.currency, fixed: q.fixed, operatorTariff: null, text: q.text })
      } else if (decision.rule === 'ionity_plus_hpc') {
        const perKwh = dec(decision.plus.hpcPerKwh)
        connectors.push({ ...base, basis: 'FIXED_PRICE', currency: decision.plus.currency, fixed: { perKwh, perMinute: [], sessionFee: null, blocking: null }, operatorTariff: null, text: [`IONITY Plus: ${money(perKwh, decision.plus.currency)} per kWh, nothing else.`] })
      } else {
        const q = operatorQuote(decision, tariff)
        connectors.push({ ...base, basis: 'OPERATOR_TARIFF', currency: tariff?.currency ?? null, fixed: null, ...q })
      }
    }
    return { contractId: contract.contractId, catalogVersion: `${version.homeMarket}@${version.validFrom}`, asOf: now, connectors }
  }

  /** The operator's amount so far: its tariff priced by the pricing core, else the Session's own total_cost. */
  const operatorCostSoFar = async (session: NonNullable<Awaited<ReturnType<RatingDeps['sessions']['findByKey']>>>, location: Location, tariffIds: string[], end: Date) => {
    const tariffs: Tariff[] = []
    for (const id of tariffIds) {
      const t = await lookups.tariffAt(session.countryCode, session.partyId, id, session.startDateTime)
      if (t) tariffs.push(t)
    }
    if (tariffs.length > 0 && (session.session.charging_periods ?? []).length > 0) {
      const pricing = fromOcpiPricingCase({ tariffs, cdr: { ...session.session, end_date_time: end.toISOString() }, location })
      const priced = pricing.ok ? priceCdr(pricing.value) : pricing
      if (priced.ok) {
        const total = priced.value.totals.totalCost
        return { source: 'TARIFF' as const, totalCost: { excl_vat: Number(total.exclVat.toFixed(4)), incl_vat: Number(total.inclVat.toFixed(4)) } }
      }
    }
    const own = session.session.total_cost
    if (own) return { source: 'SESSION' as const, totalCost: { excl_vat: own.excl_vat, ...(own.incl_vat == null ? {} : { incl_vat: own.incl_vat }) } }
    // Unknown: fixed prices need no operator amount; operator-priced rules then fail with missing_incl_vat.
    return { source: 'NONE' as const, totalCost: { excl_vat: 1 } }
  }

  /** The charge of the session's CDR, once one has been rated. */
  const ratedChargeOfSession = async (key: SessionKey, contractId: string, from: Date) => {
    const { items } = await deps.cdrs.list({ contractId, receivedFrom: from, offset: 0, limit: 100 })
    const cdr = items.find((c) => c.sessionId === key.sessionId.toUpperCase() && c.countryCode === key.countryCode.toUpperCase() && c.partyId === key.partyId.toUpperCase())
    return cdr ? repo.findActiveCharge(db, cdr.id) : undefined
  }

  /**
   * Live cost of a session for the app (OCPI 2.2.1 §9 Sessions): rated with the customer's plan from
   * the latest session data, marked as an estimate until the CDR is rated (then its charge).
   */
  const estimateSession = async (input: { customerId: string; sessionKey: SessionKey }): Promise<SessionEstimate> => {
    const session = await deps.sessions.findByKey(input.sessionKey)
    const day = session && utcDayOf(session.startDateTime)
    const contract = session && day && ((await lookups.contractOfToken(session.token.uid, session.token.type, day)) ?? (await lookups.contractById(session.token.contractId, day)))
    if (!session || !contract || contract.customerId !== input.customerId) throw notFound('session_not_found', 'No such session')
    const asOf = session.endDateTime ?? clock.now()
    const charge = await ratedChargeOfSession(input.sessionKey, session.token.contractId, session.startDateTime)
    if (charge) return { estimate: false, asOf: charge.cdrEnd, currency: charge.currency, total: charge.total, rule: charge.rule, lines: charge.lines, operatorCostSource: 'NONE', reason: null }
    const none = (reason: string, source: SessionEstimate['operatorCostSource'] = 'NONE'): SessionEstimate => ({ estimate: true, asOf, currency: null, total: null, rule: null, lines: [], operatorCostSource: source, reason })
    const location = await lookups.location(session.countryCode, session.partyId, session.locationId)
    const connector = location?.evses?.find((e) => e.uid.toUpperCase() === session.evseUid.toUpperCase())?.connectors.find((c) => c.id.toUpperCase() === session.connectorId.toUpperCase())
    if (!location || !connector) return none('The charging station is not known yet')
    const tariffIds = [...new Set([...(session.session.charging_periods ?? []).flatMap((p) => (p.tariff_id ? [p.tariff_id] : [])), ...(connector.tariff_ids ?? [])])]
    const operator = await operatorCostSoFar(session, location, tariffIds, asOf)
    const cdr = cdrLike(location, { evseUid: session.evseUid, connectorId: connector.id, powerType: connector.power_type }, { id: session.sessionId, start: session.startDateTime, end: asOf, currency: session.currency, kwh: session.kwh.toNumber(), totalCost: operator.totalCost })
    const parsed = fromOcpiRatingCase({ contract: contractCase(contract), cdr, location })
    if (!parsed.ok) return none(`${parsed.error.field}: ${parsed.error.message}`, operator.source)
    const { contract: c, cdr: ratingCdr, location: ratingLocation } = parsed.value
    const rated = rateCdr({ contract: c, cdr: ratingCdr, catalog, operators, ...(ratingLocation ? { location: ratingLocation } : {}) })
    if (!rated.ok) return none(rated.code === 'missing_incl_vat' ? "The operator's price so far is not known yet" : rated.message, operator.source)
    return { estimate: true, asOf, currency: rated.currency, total: rated.total, rule: rated.rule, lines: [...rated.lines], operatorCostSource: operator.source, reason: null }
  }

  return {
    rateReceived,
    rerate,
    ratingOf,
    rateStored,
    quoteEvse,
    estimateSession,
    /**
     * Active charges of a contract whose CDR ended in [endedFrom, endedTo): what billing invoices.
     * Totals and line amounts are Decimals with 2 decimals; a credit CDR's REVERSAL is negative.
     */
    listCharges: (input: ListChargesInput): Promise<Charge[]> => repo.listActiveCharges(db, input),
  }
}

export type RatingService = ReturnType<typeof createRatingService>
