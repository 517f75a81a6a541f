import { desc, and, eq, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { z } from 'zod'
import type { Db } from '../../db/client.js'
import { syncRuns } from '../../db/schema/index.js'
import { addressedParty, outboundTarget, ownsParty, type CredentialsService, type Partner } from '../credentials/index.js'
import { joinUrl, OcpiClientError, type OcpiClient, type RoutingHeaders } from '../v221/client.js'
import { OcpiError } from '../v221/errors.js'
import { isOcpiSuccess, OcpiStatus } from '../v221/status.js'
import { describeZodError } from '../v221/validation.js'
import type { Clock } from '../../platform/clock.js'
import { badGateway, conflict, notFound } from '../../platform/errors.js'
import type { Ids } from '../../platform/ids.js'
import { pullPages } from './pull.js'
import { forEachLimit } from '../../platform/concurrency.js'

/** Writers storing one pulled page at once (the postgres.js pool has 10 connections). */
const STORE_CONCURRENCY = 6

export const SYNC_MODULES = ['locations', 'tariffs', 'sessions', 'cdrs'] as const
export type SyncModule = (typeof SYNC_MODULES)[number]
/**
 * Modules pulled from a horizon, never whole: the Sessions Sender requires `date_from` (OCPI 2.2.1
 * mod_sessions, GET list), and a CPO's CDR history is years long and final (nothing vanishes).
 */
const FROM_HORIZON: ReadonlySet<SyncModule> = new Set(['sessions', 'cdrs'])
const DAY_MS = 86_400_000
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
  /** Our party: OCPI-from-* of every request. */
  party: { countryCode: string; partyId: string }
  /** SYNC_HORIZON_DAYS: sessions and CDRs are pulled from this many days back. */
  horizonDays: number
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

/** OCPI-from = our party; OCPI-to = the party addressed (routing headers on every functional request). */
export const routingTo = (
  ours: { countryCode: string; partyId: string },
  to: { countryCode: string; partyId: string } | undefined,
): RoutingHeaders => ({
  fromCountryCode: ours.countryCode,
  fromPartyId: ours.partyId,
  toCountryCode: to?.countryCode,
  toPartyId: to?.partyId,
})

/**
 * Pulls a module from a partner's Sender interface (OCPI 2.2.1 "Pull"): full or delta
 * (`date_from` = start of the last completed pull), storing each object as if it had been pushed.
 * Sessions and CDRs always carry `date_from`: a full pull starts at the horizon (SYNC_HORIZON_DAYS),
 * as does a partner's first delta pull. Every run is recorded in `sync_runs` with its counts,
 * duration and errors.
 */
export const createSyncService = (deps: SyncDeps) => {
  const { db, clock, log } = deps
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))

  const lastCompletedStart = async (partnerId: string, module: string) => {
    const [row] = await db
      .select({ at: syncRuns.startedAt })
      .from(syncRuns)
      .where(and(eq(syncRuns.partnerId, partnerId), eq(syncRuns.module, module), eq(syncRuns.status, 'completed')))
      .orderBy(desc(syncRuns.startedAt))
      .limit(1)
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
    const horizon = FROM_HORIZON.has(module) ? new Date(clock.now().getTime() - deps.horizonDays * DAY_MS) : undefined
    const dateFrom = (mode === 'delta' ? await lastCompletedStart(partnerId, module) : undefined) ?? horizon
    const runId = deps.ids.uuid()
    const startedAt = clock.now()
    await db.insert(syncRuns).values({ id: runId, partnerId, module, mode, dateFrom, status: 'running', startedAt })
    const runLog = log.child({ syncRun: runId, partnerId, module, mode })
    const seen = new Set<string>()
    const errors: string[] = []
    let objects = 0
    const outcome = await pullPages({
      client: deps.client,
      url,
      target,
      routing: routingTo(deps.party, addressedParty(partner)),
      dateFrom,
      limit: deps.pageLimit,
      attempts: deps.attempts ?? 4,
      backoffMs: deps.backoffMs ?? ((n) => Math.min(30_000, 500 * 2 ** (n - 1))),
      maxRetryAfterMs: 120_000,
      maxPages: 100_000,
      sleep,
      log: runLog,
      correlationId,
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
    await db
      .update(syncRuns)
      .set({
        status: outcome.completed ? 'completed' : 'failed',
        objects,
        pages: outcome.pages,
        removed,
        errors: errors.slice(0, 200),
        finishedAt,
      })
      .where(eq(syncRuns.id, runId))
    runLog.info(
      { objects, pages: outcome.pages, removed, errors: errors.length, ms: finishedAt.getTime() - startedAt.getTime() },
      'pull finished',
    )
    return { module, mode, objects, pages: outcome.pages, removed, errors, completed: outcome.completed }
  }

  /**
   * GET one Location from the partner's Locations Sender (`{url}/{location_id}`, OCPI 2.2.1
   * mod_locations Sender "GET Object"), stored as if pushed. The routing headers name the Location's
   * party: through a hub that is how the CPO to ask is found.
   */
  const pullLocation = async (
    partnerId: string,
    key: { countryCode: string; partyId: string; locationId: string },
    correlationId?: string,
  ) => {
    const adapter = deps.adapters.locations
    if (!adapter) throw conflict('module_not_pullable', 'Pulling locations is not available')
    const partner = await deps.credentials.getPartner(partnerId)
    const what = `location ${key.countryCode}/${key.partyId}/${key.locationId}`
    if (!ownsParty(partner, key.countryCode, key.partyId))
      throw conflict('party_not_of_partner', `${key.countryCode}/${key.partyId} is not a party of partner ${partnerId}`)
    const url = joinUrl(senderUrl(partner, 'locations'), key.locationId)
    let reply
    try {
      reply = await deps.client.call({
        method: 'GET',
        url,
        target: outboundTarget(partner),
        routing: routingTo(deps.party, { countryCode: key.countryCode.toUpperCase(), partyId: key.partyId.toUpperCase() }),
        correlationId,
      })
    } catch (err) {
      if (err instanceof OcpiClientError) throw badGateway('partner_unreachable', err.message)
      throw err
    }
    const status = reply.envelope.status_code
    if (reply.httpStatus === 404 || status === OcpiStatus.UNKNOWN_LOCATION)
      throw notFound('not_at_partner', `The partner does not know ${what}`)
    if (!isOcpiSuccess(status))
      throw badGateway(
        'partner_refused',
        `GET ${url}: HTTP ${reply.httpStatus}, OCPI ${status} ${reply.envelope.status_message ?? ''}`.trim(),
      )
    const parsed = adapter.schema.safeParse(reply.envelope.data)
    if (!parsed.success) throw badGateway('partner_object_invalid', `The partner's ${what} is invalid: ${describeZodError(parsed.error)}`)
    const got = rawKey(parsed.data)
    if (got !== [key.countryCode, key.partyId, key.locationId].join('/').toUpperCase())
      throw badGateway('partner_object_invalid', `Asked for ${what}, the partner answered ${got}`)
    try {
      return { module: 'locations' as const, outcome: String(await adapter.store(partner, parsed.data as never)) }
    } catch (err) {
      if (err instanceof OcpiError) throw conflict('object_refused', err.message)
      throw err
    }
  }

  return {
    pull,
    pullLocation,
    /** Recent runs of a partner, newest first (the kept results). */
    runs: (partnerId: string, limit = 20) =>
      db
        .select()
        .from(syncRuns)
        .where(eq(syncRuns.partnerId, partnerId))
        .orderBy(desc(syncRuns.startedAt), sql`${syncRuns.id}`)
        .limit(limit),
    /** Modules this partner serves as SENDER that we can pull. */
    pullableModules: (partner: Partner) =>
      SYNC_MODULES.filter((m) => deps.adapters[m] && partner.endpoints.some((e) => e.identifier === m && e.role === 'SENDER')),
  }
}

export type SyncService = ReturnType<typeof createSyncService>
