import { asc, eq, or } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { partnerRoles, partners, type PartnerEndpoint } from '../../db/schema/index.js'

export type PartnerState = 'PENDING' | 'REGISTERED' | 'UNREGISTERED'

export interface PartnerRole {
  role: string
  countryCode: string
  partyId: string
  businessDetails: Record<string, unknown>
}

/** A roaming partner as the rest of the service sees it. Inbound token hashes stay in this file. */
export interface Partner {
  id: string
  name: string
  state: PartnerState
  versionsUrl: string | null
  version: string | null
  endpoints: PartnerEndpoint[]
  roles: PartnerRole[]
  outboundToken: string | null
  outboundEncoding: 'base64' | 'raw'
  registeredAt: Date | null
  /** Whether the roles it may hold are decided (operator, or its first registration); see README "Roles". */
  rolesDecided: boolean
  /**
   * For a hub: the parties it announced through HubClientInfo that no other partner registered
   * directly, i.e. the parties it may act for besides its roles. Empty for others. Filled in by the
   * credentials service (it needs the hubclientinfo module); a repository read leaves it empty.
   */
  hubParties: { countryCode: string; partyId: string }[]
  createdAt: Date
  updatedAt: Date
}

/** Which of a partner's tokens a request carried. */
export type TokenKind = 'A' | 'CURRENT' | 'PENDING'

type PartnerRow = typeof partners.$inferSelect
type RoleRow = typeof partnerRoles.$inferSelect

const fromDbPartner = (row: PartnerRow, roles: RoleRow[]): Partner => ({
  id: row.id,
  name: row.name,
  state: row.state as PartnerState,
  versionsUrl: row.versionsUrl,
  version: row.version,
  endpoints: row.endpoints,
  roles: roles.map((r) => ({ role: r.role, countryCode: r.countryCode, partyId: r.partyId, businessDetails: r.businessDetails })),
  outboundToken: row.outboundToken,
  outboundEncoding: row.outboundEncoding === 'raw' ? 'raw' : 'base64',
  registeredAt: row.registeredAt,
  rolesDecided: row.rolesDecided,
  hubParties: [],
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

const byParty = [asc(partnerRoles.countryCode), asc(partnerRoles.partyId), asc(partnerRoles.role)]
const rolesOf = (db: Db, partnerId: string) =>
  db
    .select()
    .from(partnerRoles)
    .where(eq(partnerRoles.partnerId, partnerId))
    .orderBy(...byParty)

export const insertPartner = async (db: Db, p: { id: string; name: string; tokenAHash: string; rolesDecided: boolean; at: Date }) => {
  await db.insert(partners).values({
    id: p.id,
    name: p.name,
    state: 'PENDING',
    tokenAHash: p.tokenAHash,
    rolesDecided: p.rolesDecided,
    createdAt: p.at,
    updatedAt: p.at,
  })
}

/** `forUpdate` locks the partner row for the rest of the transaction (registrations serialize on it). */
export const findPartner = async (db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<Partner | undefined> => {
  const query = db.select().from(partners).where(eq(partners.id, id))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbPartner(row, await rolesOf(db, id)) : undefined
}

export const listPartners = async (db: Db): Promise<Partner[]> => {
  const rows = await db.select().from(partners).orderBy(partners.createdAt)
  const roles = await db
    .select()
    .from(partnerRoles)
    .orderBy(...byParty)
  return rows.map((row) =>
    fromDbPartner(
      row,
      roles.filter((r) => r.partnerId === row.id),
    ),
  )
}

/** The partner owning a token hash, and which of its tokens it is. Locks the row inside a transaction. */
export const findPartnerByTokenHash = async (
  db: Db,
  hash: string,
  forUpdate = false,
): Promise<{ partner: Partner; kind: TokenKind; hash: string } | undefined> => {
  const query = db
    .select()
    .from(partners)
    .where(or(eq(partners.tokenAHash, hash), eq(partners.inboundTokenHash, hash), eq(partners.pendingInboundTokenHash, hash)))
  const [row] = forUpdate ? await query.for('update') : await query
  if (!row) return undefined
  const kind: TokenKind = row.inboundTokenHash === hash ? 'CURRENT' : row.pendingInboundTokenHash === hash ? 'PENDING' : 'A'
  return { partner: fromDbPartner(row, await rolesOf(db, row.id)), kind, hash }
}

export interface RegistrationUpdate {
  state?: PartnerState
  tokenAHash?: string | null
  inboundTokenHash?: string | null
  pendingInboundTokenHash?: string | null
  outboundToken?: string | null
  outboundEncoding?: 'base64' | 'raw'
  versionsUrl?: string | null
  version?: string | null
  endpoints?: PartnerEndpoint[]
  registeredAt?: Date | null
  rolesDecided?: boolean
  at: Date
}

export const updatePartner = async (db: Db, id: string, update: RegistrationUpdate) => {
  const { at, ...fields } = update
  await db
    .update(partners)
    .set({ ...fields, updatedAt: at })
    .where(eq(partners.id, id))
}

/** Replaces the partner's roles. A party already claimed by another partner makes this fail. */
export const replaceRoles = async (db: Db, partnerId: string, roles: PartnerRole[]) => {
  await db.delete(partnerRoles).where(eq(partnerRoles.partnerId, partnerId))
  if (roles.length > 0) await db.insert(partnerRoles).values(roles.map((r) => ({ partnerId, ...r })))
}

/** Grants one more role (an approved request of a registered partner); a role it holds already is kept. */
export const addRole = async (db: Db, partnerId: string, role: PartnerRole) => {
  await db
    .insert(partnerRoles)
    .values({ partnerId, ...role })
    .onConflictDoNothing()
}
