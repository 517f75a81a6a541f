import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * ClientInfo per hub, party and role, as each hub reported it (OCPI 2.2.1 HubClientInfo): what one
 * hub says about a party never overwrites another hub's report, and marks the party reachable
 * through that hub only.
 */
export const clientInfos = pgTable(
  'client_infos',
  {
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    role: text('role').notNull(),
    /** CONNECTED, OFFLINE, PLANNED, SUSPENDED. */
    status: text('status').notNull(),
    partnerId: uuid('partner_id').notNull(),
    lastUpdated: timestamp('last_updated', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.countryCode, t.partyId, t.role] })],
)
