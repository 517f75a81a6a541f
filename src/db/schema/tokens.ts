import { contracts } from './customers.js'
import { sql } from 'drizzle-orm'
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Our tokens (OCPI Token, we are the owner). `(uid, type)` is unique as in the spec.
 * Country, party and issuer are ours and come from config, so they are not stored.
 * `uid` is a CiString: stored as issued, unique and looked up case-insensitively (`upper(uid)`).
 */
export const tokens = pgTable(
  'tokens',
  {
    uid: text('uid').notNull(),
    type: text('type').notNull(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contracts.contractId),
    visualNumber: text('visual_number'),
    groupId: text('group_id'),
    valid: boolean('valid').notNull(),
    whitelist: text('whitelist').notNull(),
    language: text('language'),
    /** Why the token was blocked (lost, replaced, admin); null while valid. */
    blockedReason: text('blocked_reason'),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.uid, t.type] }),
    uniqueIndex('tokens_uid_ci_idx').on(sql`upper(${t.uid})`, t.type),
    index('tokens_contract_idx').on(t.contractId),
    index('tokens_last_updated_idx').on(t.lastUpdated, t.uid, t.type),
  ],
)

/**
 * Every real-time authorization we answered; the `reference` is what the CPO copies into the
 * Session and CDR (`authorization_reference`), so sessions and CDRs can be matched to it.
 */
export const tokenAuthorizations = pgTable(
  'token_authorizations',
  {
    reference: text('reference').primaryKey(),
    tokenUid: text('token_uid').notNull(),
    tokenType: text('token_type').notNull(),
    contractId: text('contract_id').notNull(),
    partnerId: uuid('partner_id'),
    allowed: text('allowed').notNull(),
    locationId: text('location_id'),
    evseUids: jsonb('evse_uids').$type<string[]>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('token_authorizations_token_idx').on(t.tokenUid, t.tokenType)],
)
