import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config.js'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import { badGateway, conflict, DomainError, notFound } from '../../platform/errors.js'
import type { Ids } from '../../platform/ids.js'
import { hashToken, tokenCandidates } from '../v221/auth.js'
import type { OcpiClient } from '../v221/client.js'
import { MethodNotAllowedError, OcpiError } from '../v221/errors.js'
import { discoverVersion, type DiscoveredVersion, type VersionsRegistry } from '../versions/index.js'
import { deleteCredentials, postCredentials, putCredentials } from './credentials.client.js'
import { fromOcpiCredentials, toOcpiCredentials, type PartnerCredentials } from './credentials.convert.js'
import { isHub, type PartyRef } from './party-access.js'
import * as repo from './partners.repository.js'
import type { Partner, PartnerRole, TokenKind } from './partners.repository.js'
import { describeWithheld, partyKey, type RoleDecision, type RoleRef } from './roles.js'
import { lockRoleChanges, partiesHeldByOthers } from './roles.repository.js'
import { createRolesService } from './roles.service.js'

export interface Caller {
  partner: Partner
  kind: TokenKind
  /** The clear token the request carried (echoed by GET /credentials; never stored). */
  token: string
}

export interface CredentialsDeps {
  db: Db
  client: OcpiClient
  registry: Pick<VersionsRegistry, 'versionsUrl'>
  party: Config['party']
  clock: Clock
  ids: Ids
  log: FastifyBaseLogger
  /**
   * Called with the partner id after a registration (either direction) is committed, e.g. so the
   * tokens module re-pushes every token; set by app.ts, so this module imports no other module.
   * A failing listener is logged, never undoes or fails the registration.
   */
  onRegistered?: ReadonlyArray<(partnerId: string) => Promise<unknown> | unknown>
  /**
   * The parties a hub announced through HubClientInfo (set by app.ts from the hubclientinfo module,
   * which imports this one). Without it a hub acts for its own roles only.
   */
  hubParties?: (partnerId: string) => Promise<PartyRef[]>
}

/**
 * The credentials module (OCPI 2.2.1 "Credentials module"): partners, their tokens and both
 * directions of the registration handshake, rotation and unregistering.
 * Outbound calls are never made inside a database transaction: the partner calls us back
 * during the handshake, and the embedded database has a single connection.
 */
