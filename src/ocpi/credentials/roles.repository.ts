// SQL of role approval: the roles a partner may hold, the requests parked for the operator, and
// who holds a party.
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'
import { partnerApprovedRoles, partnerRoleRequests, partners } from '../../db/schema/index.js'
import type { PartnerRole } from './partners.repository.js'
import type { RoleRef, RoleRequestReason } from './roles.js'

export type RoleRequestState = 'PENDING' | 'APPROVED' | 'REFUSED' | 'WITHDRAWN'

export interface RoleRequest {
  id: string
  partnerId: string
  partnerName: string
  role: string
  countryCode: string
  partyId: string
  businessDetails: Record<string, unknown>
  reason: RoleRequestReason
  state: RoleRequestState
  note: string | null
  requestedAt: Date
  decidedAt: Date | null
}

/**
 * Serializes every change of who holds which role (registrations, approvals, partners created with
 * roles) across connections and instances: "is this party free?" and the grant are then one step.
 * A transaction-scoped advisory lock: released at commit or rollback.
 */
export const lockRoleChanges = async (tx: Db) => {
  await tx.execute(sql`select pg_advisory_xact_lock(72210016)`)
}

export const approvedRolesOf = async (db: Db, partnerId: string): Promise<RoleRef[]> =>
  db
    .select({ role: partnerApprovedRoles.role, countryCode: partnerApprovedRoles.countryCode, partyId: partnerApprovedRoles.partyId })
    .from(partnerApprovedRoles)
    .where(eq(partnerApprovedRoles.partnerId, partnerId))
    .orderBy(asc(partnerApprovedRoles.countryCode), asc(partnerApprovedRoles.partyId), asc(partnerApprovedRoles.role))

export const addApprovedRoles = async (db: Db, partnerId: string, roles: RoleRef[], source: string, at: Date) => {
  if (roles.length === 0) return
  await db
    .insert(partnerApprovedRoles)
    .values(roles.map((r) => ({ partnerId, role: r.role, countryCode: r.countryCode, partyId: r.partyId, source, approvedAt: at })))
    .onConflictDoNothing()
}

/**
 * Which of these parties (`CC/PID`) a partner other than `partnerId` holds: a role granted to it
 * (it registered the party directly) or, with `approved`, a role the operator approved for it
 * (reserved, even before it registers), unless that partner is unregistered.
 */
export const partiesHeldByOthers = async (
  db: Db,
  partnerId: string,
  parties: { countryCode: string; partyId: string }[],
  opts: { approved: boolean },
) => {
  if (parties.length === 0) return new Set<string>()
  const wanted = JSON.stringify(parties.map((p) => `${p.countryCode}/${p.partyId}`))
  const rows = await execRows<{ party: string }>(
    db,
    sql`select r.country_code || '/' || r.party_id as party from partner_roles r
        where r.partner_id <> ${partnerId} and r.country_code || '/' || r.party_id in (select jsonb_array_elements_text(${wanted}::text::jsonb))
      ${
        opts.approved
          ? sql`union select a.country_code || '/' || a.party_id from partner_approved_roles a join partners p on p.id = a.partner_id
            where a.partner_id <> ${partnerId} and p.state <> 'UNREGISTERED'
              and a.country_code || '/' || a.party_id in (select jsonb_array_elements_text(${wanted}::text::jsonb))`
          : sql``
      }`,
  )
  return new Set(rows.map((r) => r.party))
}

/** Parks claimed roles for the operator; a role already pending is refreshed, not duplicated. */
export const parkRequests = async (
  db: Db,
  partnerId: string,
  withheld: { role: PartnerRole; reason: RoleRequestReason }[],
  at: Date,
  newId: () => string,
) => {
  for (const { role, reason } of withheld) {
    await db.execute(sql`insert into partner_role_requests (id, partner_id, role, country_code, party_id, business_details, reason, state, requested_at)
      values (${newId()}, ${partnerId}, ${role.role}, ${role.countryCode}, ${role.partyId}, ${JSON.stringify(role.businessDetails)}::text::jsonb, ${reason}, 'PENDING', ${at.toISOString()}::timestamptz)
      on conflict (partner_id, role, country_code, party_id) where state = 'PENDING'
      do update set business_details = excluded.business_details, reason = excluded.reason`)
  }
}

/** Pending requests the partner no longer claims are withdrawn (its credentials changed). */
export const withdrawRequests = async (db: Db, partnerId: string, stillClaimed: RoleRef[], at: Date) => {
  const keep = JSON.stringify(stillClaimed.map((r) => `${r.role}:${r.countryCode}/${r.partyId}`))
  await db.execute(sql`update partner_role_requests set state = 'WITHDRAWN', decided_at = ${at.toISOString()}::timestamptz
    where partner_id = ${partnerId} and state = 'PENDING'
      and role || ':' || country_code || '/' || party_id not in (select jsonb_array_elements_text(${keep}::text::jsonb))`)
}

const requestColumns = {
  id: partnerRoleRequests.id,
  partnerId: partnerRoleRequests.partnerId,
  partnerName: partners.name,
  role: partnerRoleRequests.role,
  countryCode: partnerRoleRequests.countryCode,
  partyId: partnerRoleRequests.partyId,
  businessDetails: partnerRoleRequests.businessDetails,
  reason: partnerRoleRequests.reason,
  state: partnerRoleRequests.state,
  note: partnerRoleRequests.note,
  requestedAt: partnerRoleRequests.requestedAt,
  decidedAt: partnerRoleRequests.decidedAt,
}

const fromDbRequest = (r: { reason: string; state: string } & Omit<RoleRequest, 'reason' | 'state'>): RoleRequest => ({
  ...r,
  reason: r.reason as RoleRequestReason,
  state: r.state as RoleRequestState,
})

/** Role requests, newest first; of one partner and/or in one state. */
export const listRequests = async (db: Db, filter: { partnerId?: string; state?: RoleRequestState; limit?: number }) => {
  const conditions = [
    filter.partnerId === undefined ? undefined : eq(partnerRoleRequests.partnerId, filter.partnerId),
    filter.state === undefined ? undefined : eq(partnerRoleRequests.state, filter.state),
  ].filter((c) => c !== undefined)
  const rows = await db
    .select(requestColumns)
    .from(partnerRoleRequests)
    .innerJoin(partners, eq(partners.id, partnerRoleRequests.partnerId))
    .where(and(...conditions))
    .orderBy(desc(partnerRoleRequests.requestedAt), asc(partnerRoleRequests.id))
    .limit(filter.limit ?? 500)
  return rows.map(fromDbRequest)
}

export const findRequest = async (db: Db, id: string, opts: { forUpdate?: boolean } = {}) => {
  const query = db
    .select(requestColumns)
    .from(partnerRoleRequests)
    .innerJoin(partners, eq(partners.id, partnerRoleRequests.partnerId))
    .where(eq(partnerRoleRequests.id, id))
  const [row] = opts.forUpdate ? await query.for('update', { of: partnerRoleRequests }) : await query
  return row ? fromDbRequest(row) : undefined
}

export const decideRequest = async (db: Db, id: string, d: { state: 'APPROVED' | 'REFUSED'; note: string | null; at: Date }) => {
  await db.update(partnerRoleRequests).set({ state: d.state, note: d.note, decidedAt: d.at }).where(eq(partnerRoleRequests.id, id))
}
