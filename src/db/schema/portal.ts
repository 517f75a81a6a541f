import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Sessions of the customer area (src/portal owns this table). The browser holds a random value in
 * a cookie; the row is keyed by its SHA-256, so a database dump holds no usable session. A row
 * exists once there is something to keep: a login, a registration in progress, an OpenID Connect
 * login under way. Any instance serves any session.
 */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    /** The logged-in customer; null while anonymous (registering, logging in with OpenID Connect). */
    customerId: uuid('customer_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('portal_sessions_customer_idx').on(t.customerId), index('portal_sessions_expires_idx').on(t.expiresAt)],
)
