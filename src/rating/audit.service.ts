// CDR audit (issue 6): price each CDR with the operator's tariff and compare with the totals the
// CDR states. The pricing and the comparison are the pure core's (src/pricing auditCdr); this file
// picks the tariffs, stores the result and lists the disputes.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import { fromOcpiCdr, type CdrsService, type StoredCdr } from '../ocpi/cdrs/index.js'
import type { Location } from '../ocpi/locations/locations.schema.js'
import type { TariffsService } from '../ocpi/tariffs/index.js'
import type { Clock } from '../platform/clock.js'
import { notFound } from '../platform/errors.js'
import {
  auditCdr,
  claimsOf,
  Dec,
  pricingInputOf,
  toOcpiNumber,
  toPricingJson,
  zoneForCountry,
  type AuditReport,
  type ChargeDetailRecord,
  type ClaimedTotals,
  type CostTotals,
  type PricingWarning,
  type Tariff,
} from '../pricing/index.js'
import { auditTariffCache, compiledTariff } from './audit-tariffs.js'
import * as repo from './rating.repository.js'
import type { RatingLookups } from './rating.lookups.js'

export type TariffSource = 'STORED' | 'EMBEDDED' | 'NONE'

export interface AuditDeps {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  cdrs: Pick<CdrsService, 'findById' | 'resolveNow'>
  tariffs: Pick<TariffsService, 'findTariffValidAt'>
  lookups: Pick<RatingLookups, 'location'>
  /** Absolute, in the CDR's currency (AUDIT_TOLERANCE). */
  tolerance: Dec
}

interface TariffChoice {
  source: TariffSource
  /** In the pricing model (stored versions converted, or the CDR's embedded ones). */
  tariffs: Tariff[]
  warnings: PricingWarning[]
}

const sameId = (a: string, b: string | null) => b !== null && a.toUpperCase() === b.toUpperCase()

/** Tariff ids the CDR points at: its own tariffs, its periods' tariff_id, the connector's tariff_ids. */
const tariffIdsOf = (cdr: ChargeDetailRecord, location: Location | undefined): string[] => {
  const ids = new Set<string>()
  for (const t of cdr.tariffs) ids.add(t.id.toUpperCase())
  for (const p of cdr.periods) if (p.tariffId) ids.add(p.tariffId.toUpperCase())
  const evse = location?.evses?.find((e) => sameId(e.uid, cdr.location.evseUid))
  const connector = evse?.connectors.find((c) => sameId(c.id, cdr.location.connectorId))
  for (const id of connector?.tariff_ids ?? []) ids.add(id.toUpperCase())
  return [...ids]
}

const priceJson = (p: { exclVat: Dec; inclVat: Dec | null }) => ({
  excl_vat: toOcpiNumber(p.exclVat),
  incl_vat: p.inclVat === null ? null : toOcpiNumber(p.inclVat),
})

const claimedJson = (c: ClaimedTotals) => Object.fromEntries(Object.entries(c.totals).map(([name, p]) => [name, priceJson(p)]))

const computedJson = (t: CostTotals) => ({
  total_cost: priceJson(t.totalCost),
  total_energy_cost: priceJson(t.totalEnergyCost),
  total_time_cost: priceJson(t.totalTimeCost),
  total_parking_cost: priceJson(t.totalParkingCost),
  total_fixed_cost: priceJson(t.totalFixedCost),
  total_reservation_cost: priceJson(t.totalReservationCost),
})

const differencesJson = (r: AuditReport) =>
  r.differences.map((d) => ({
    total: d.total,
    vat: d.vat,
    claimed: d.claimed.toString(),
    computed: toOcpiNumber(d.computed),
    difference: toOcpiNumber(d.difference),
    exceeds_tolerance: d.exceedsTolerance,
  }))

