import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import { conflict, notFound } from '../../platform/errors.js'
import type { Ids } from '../../platform/ids.js'
import { InvalidParametersError } from '../v221/errors.js'
import { addRole, findPartner, replaceRoles, type Partner, type PartnerRole } from './partners.repository.js'
import { decideRoles, describeWithheld, partyKey, roleKey, type RoleDecision, type RoleRef } from './roles.js'
import * as repo from './roles.repository.js'

/**
 * Which roles a partner holds is the operator's decision (README "Roles"): the roles approved at
 * creation, the first registration's when none were given, and role requests the operator approves.
 * Every change runs under the role lock (`lockRoleChanges`), so two partners can never both be
 * granted one party.
 */
export const createRolesService = (deps: { db: Db; clock: Clock; ids: Pick<Ids, 'uuid'>; onChange: () => void }) => {
  const { db, clock } = deps

  /**
   * Inside a registration's or credentials update's transaction (role lock held, partner row locked):
   * grants what the claim may have, parks the rest for the operator. `refuseHeld` (the partner asks
   * us, nothing is committed on its side yet): a party another partner holds refuses the whole claim
   * with 2001. Otherwise (we asked, the partner has committed already) it is parked like the rest.
   */
  const settleClaim = async (tx: Db, partner: Partner, listed: PartnerRole[], opts: { refuseHeld: boolean }): Promise<RoleDecision> => {
    const now = clock.now()
    // The spec wants each role listed once; a repeat is the same claim (the first one's business details).
    const seen = new Set<string>()
    const claimed = listed.filter((r) => !seen.has(roleKey(r)) && seen.add(roleKey(r)))
    const approved = partner.rolesDecided ? await repo.approvedRolesOf(tx, partner.id) : null
    const heldByOthers = await repo.partiesHeldByOthers(tx, partner.id, claimed, { approved: true })
    const decision = decideRoles(claimed, { approved, heldByOthers })
    const held = decision.withheld.filter((w) => w.reason === 'party_held')
    if (opts.refuseHeld && held.length > 0)
      throw new InvalidParametersError(`Roles refused: ${describeWithheld(held)}; nothing was changed`)
    await replaceRoles(tx, partner.id, decision.granted)
    if (!partner.rolesDecided) await repo.addApprovedRoles(tx, partner.id, decision.granted, 'first_registration', now)
    await repo.withdrawRequests(tx, partner.id, claimed, now)
    await repo.parkRequests(tx, partner.id, decision.withheld, now, deps.ids.uuid)
    return decision
  }

  /** Roles approved when the operator creates a partner; a party another partner holds is a 409. */
  const approveAtCreation = async (tx: Db, partnerId: string, roles: RoleRef[]) => {
    const held = await repo.partiesHeldByOthers(tx, partnerId, roles, { approved: true })
    if (held.size > 0) throw conflict('party_held', `Another partner holds ${[...held].join(', ')}`)
    await repo.addApprovedRoles(tx, partnerId, roles, 'operator', clock.now())
  }

  const pending = async (tx: Db, requestId: string) => {
    const request = await repo.findRequest(tx, requestId, { forUpdate: true })
    if (!request) throw notFound('role_request_not_found', `No role request ${requestId}`)
    if (request.state !== 'PENDING') throw conflict('role_request_decided', `Role request ${requestId} is ${request.state} already`)
    return request
  }

  /**
   * The operator approves a parked role: it joins the partner's approved roles and, while the partner
   * is registered (it claims the role in its current credentials), is granted at once.
   */
  const approve = async (requestId: string, note?: string) => {
    const request = await db.transaction(async (tx) => {
      await repo.lockRoleChanges(tx)
      const held = await pending(tx, requestId)
      const taken = await repo.partiesHeldByOthers(tx, held.partnerId, [held], { approved: true })
      if (taken.size > 0)
        throw conflict('party_held', `Another partner holds ${partyKey(held)}; it cannot be approved for ${held.partnerName}`)
      const at = clock.now()
      await repo.addApprovedRoles(tx, held.partnerId, [held], 'request', at)
      const partner = await findPartner(tx, held.partnerId, { forUpdate: true })
      if (partner?.state === 'REGISTERED')
        await addRole(tx, held.partnerId, {
          role: held.role,
          countryCode: held.countryCode,
          partyId: held.partyId,
          businessDetails: held.businessDetails,
        })
      await repo.decideRequest(tx, requestId, { state: 'APPROVED', note: note ?? null, at })
      return repo.findRequest(tx, requestId)
    })
    deps.onChange()
    return request!
  }

  const refuse = async (requestId: string, note?: string) =>
    db.transaction(async (tx) => {
      await pending(tx, requestId)
      await repo.decideRequest(tx, requestId, { state: 'REFUSED', note: note ?? null, at: clock.now() })
      return (await repo.findRequest(tx, requestId))!
    })

  return {
    settleClaim,
    approveAtCreation,
    approve,
    refuse,
    listRequests: (filter: { partnerId?: string; state?: repo.RoleRequestState }) => repo.listRequests(db, filter),
    approvedRolesOf: (partnerId: string) => repo.approvedRolesOf(db, partnerId),
  }
}

export type RolesService = ReturnType<typeof createRolesService>
