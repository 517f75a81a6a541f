// Which of the roles a partner claims in its Credentials it is granted. Pure: no I/O.
// The rule (README "Roles"): the roles a partner may hold are the operator's decision, never the
// partner's. Issue 16, "A partner cannot give itself rights".
import type { PartnerRole } from './partners.repository.js'

/** A role as the operator approves it: role, country code, party id (upper-cased). */
export interface RoleRef {
  role: string
  countryCode: string
  partyId: string
}

/** Why a claimed role was not granted. */
export type RoleRequestReason =
  /** The operator approved other roles for this partner (or the first registration fixed them). */
  | 'not_approved'
  /** HUB acts for many parties: only the operator grants it. */
  | 'hub_not_approved'
  /** Another partner holds this party (registered, or approved for it). */
  | 'party_held'

export const REASON_TEXT: Record<RoleRequestReason, string> = {
  not_approved: 'not among the roles approved for this partner',
  hub_not_approved: "the HUB role needs the operator's approval",
  party_held: 'another partner holds this party',
}

export interface RoleDecision {
  granted: PartnerRole[]
  /** Claimed but not granted, with the reason; the caller refuses or parks them. */
  withheld: { role: PartnerRole; reason: RoleRequestReason }[]
}

export const partyKey = (r: { countryCode: string; partyId: string }) => `${r.countryCode}/${r.partyId}`
export const roleKey = (r: RoleRef) => `${r.role}:${r.countryCode}/${r.partyId}`

/**
 * Decides a claim:
 * - a party another partner holds is never granted (`party_held`);
 * - with approved roles (`approved` not null), exactly those, or a subset, are granted;
 * - before anything is decided (`approved` null: no roles at creation, first registration), any
 *   non-HUB role whose party nobody else holds;
 * - HUB only when approved.
 */
export const decideRoles = (
  claimed: PartnerRole[],
  policy: { approved: RoleRef[] | null; heldByOthers: ReadonlySet<string> },
): RoleDecision => {
  const approved = policy.approved === null ? null : new Set(policy.approved.map(roleKey))
  const decision: RoleDecision = { granted: [], withheld: [] }
  for (const role of claimed) {
    if (policy.heldByOthers.has(partyKey(role))) decision.withheld.push({ role, reason: 'party_held' })
    else if (approved ? approved.has(roleKey(role)) : role.role !== 'HUB') decision.granted.push(role)
    else decision.withheld.push({ role, reason: role.role === 'HUB' ? 'hub_not_approved' : 'not_approved' })
  }
  return decision
}

/** "CPO DE/ION (another partner holds this party)" for messages to the partner and the operator. */
export const describeWithheld = (withheld: RoleDecision['withheld']) =>
  withheld.map((w) => `${w.role.role} ${partyKey(w.role)} (${REASON_TEXT[w.reason]})`).join('; ')
