import { desc, and, eq, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { z } from 'zod'
import type { Db } from '../db/client.js'
import { syncRuns } from '../db/schema/index.js'
import { outboundTarget, type CredentialsService, type Partner } from '../ocpi/credentials/index.js'
import type { OcpiClient } from '../ocpi/v221/client.js'
import { describeZodError } from '../ocpi/v221/validation.js'
import type { Clock } from '../platform/clock.js'
import { conflict } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import { pullPages } from './pull.js'
import { forEachLimit } from '../platform/concurrency.js'

/** Writers storing one pulled page at once (the postgres.js pool has 10 connections). */
const STORE_CONCURRENCY = 6

export const SYNC_MODULES = ['locations', 'tariffs', 'sessions', 'cdrs'] as const
export type SyncModule = (typeof SYNC_MODULES)[number]
export type SyncMode = 'full' | 'delta'

/** How one module stores what a pull brings; `markVanished` only for modules whose objects can disappear. */
export interface PullAdapter {
  schema: z.ZodType
  store: (partner: Partner, item: never) => Promise<unknown>
  markVanished?: (partnerId: string, seen: Set<string>) => Promise<number>
}

export interface SyncResult {
  module: SyncModule
  mode: SyncMode
  objects: number
  pages: number
  removed: number
  errors: string[]
  /** False when a page failed: what was stored stays stored, nothing was marked removed. */
  completed: boolean
}

export interface SyncDeps {
  db: Db
  client: Pick<OcpiClient, 'call'>
  credentials: Pick<CredentialsService, 'getPartner'>
  adapters: Partial<Record<SyncModule, PullAdapter>>
  clock: Clock
  ids: Ids
  log: FastifyBaseLogger
  pageLimit: number
  attempts?: number
  backoffMs?: (attempt: number) => number
  sleep?: (ms: number) => Promise<void>
}

/** `CC/PID/ID` of a raw pulled object, even an invalid one, so a bad object is not taken for a vanished one. */
const rawKey = (item: unknown) => {
  const o = (item ?? {}) as Record<string, unknown>
  return [o.country_code, o.party_id, o.id].map((v) => String(v ?? '').toUpperCase()).join('/')
}

/**
 * Pulls a module from a partner's Sender interface (OCPI 2.2.1 "Pull"): full or delta
 * (`date_from` = start of the last completed pull), storing each object as if it had been pushed.
 * Every run is recorded in `sync_runs` with its counts, duration and errors.
 */
export const createSyncService = (deps: SyncDeps) => {
  const { db, clock, log } = deps
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))

  const lastCompletedStart = async (partnerId: string, module: string) => {
    const [row] = await db.select({ at: syncRuns.startedAt }).from(syncRuns)
      .where(and(eq(syncRuns.partnerId, partnerId), eq(syncRuns.module, module), eq(syncRuns.status, 'completed')))
      .orderBy(desc(syncRuns.startedAt)).limit(1)
    return row?.at
  }

  const senderUrl = (partner: Partner, module: SyncModule) => {
    const e = partner.endpoints.find((x) => x.identifier === module && x.role === 'SENDER')
    if (!e) throw conflict('no_sender_endpoint', `Partner ${partner.id} has no ${module} SENDER endpoint`)
    return e.url
  }

  const pull = async (partnerId: string, module: SyncModule, mode: SyncMode, correlationId?: string): Promise<SyncResult> => {
    const adapter = deps.adapters[module]
    if (!adapter) throw conflict('module_not_pullable', `Pulling ${module} is not available`)
    const partner = await deps.credentials.getPartner(partnerId)
    const url = senderUrl(partner, module)
    const target = outboundTarget(partner)
    const dateFrom = mode === 'delta' ? await lastCompletedStart(partnerId, module) : undefined
    const runId = deps.ids.uuid()
    const startedAt = clock.now()
    await db.insert(syncRuns).values({ id: runId, partnerId, module, mode, dateFrom, status: 'running', startedAt })
    const runLog = log.child({ syncRun: runId, partnerId, module, mode })
    const seen = new Set<string>()
    const errors: string[] = []
    let objects = 0
    const outcome = await pullPages({
      client: deps.client, url, target, dateFrom, limit: deps.pageLimit, attempts: deps.attempts ?? 4,
      backoffMs: deps.backoffMs ?? ((n) => Math.min(30_000, 500 * 2 ** (n - 1))), maxRetryAfterMs: 120_000,
      maxPages: 100_000, sleep, log: runLog, correlationId,
      // Objects of a page are independent (each store applies the ordering rule on its own row),
      // so a page is stored by a few writers at once; the pull waits for the whole page.
      onPage: (items) =>
        forEachLimit(items, STORE_CONCURRENCY, async (item) => {
          seen.add(rawKey(item))
          const parsed = adapter.schema.safeParse(item)
          if (!parsed.success) {
            errors.push(`${rawKey(item)}: invalid, skipped: ${describeZodError(parsed.error)}`)
            return
          }
          try {
            await adapter.store(partner, parsed.data as never)
            objects++
          } catch (err) {
            errors.push(`${rawKey(item)}: refused: ${(err as Error).message}`)
          }
        }),
    })
    errors.push(...outcome.errors)
    const removed = outcome.completed && mode === 'full' && adapter.markVanished ? await adapter.markVanished(partnerId, seen) : 0
    const finishedAt = clock.now()
    await db.update(syncRuns)
      .set({ status: outcome.completed ? 'completed' : 'failed', objects, pages: outcome.pages, removed, errors: errors.slice(0, 200), finishedAt })
      .where(eq(syncRuns.id, runId))
    runLog.info({ objects, pages: outcome.pages, removed, errors: errors.length, ms: finishedAt.getTime() - startedAt.getTime() }, 'pull finished')
    return { module, mode, objects, pages: outcome.pages, removed, errors, completed: outcome.completed }
  }

  return {
    pull,
    /** Recent runs of a partner, newest first (the kept results). */
    runs: (partnerId: string, limit = 20) =>
      db.select().from(syncRuns).where(eq(syncRuns.partnerId, partnerId)).orderBy(desc(syncRuns.startedAt), sql`${syncRuns.id}`).limit(limit),
    /** Modules this partner serves as SENDER that we can pull. */
    pullableModules: (partner: Partner) =>
      SYNC_MODULES.filter((m) => deps.adapters[m] && partner.endpoints.some((e) => e.identifier === m && e.role === 'SENDER')),
  }
}

export type SyncService = ReturnType<typeof createSyncService>
