// CDR audit (issue 6): price each CDR with the operator's tariff and compare with the totals the
// CDR states. The pricing and the comparison are the pure core's (src/pricing auditCdr); this file
// picks the tariffs, stores the result and lists the disputes.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.js'
import { fromOcpiCdr, type CdrsService, type StoredCdr } from '../ocpi/cdrs/index.js'
import type { Location } from '../ocpi/locations/index.js'
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
import { auditTariffCache, compiledTariff, type WireTariff } from './audit-tariffs.js'
import * as repo from './rating.repository.js'
import type { RatingLookups } from './rating.lookups.js'

export type TariffSource = 'STORED' | 'EMBEDDED' | 'NONE'

export interface AuditDeps {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  cdrs: Pick<CdrsService, 'findByIds' | 'resolveNow'>
  tariffs: Pick<TariffsService, 'findTariffsValidAt'>
  lookups: Pick<RatingLookups, 'forBatch'>
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
  const chooseTariffs = (cdr: ChargeDetailRecord, ids: string[], stores: WireTariff[]): TariffChoice & { ids: string[] } => {
    const versions: Tariff[] = []
    const warnings: PricingWarning[] = []
    for (const version of stores) {
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

  /** What the audit reads of a CDR: the CDR completed from what we hold, and its Location. */
  const readCdr = async (stored: StoredCdr, batch: RatingLookups) => {
    const cdr = fromOcpiCdr(await deps.cdrs.resolveNow(stored, batch))
    const location = await batch.location(stored.countryCode, stored.partyId, cdr.location.id)
    return { stored, cdr, location, tariffIds: tariffIdsOf(cdr, location) }
  }

  /**
   * The audit of one CDR (OCPI 2.2.1 §11 Tariffs, the version valid at the CDR's start of every
   * tariff it points at, `versions`): every total the CDR states compared with ours; a difference
   * above the tolerance flags a dispute. Pure: the reads are the caller's.
   */
  const auditRecordOf = (read: Awaited<ReturnType<typeof readCdr>>, versions: WireTariff[]): repo.AuditRecord => {
    const { stored, cdr, location } = read
    const choice = chooseTariffs(cdr, read.tariffIds, versions)
    const claims = claimsOf(cdr)
    const claimed = claimedJson(claims)
    const zone = zoneOf(cdr, location)
    if (choice.source === 'NONE') return notAudited(stored, choice, claimed, 'no tariff stored for the CDR and none embedded in it')
    if (zone === null)
      return notAudited(
        stored,
        choice,
        claimed,
        `time_zone_unknown: no Location held and no zone for country "${cdr.location.country ?? '(none)'}"`,
      )
    const result = auditCdr({
      pricing: pricingInputOf(cdr, choice.tariffs, zone, choice.warnings),
      claimed: claims,
      tolerance: deps.tolerance,
    })
    if (!result.ok) return notAudited(stored, choice, claimed, `${result.error.code}: ${result.error.message}`)
    const r = result.value
    const totalCost = r.differences.find((d) => d.total === 'total_cost' && d.vat === 'excl_vat')
    return {
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

  const logFlagged = (record: repo.AuditRecord) => {
    if (record.flagged)
      deps.log.warn({ cdrId: record.cdrId, difference: record.totalCostDifference }, 'CDR disputed: its totals disagree with the tariff')
  }

  /**
   * The `cdr.audit` jobs of a claimed batch (or one) in a few statements for all of them: the CDRs,
   * what they name (tokens, Locations) and every tariff version in one read each, the results in one
   * write. Throws if any CDR is unknown; the runner then runs each job alone.
   */
  const auditStoredMany = async (cdrIds: string[]) => {
    const ids = [...new Set(cdrIds)]
    const found = await deps.cdrs.findByIds(ids)
    if (found.length !== ids.length) throw notFound('cdr_not_found', `Some of CDRs ${ids.join(', ')} are unknown`)
    const batch = await deps.lookups.forBatch({
      tokens: found.map((c) => ({ uid: c.token.uid, type: c.token.type })),
      contractIds: [],
      locations: found.map((c) => ({ countryCode: c.countryCode, partyId: c.partyId, locationId: c.ocpi.cdr_location.id })),
    })
    const reads = await Promise.all(found.map((stored) => readCdr(stored, batch)))
    const asks = reads.flatMap((r) =>
      r.tariffIds.map((tariffId) => ({
        countryCode: r.stored.countryCode,
        partyId: r.stored.partyId,
        tariffId,
        at: r.stored.startDateTime,
      })),
    )
    const versions = await deps.tariffs.findTariffsValidAt(asks)
    let next = 0
    const records = reads.map((r) => {
      const mine = versions.slice(next, next + r.tariffIds.length)
      next += r.tariffIds.length
      return auditRecordOf(
        r,
        mine.flatMap((v) => (v ? [v] : [])),
      )
    })
    await repo.saveAudits(db, records)
    for (const record of records) logFlagged(record)
  }

  /** The `cdr.audit` job for one CDR (a batch of one); answers the stored result. Re-running gives the same row. */
  const auditStored = async (cdrId: string) => {
    await auditStoredMany([cdrId])
    return fromDbAudit((await repo.findAudit(db, cdrId))!)
  }

  return {
    auditStored,
    auditStoredMany,
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
