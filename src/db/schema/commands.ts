import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Commands we sent to CPOs (OCPI 2.2.1 Commands, eMSP Sender) as a state machine:
 * REQUESTED → ACCEPTED | REJECTED | FAILED, then STARTED (START_SESSION: a session with our
 * authorization_reference exists), SUCCEEDED (other commands: CommandResult ACCEPTED), FAILED,
 * CANCELED or TIMEOUT. The id is the last segment of the unique `response_url` we send.
 */
export const commands = pgTable(
  'commands',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    state: text('state').notNull(),
    /** Stable snake_case reason of the current state (null while nothing went wrong). */
    reason: text('reason'),
    /** `app` (a driver) or `admin` (the help desk). */
    origin: text('origin').notNull(),
    customerId: text('customer_id'),
    contractId: text('contract_id'),
    /** The partner connection the command went to, and the CPO party addressed (OCPI-to-*). */
    partnerId: uuid('partner_id').notNull(),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    locationId: text('location_id'),
    evseUid: text('evse_uid'),
    connectorId: text('connector_id'),
    /** STOP_SESSION: the session to stop; START_SESSION: the session that appeared (upper-cased). */
    sessionId: text('session_id'),
    reservationId: text('reservation_id'),
    /** Upper-cased (CiString), as the sessions table stores it. */
    authorizationReference: text('authorization_reference'),
    /** The command object as sent. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    responseResult: text('response_result'),
    responseTimeoutS: integer('response_timeout_s'),
    responseMessage: jsonb('response_message').$type<unknown[]>(),
    result: text('result'),
    resultMessage: jsonb('result_message').$type<unknown[]>(),
    /** When the command becomes TIMEOUT if no result arrived (the `commands.timeout` job checks it). */
    deadlineAt: timestamp('deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true, mode: 'date' }),
    resultAt: timestamp('result_at', { withTimezone: true, mode: 'date' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('commands_customer_idx').on(t.customerId, t.requestedAt),
    // Outcomes and latency of the last hour (metrics).
    index('commands_requested_at_idx').on(t.requestedAt),
    index('commands_authorization_reference_idx').on(t.authorizationReference).where(sql`authorization_reference is not null`),
  ],
)
