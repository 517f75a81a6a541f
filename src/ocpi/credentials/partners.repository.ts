import { eq, or, sql } from 'drizzle-orm'
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
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

const rolesOf = (db: Db, partnerId: string) => db.select().from(partnerRoles).where(eq(partnerRoles.partnerId, partnerId))

export const insertPartner = async (db: Db, p: { id: string; name: string; tokenAHash: string; at: Date }) => {
  await db.insert(partners).values({
    id: p.id,
    name: p.name,
    state: 'PENDING',
    tokenAHash: p.tokenAHash,
    createdAt: p.at,
    updatedAt: p.at,
  })
}

export const findPartner = async (db: Db, id: string): Promise<Partner | undefined> => {
  const [row] = await db.select().from(partners).where(eq(partners.id, id))
  return row ? fromDbPartner(row, await rolesOf(db, id)) : undefined
}

export const listPartners = async (db: Db): Promise<Partner[]> => {
  const rows = await db.select().from(partners).orderBy(partners.createdAt)
  const roles = await db.select().from(partnerRoles)
  return rows.map((row) => fromDbPartner(row, roles.filter((r) => r.partnerId === row.id)))
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

/** The partner (other than `partnerId`) that already holds one of these party roles, if any. */
export const findRoleConflict = async (db: Db, partnerId: string, roles: PartnerRole[]) => {
  for (const r of roles) {
    const [row] = await db
      .select({ partnerId: partnerRoles.partnerId })
      .from(partnerRoles)
      .where(
        sql`${partnerRoles.countryCode} = ${r.countryCode} and ${partnerRoles.partyId} = ${r.partyId} and ${partnerRoles.role} = ${r.role} and ${partnerRoles.partnerId} <> ${partnerId}`,
      )
    if (row) return r
  }
  return undefined
}