export const createCredentialsService = (deps: CredentialsDeps) => {
  const { db, clock, ids } = deps
  const cache = createAuthCache(clock)
  const roles = createRolesService({ db, clock, ids, onChange: () => cache.clear() })

  /**
   * A hub also acts for the parties it announced through HubClientInfo, except those another partner
   * registered directly (README "Roles"). Computed whenever a partner is loaded for a party check.
   */
  const withAccess = async (partner: Partner): Promise<Partner> => {
    if (!isHub(partner) || !deps.hubParties) return partner
    const announced = await deps.hubParties(partner.id)
    const held = await partiesHeldByOthers(db, partner.id, announced, { approved: false })
    return { ...partner, hubParties: announced.filter((p) => !held.has(partyKey(p))) }
  }

  const notifyRegistered = async (partnerId: string) => {
    for (const listener of deps.onRegistered ?? []) {
      try {
        await listener(partnerId)
      } catch (err) {
        deps.log.error({ err, partnerId }, 'a registration listener failed; the registration stands')
      }
    }
  }

  const ourCredentials = (token: string) => toOcpiCredentials(token, deps.registry.versionsUrl(), deps.party)

  /** Maps an Authorization header to the calling partner, or undefined. Cached per header value (see `createAuthCache`). */
  const authenticate = async (header: string | undefined): Promise<Caller | undefined> => {
    if (!header) return undefined
    const cached = cache.get(header)
    if (cached) return cached
    for (const token of tokenCandidates(header)) {
      const found = await repo.findPartnerByTokenHash(db, hashToken(token))
      if (found && found.partner.state !== 'UNREGISTERED') {
        const caller = { partner: await withAccess(found.partner), kind: found.kind, token }
        cache.set(header, caller)
        return caller
      }
    }
    return undefined
  }

  /**
   * A new partner and its token A. `roles` (the operator's decision) are the roles its registration
   * may claim; without them its first registration may claim non-HUB roles of parties nobody holds.
   */
  const createPartner = async (input: { name: string; roles?: RoleRef[] }) => {
    const id = ids.uuid()
    const tokenA = ids.token()
    const approved = input.roles?.map((r) => ({ role: r.role, countryCode: r.countryCode.toUpperCase(), partyId: r.partyId.toUpperCase() }))
    await db.transaction(async (tx) => {
      await lockRoleChanges(tx)
      await repo.insertPartner(tx, {
        id,
        name: input.name,
        tokenAHash: hashToken(tokenA),
        rolesDecided: approved !== undefined,
        at: clock.now(),
      })
      if (approved) await roles.approveAtCreation(tx, id, approved)
    })
    return { id, token_a: tokenA, versions_url: deps.registry.versionsUrl() }
  }

  /** A fresh token A for a partner that is not registered (a lost token A, or re-registering after DELETE). */
  const reissueTokenA = async (partnerId: string) => {
    const partner = await requirePartner(partnerId)
    if (partner.state === 'REGISTERED') throw conflict('partner_registered', 'The partner is registered; unregister it first')
    const tokenA = ids.token()
    await repo.updatePartner(db, partnerId, { state: 'PENDING', tokenAHash: hashToken(tokenA), at: clock.now() })
    cache.clear()
    return { id: partnerId, token_a: tokenA, versions_url: deps.registry.versionsUrl() }
  }

  /** The partner, or undefined when there is none with this id (callers need not catch a 404). */
  const findPartner = async (id: string): Promise<Partner | undefined> => {
    const partner = await repo.findPartner(db, id)
    return partner && withAccess(partner)
  }

  const requirePartner = async (id: string) => {
    const partner = await findPartner(id)
    if (!partner) throw notFound('partner_not_found', `No partner with id ${id}`)
    return partner
  }

  /**
   * Stores a completed registration atomically, with the roles it may have (`settleClaim`; the rest
   * parked for the operator). Concurrent registrations of one partner serialize on its row (and every
   * role change on the role lock): the first wins, the others see its state and are refused with a
   * clear error (405) instead of colliding on a unique index.
   */
  const commitRegistration = async (
    partnerId: string,
    input: { inboundTokenHash: string; outboundToken: string; discovered: DiscoveredVersion; roles: PartnerRole[]; versionsUrl: string },
    expectState: (state: Partner['state']) => void,
    opts: { refuseHeld: boolean },
  ): Promise<RoleDecision> =>
    db.transaction(async (tx) => {
      await lockRoleChanges(tx)
      const current = await repo.findPartner(tx, partnerId, { forUpdate: true })
      if (!current) throw notFound('partner_not_found', `No partner with id ${partnerId}`)
      expectState(current.state)
      const decision = await roles.settleClaim(tx, current, input.roles, opts)
      await repo.updatePartner(tx, partnerId, {
        state: 'REGISTERED',
        tokenAHash: null,
        inboundTokenHash: input.inboundTokenHash,
        pendingInboundTokenHash: null,
        outboundToken: input.outboundToken,
        outboundEncoding: input.discovered.encoding,
        versionsUrl: input.versionsUrl,
        version: input.discovered.version,
        endpoints: input.discovered.endpoints,
        registeredAt: current.registeredAt ?? clock.now(),
        rolesDecided: true,
        at: clock.now(),
      })
      return decision
    })

  /** What the partner is told about roles it claimed and did not get (the OCPI status_message of a 1000). */
  const withheldMessage = (decision: RoleDecision) =>
    decision.withheld.length === 0 ? undefined : `Roles awaiting the operator's approval: ${describeWithheld(decision.withheld)}`

  const logDecision = (partnerId: string, what: string, decision: RoleDecision) =>
    deps.log.info(
      {
        partnerId,
        granted: decision.granted.map((r) => `${r.role} ${partyKey(r)}`),
        withheld: decision.withheld.map((w) => `${w.role.role} ${partyKey(w.role)}: ${w.reason}`),
      },
      what,
    )

  /** POST /credentials: the partner registers with token A (we are the handshake's receiver). */
  const registerFromPartner = async (caller: Caller, body: unknown, correlationId?: string) => {
    if (caller.partner.state === 'REGISTERED')
      throw new MethodNotAllowedError('Already registered; use PUT to update or DELETE to unregister')
    const theirs = fromOcpiCredentials(body)
    const discovered = await discoverVersion(deps.client, theirs.url, theirs.token, { correlationId })
    const tokenC = ids.token()
    const decision = await commitRegistration(
      caller.partner.id,
      { inboundTokenHash: hashToken(tokenC), outboundToken: theirs.token, discovered, roles: theirs.roles, versionsUrl: theirs.url },
      (state) => {
        if (state === 'REGISTERED') throw new MethodNotAllowedError('Already registered (a concurrent registration with this token A won)')
      },
      { refuseHeld: true },
    )
    cache.clear()
    logDecision(caller.partner.id, 'partner registered', decision)
    await notifyRegistered(caller.partner.id)
    return { credentials: ourCredentials(tokenC), message: withheldMessage(decision) }
  }

  /** PUT /credentials: the partner rotates its token or changes endpoints; we issue a new token. */
  const updateFromPartner = async (caller: Caller, body: unknown, correlationId?: string) => {
    if (caller.partner.state !== 'REGISTERED') throw new MethodNotAllowedError('Not registered; use POST to register')
    const theirs = fromOcpiCredentials(body)
    const discovered = await discoverVersion(deps.client, theirs.url, theirs.token, {
      correlationId,
      preferred: caller.partner.outboundEncoding,
    })
    const tokenC = ids.token()
    const decision = await commitRegistration(
      caller.partner.id,
      { inboundTokenHash: hashToken(tokenC), outboundToken: theirs.token, discovered, roles: theirs.roles, versionsUrl: theirs.url },
      (state) => {
        if (state !== 'REGISTERED') throw new MethodNotAllowedError('Not registered')
      },
      { refuseHeld: true },
    )
    cache.clear()
    logDecision(caller.partner.id, 'partner updated its credentials', decision)
    return { credentials: ourCredentials(tokenC), message: withheldMessage(decision) }
  }

  /** DELETE /credentials: the partner unregisters; its tokens die and we stop calling it. */
  const unregisterFromPartner = async (caller: Caller) => {
    if (caller.partner.state !== 'REGISTERED') throw new MethodNotAllowedError('Not registered')
    await markUnregistered(caller.partner.id)
    cache.clear()
    deps.log.info({ partnerId: caller.partner.id }, 'partner unregistered itself')
  }

  const markUnregistered = (partnerId: string) =>
    db.transaction(async (tx) => {
      await repo.replaceRoles(tx, partnerId, [])
      await repo.updatePartner(tx, partnerId, {
        state: 'UNREGISTERED',
        tokenAHash: null,
        inboundTokenHash: null,
        pendingInboundTokenHash: null,
        outboundToken: null,
        at: clock.now(),
      })
    })

  const credentialsEndpoint = (partner: Partner) => {
    const url = partner.endpoints.find((e) => e.identifier === 'credentials')?.url
    if (!url) throw new DomainError('partner_without_credentials_endpoint', 'The partner has no credentials endpoint', 409)
    return url
  }

  /** We initiate: discover the partner with its token A, POST our credentials (token B), keep its token C. */
  const registerWithPartner = async (partnerId: string, input: { versionsUrl: string; token: string }) => {
    const partner = await requirePartner(partnerId)
    if (partner.state === 'REGISTERED') throw conflict('partner_registered', 'The partner is registered already; rotate or unregister it')
    const discovered = await asAdminError(discoverVersion(deps.client, input.versionsUrl, input.token))
    const tokenB = ids.token()
    // The partner calls our versions with token B while our POST is open: it must work before we send it.
    await repo.updatePartner(db, partnerId, { pendingInboundTokenHash: hashToken(tokenB), at: clock.now() })
    let theirs: PartnerCredentials
    try {
      theirs = await asAdminError(
        postCredentials(
          deps.client,
          credentialsEndpoint({ ...partner, endpoints: discovered.endpoints }),
          { token: input.token, encoding: discovered.encoding },
          ourCredentials(tokenB),
        ),
      )
    } catch (err) {
      await repo.updatePartner(db, partnerId, { pendingInboundTokenHash: null, at: clock.now() })
      cache.clear()
      throw err
    }
    const refreshed = await refreshEndpoints(theirs, discovered)
    // The partner has committed already: roles it may not have are parked, never a reason to fail here.
    const decision = await commitRegistration(
      partnerId,
      {
        inboundTokenHash: hashToken(tokenB),
        outboundToken: theirs.token,
        discovered: refreshed,
        roles: theirs.roles,
        versionsUrl: theirs.url,
      },
      () => {},
      { refuseHeld: false },
    )
    cache.clear()
    logDecision(partnerId, 'registered with partner', decision)
    await notifyRegistered(partnerId)
    return requirePartner(partnerId)
  }

  /** After a handshake, read the endpoints again with the token we now hold; keep the first reading if that fails. */
  const refreshEndpoints = async (theirs: PartnerCredentials, fallback: DiscoveredVersion) => {
    try {
      return await discoverVersion(deps.client, theirs.url, theirs.token, { preferred: fallback.encoding })
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'could not re-read partner endpoints with the new token; keeping the first reading')
      return fallback
    }
  }

  /** We rotate: PUT new credentials (token B') to the partner; the old token stays valid until it answers. */
  const rotate = async (partnerId: string) => {
    const partner = await requireRegistered(partnerId)
    const tokenB = ids.token()
    await repo.updatePartner(db, partnerId, { pendingInboundTokenHash: hashToken(tokenB), at: clock.now() })
    let theirs: PartnerCredentials
    try {
      theirs = await asAdminError(
        putCredentials(deps.client, credentialsEndpoint(partner), outboundTarget(partner), ourCredentials(tokenB)),
      )
    } catch (err) {
      await repo.updatePartner(db, partnerId, { pendingInboundTokenHash: null, at: clock.now() })
      cache.clear()
      throw err
    }
    const current = {
      encoding: partner.outboundEncoding,
      versionsUrl: partner.versionsUrl ?? theirs.url,
      version: partner.version ?? '2.2.1',
      endpoints: partner.endpoints,
    }
    const refreshed = await refreshEndpoints(theirs, current)
    const decision = await commitRegistration(
      partnerId,
      {
        inboundTokenHash: hashToken(tokenB),
        outboundToken: theirs.token,
        discovered: refreshed,
        roles: theirs.roles,
        versionsUrl: theirs.url,
      },
      (state) => {
        if (state !== 'REGISTERED') throw conflict('partner_not_registered', 'The partner was unregistered during rotation')
      },
      { refuseHeld: false },
    )
    cache.clear()
    logDecision(partnerId, 'rotated credentials with partner', decision)
    return requirePartner(partnerId)
  }

  /** We unregister: DELETE on the partner's credentials, then forget the tokens. `force` forgets them even if the partner fails. */
  const unregisterWithPartner = async (partnerId: string, opts: { force?: boolean } = {}) => {
    const partner = await requireRegistered(partnerId)
    try {
      await asAdminError(deleteCredentials(deps.client, credentialsEndpoint(partner), outboundTarget(partner)))
    } catch (err) {
      if (!opts.force) throw err
      deps.log.warn({ partnerId, err: (err as Error).message }, 'partner refused DELETE; unregistering locally (force)')
    }
    await markUnregistered(partnerId)
    cache.clear()
    return requirePartner(partnerId)
  }

  const requireRegistered = async (partnerId: string) => {
    const partner = await requirePartner(partnerId)
    if (partner.state !== 'REGISTERED' || !partner.outboundToken) {
      throw conflict('partner_not_registered', 'The partner is not registered')
    }
    return partner
  }

  return {
    authenticate,
    ourCredentials,
    createPartner,
    reissueTokenA,
    getPartner: requirePartner,
    findPartner,
    listPartners: async () => Promise.all((await repo.listPartners(db)).map(withAccess)),
    /** Role requests parked for the operator (README "Roles"). */
    listRoleRequests: roles.listRequests,
    approveRoleRequest: roles.approve,
    refuseRoleRequest: roles.refuse,
    approvedRolesOf: roles.approvedRolesOf,
    /** Whether a partner other than `partnerId` registered this party directly (a hub may not announce it). */
    partyHeldByOther: async (partnerId: string, countryCode: string, partyId: string) =>
      (
        await partiesHeldByOthers(db, partnerId, [{ countryCode: countryCode.toUpperCase(), partyId: partyId.toUpperCase() }], {
          approved: false,
        })
      ).size > 0,
    /** Drops cached callers, so a change of what a partner may do (a hub's ClientInfo) applies at once. */
    forgetCachedCallers: () => cache.clear(),
    registerFromPartner,
    updateFromPartner,
    unregisterFromPartner,
    registerWithPartner,
    rotate,
    unregisterWithPartner,
  }
}

