import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import { InvalidParametersError } from '../v221/errors.js'
import type { Deviation } from '../v221/intake.js'
import * as repo from './conformance.repository.js'

export type { DeviationCount } from './conformance.repository.js'

/** The OCPI module an object came through (the report is per module). */
export type IntakeModule = 'cdrs' | 'locations' | 'sessions' | 'tariffs'

/** At most this many deviations are listed in a strict-mode refusal; the rest are counted. */
const LISTED = 10

const refusal = (deviations: readonly Deviation[]) => {
  const lines = deviations.slice(0, LISTED).map((d) => `${d.path}: ${d.kind}${d.received === undefined ? '' : ` (received ${d.received})`}`)
  if (deviations.length > LISTED) lines.push(`... and ${deviations.length - LISTED} more`)
  return `Refused in strict mode, the object deviates from OCPI 2.2.1:\n${lines.join('\n')}`
}

/**
 * The partner conformance report: every deviation the tolerant intake read is counted per partner,
 * module and kind, with a sample, so operators can ask the CPO to fix its feed; a partner in strict
 * mode has deviant objects refused (2001 listing the deviations) instead.
 */
export const createConformanceService = (deps: { db: Db; clock: Clock; log: FastifyBaseLogger }) => {
  const { db, clock } = deps

  /** Counts the deviations of one object (kinds aggregated, the first sample of each kept). */
  const record = async (partnerId: string, module: IntakeModule, objectKey: string | null, deviations: readonly Deviation[]) => {
    const byKind = new Map<string, repo.CountIncrement>()
    for (const d of deviations) {
      const held = byKind.get(d.kind)
      if (held) held.count++
      else byKind.set(d.kind, { module, kind: d.kind, count: 1, path: d.path, received: d.received ?? null, object: objectKey })
    }
    try {
      await repo.addCounts(db, partnerId, clock.now(), [...byKind.values()])
    } catch (err) {
      // The object itself is fine; a lost counter must not refuse it.
      deps.log.warn({ err, partnerId, module }, 'could not count conformance deviations')
    }
  }

  return {
    record,

    /**
     * Called by the intake for every object read with deviations: refuses it (2001) when the partner
     * is in strict mode, else counts them. Objects without deviations cost nothing.
     */
    accept: async (partnerId: string, module: IntakeModule, objectKey: string | null, deviations: readonly Deviation[]) => {
      if (deviations.length === 0) return
      if (await repo.findStrict(db, partnerId)) throw new InvalidParametersError(refusal(deviations))
      await record(partnerId, module, objectKey, deviations)
    },

    isStrict: (partnerId: string) => repo.findStrict(db, partnerId),
    setStrict: (partnerId: string, strict: boolean) => repo.saveStrict(db, partnerId, strict, clock.now()),
    /** The counters of one partner, or of every partner. */
    report: (partnerId?: string) => repo.listCounts(db, partnerId),
    clear: (partnerId: string, module?: string) => repo.clearCounts(db, partnerId, module),
  }
}

export type ConformanceService = ReturnType<typeof createConformanceService>