export const createAuditService = (deps: AuditDeps) => {
  const { db, clock } = deps
  /** Stored tariff versions compiled once, not once per CDR (checked against the stored JSON). */
  const compiled = auditTariffCache()

  /** The stored version valid at the CDR's start of every tariff it points at; else the CDR's own tariffs. */
  const chooseTariffs = async (
    stored: StoredCdr,
    cdr: ChargeDetailRecord,
    location: Location | undefined,
  ): Promise<TariffChoice & { ids: string[] }> => {
    const ids = tariffIdsOf(cdr, location)
    const versions: Tariff[] = []
    const warnings: PricingWarning[] = []
    for (const id of ids) {
      const version = await deps.tariffs.findTariffValidAt(stored.countryCode, stored.partyId, id, stored.startDateTime)
      if (!version) continue
      const { tariff, warnings: compileWarnings } = compiledTariff(compiled, version)
      versions.push(tariff)
      warnings.push(...compileWarnings)
    }
    if (versions.length > 0) return { source: 'STORED', tariffs: versions, warnings, ids: versions.map((t) => t.id) }
    if (cdr.tariffs.length > 0) return { source: 'EMBEDDED', tariffs: cdr.tariffs, warnings: [], ids: cdr.tariffs.map((t) => t.id) }
    return { source: 'NONE', tariffs: [], warnings: [], ids }
  }

  /** The zone every restriction is read in: the stored Location's, else the charging country's. */
  const zoneOf = (cdr: ChargeDetailRecord, location: Location | undefined): string | null =>
    location?.time_zone ?? (cdr.location.country ? zoneForCountry(cdr.location.country) : null)

  const notAudited = (cdr: StoredCdr, choice: TariffChoice & { ids: string[] }, claimed: Record<string, unknown>, reason: string) => ({
    cdrId: cdr.id,
    tariffSource: choice.source,
    tariffIds: choice.ids,
    currency: cdr.currency,
    computedTotals: null,
    claimedTotals: claimed,
    differences: [],
    totalCostDifference: null,
    tolerance: deps.tolerance.toString(),
    flagged: false,
    breakdown: { explanation: [`not audited: ${reason}`] },
    reason,
    auditedAt: clock.now(),
  })

  /**
   * The `cdr.audit` job: prices the CDR with the operator's tariff (OCPI 2.2.1 §11 Tariffs, the
   * version valid at the CDR's start), compares every total the CDR states and stores the result;
   * a difference above the tolerance flags a dispute. Re-running gives the same row.
   */
  const auditStored = async (cdrId: string) => {
    const stored = await deps.cdrs.findById(cdrId)
    if (!stored) throw notFound('cdr_not_found', `No CDR ${cdrId}`)
    const cdr = fromOcpiCdr(await deps.cdrs.resolveNow(stored))
    const location = await deps.lookups.location(stored.countryCode, stored.partyId, cdr.location.id)
    const choice = await chooseTariffs(stored, cdr, location)
    const claims = claimsOf(cdr)
    const claimed = claimedJson(claims)
    const zone = zoneOf(cdr, location)
    let record: repo.AuditRecord
    if (choice.source === 'NONE') record = notAudited(stored, choice, claimed, 'no tariff stored for the CDR and none embedded in it')
    else if (zone === null)
      record = notAudited(
        stored,
        choice,
        claimed,
        `time_zone_unknown: no Location held and no zone for country "${cdr.location.country ?? '(none)'}"`,
      )
    else {
      const result = auditCdr({
        pricing: pricingInputOf(cdr, choice.tariffs, zone, choice.warnings),
        claimed: claims,
        tolerance: deps.tolerance,
      })
      if (!result.ok) record = notAudited(stored, choice, claimed, `${result.error.code}: ${result.error.message}`)
      else {
        const r = result.value
        const totalCost = r.differences.find((d) => d.total === 'total_cost' && d.vat === 'excl_vat')
        record = {
          cdrId: stored.id,
          tariffSource: choice.source,
          tariffIds: choice.ids,
          currency: stored.currency,
          computedTotals: computedJson(r.report.totals),
          claimedTotals: claimed,
          differences: differencesJson(r),
          totalCostDifference: totalCost ? totalCost.difference.toString() : null,
          tolerance: r.tolerance.toString(),
          flagged: r.disputed,
          breakdown: { explanation: r.explanation, pricing: toPricingJson(r.report) },
          reason: null,
          auditedAt: clock.now(),
        }
      }
    }
    await repo.saveAudit(db, record)
    if (record.flagged)
      deps.log.warn({ cdrId, difference: record.totalCostDifference }, 'CDR disputed: its totals disagree with the tariff')
    return fromDbAudit((await repo.findAudit(db, cdrId))!)
  }

  return {
    auditStored,
    /** The audit of one CDR, if it ran. */
    auditOf: async (cdrId: string) => {
      const row = await repo.findAudit(db, cdrId)
      return row ? fromDbAudit(row) : undefined
    },
    /** Flagged audits, newest first (GET /admin/v1/disputes). */
    listDisputes: async (page: { offset: number; limit: number }) => {
      const { rows, total } = await repo.listDisputes(db, page)
      return { items: rows.map(fromDbAudit), total }
    },
  }
}

export interface CdrAudit {
  cdrId: string
  tariffSource: TariffSource
  tariffIds: string[]
  currency: string
  computedTotals: Record<string, unknown> | null
  claimedTotals: Record<string, unknown>
  differences: Record<string, unknown>[]
  totalCostDifference: Dec | null
  tolerance: Dec
  flagged: boolean
  breakdown: Record<string, unknown>
  reason: string | null
  auditedAt: Date
}

const fromDbAudit = (row: repo.AuditRow): CdrAudit => ({
  ...row,
  totalCostDifference: row.totalCostDifference === null ? null : new Dec(row.totalCostDifference),
  tolerance: new Dec(row.tolerance),
})

export type AuditService = ReturnType<typeof createAuditService>