export type CredentialsService = ReturnType<typeof createCredentialsService>

/**
 * Recently authenticated Authorization headers, so the hot OCPI paths (EVSE status PATCHes) skip
 * decoding, hashing and the partner lookup. Keyed by the header value as received (held in this
 * process only, like the request itself). Entries live AUTH_CACHE_TTL_MS; every credentials change
 * in this process clears the cache at once, and another instance sees a rotation or unregistration
 * within the TTL.
 */
const AUTH_CACHE_TTL_MS = 5_000
const AUTH_CACHE_MAX = 10_000
const createAuthCache = (clock: Clock) => {
  const entries = new Map<string, { value: Caller; expires: number }>()
  return {
    get(header: string) {
      const hit = entries.get(header)
      if (!hit) return undefined
      if (hit.expires < clock.now().getTime()) {
        entries.delete(header)
        return undefined
      }
      return hit.value
    },
    set(header: string, value: Caller) {
      if (entries.size >= AUTH_CACHE_MAX) entries.clear()
      entries.set(header, { value, expires: clock.now().getTime() + AUTH_CACHE_TTL_MS })
    },
    clear: () => entries.clear(),
  }
}

/** How we call a registered partner. */
export const outboundTarget = (partner: Partner) => {
  if (!partner.outboundToken) throw conflict('partner_not_registered', `Partner ${partner.id} is not registered`)
  return { token: partner.outboundToken, encoding: partner.outboundEncoding }
}

/** OCPI errors from the partner's side are a bad gateway for the operator calling the admin API. */
const asAdminError = async <T>(work: Promise<T>): Promise<T> => {
  try {
    return await work
  } catch (err) {
    if (err instanceof OcpiError) throw badGateway('partner_api_unusable', err.message)
    throw err
  }
}
