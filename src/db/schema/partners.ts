import { sql } from 'drizzle-orm'
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * A roaming partner: one OCPI connection (a CPO platform or a hub) and its credentials state.
 * Inbound tokens (what the partner sends us) are stored as SHA-256 hashes only; the outbound
 * token (what we send the partner) must be kept in clear to be usable.
 */
export const partners = pgTable(
  'partners',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** PENDING (token A handed out), REGISTERED, UNREGISTERED. */
    state: text('state').notNull(),
    tokenAHash: text('token_a_hash'),
    inboundTokenHash: text('inbound_token_hash'),
    /** A token issued during a rotation we started; valid alongside the current one until the partner confirms. */
    pendingInboundTokenHash: text('pending_inbound_token_hash'),
    outboundToken: text('outbound_token'),
    /** How the Authorization header is encoded when we call the partner: base64 (OCPI 2.2.1) or raw (older peers). */
    outboundEncoding: text('outbound_encoding').notNull().default('base64'),
    versionsUrl: text('versions_url'),
    version: text('version'),
    /** The partner's endpoints for the chosen version: [{ identifier, role, url }]. */
    endpoints: jsonb('endpoints').$type<PartnerEndpoint[]>().notNull().default([]),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }),
    /**
     * False until the roles this partner may hold are decided: by the operator (roles at creation)
     * or by its first registration (the unheld non-HUB roles it claimed). From then on only
     * `partner_approved_roles` are granted; anything else waits in `partner_role_requests`.
     */
    rolesDecided: boolean('roles_decided').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('partners_token_a_hash_idx').on(t.tokenAHash),
    uniqueIndex('partners_inbound_token_hash_idx').on(t.inboundTokenHash),
    uniqueIndex('partners_pending_inbound_token_hash_idx').on(t.pendingInboundTokenHash),
  ],
)

export interface PartnerEndpoint {
  identifier: string
  role: 'SENDER' | 'RECEIVER'
  url: string
}

/** The OCPI CredentialsRoles a partner announced: which parties it may push objects for. */
export const partnerRoles = pgTable(
  'partner_roles',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    businessDetails: jsonb('business_details').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('partner_roles_party_role_idx').on(t.countryCode, t.partyId, t.role),
    index('partner_roles_partner_idx').on(t.partnerId),
  ],
)

/** The roles a partner may claim (the operator's decision, or its first registration's). */
export const partnerApprovedRoles = pgTable(
  'partner_approved_roles',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    /** operator (roles at creation), first_registration, request (an approved role request), migration. */
    source: text('source').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.role, t.countryCode, t.partyId] }),
    index('partner_approved_roles_party_idx').on(t.countryCode, t.partyId),
  ],
)

/** A role a partner claimed that was not granted: parked for the operator's approval. */
export const partnerRoleRequests = pgTable(
  'partner_role_requests',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    businessDetails: jsonb('business_details').$type<Record<string, unknown>>().notNull(),
    /** not_approved, hub_not_approved, party_held. */
    reason: text('reason').notNull(),
    /** PENDING, APPROVED, REFUSED, WITHDRAWN (the partner no longer claims it). */
    state: text('state').notNull(),
    note: text('note'),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('partner_role_requests_pending_idx').on(t.partnerId, t.role, t.countryCode, t.partyId).where(sql`state = 'PENDING'`),
    index('partner_role_requests_state_idx').on(t.state, t.requestedAt),
  ],
)
