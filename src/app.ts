import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { Dispatcher } from 'undici'
import { customersRoutes } from './admin/customers.routes.js'
import { partnersRoutes } from './admin/partners.routes.js'
import { appTokenRoutes } from './admin/app-tokens.routes.js'
import { createAppAuth } from './app-api/auth.js'
import { customerIdOf, registerAppSurface } from './app-api/surface.js'
import { registerAdminSurface } from './admin/surface.js'
import { syncRoutes } from './admin/sync.routes.js'
import { tokensAdminRoutes } from './admin/tokens.routes.js'
import type { Config } from './config.js'
import { createCustomersModule } from './customers/index.js'
import { findCustomer } from './customers/customers.repository.js'
import type { Database } from './db/client.js'
import { dbPlugin } from './db/plugin.js'
import { createEventBus } from './platform/events.js'
import { createBulkhead } from './platform/concurrency.js'
import { createJobRunner, type JobRunner } from './jobs/runner.js'
import { createJobsCleanup } from './jobs/cleanup.js'
import { registerMetrics } from './metrics/index.js'
import { registerConsole } from './console/index.js'
import { cdrFactsFrom, createCdrsModule } from './ocpi/cdrs/index.js'
import { createConformanceService } from './ocpi/conformance/index.js'
import { pullIntake, registerTolerantIntake } from './ocpi/intake.js'
import { cdrsAdminRoutes } from './admin/cdrs.routes.js'
import { conformanceRoutes } from './admin/conformance.routes.js'
import { createCredentialsModule, type PartyRef } from './ocpi/credentials/index.js'
import { createHubClientInfoModule } from './ocpi/hubclientinfo/index.js'
import { createAppLocationQueries, createChargingService, createHelpDeskService } from './charging/index.js'
import { createCommandsModule } from './ocpi/commands/index.js'
import { commandsAdminRoutes } from './admin/commands.routes.js'
import { chargingRoutes } from './app-api/charging.routes.js'
import { createEventStreams } from './app-api/streams.js'
import { appLocationsRoutes } from './app-api/locations.routes.js'
import { appSessionsRoutes } from './app-api/sessions.routes.js'
import { createLocationsModule } from './ocpi/locations/index.js'
import { createSessionsModule } from './ocpi/sessions/index.js'
import { registerOcpiSurface } from './ocpi/surface.js'
import { createTariffsModule } from './ocpi/tariffs/index.js'
import { createTokensModule } from './ocpi/tokens/index.js'
import { createOcpiClient } from './ocpi/v221/client.js'
import { createVersionsModule } from './ocpi/versions/index.js'
import { systemClock, type Clock } from './platform/clock.js'
import { createHttpAgent } from './platform/http-client.js'
import { randomIds, type Ids } from './platform/ids.js'
import { frameworkErrorsBySurface, refuseHostileInput } from './platform/hostile-input.js'
import { failure } from './ocpi/v221/envelope.js'
import { OcpiStatus } from './ocpi/v221/status.js'
import { loggerOptions } from './platform/logger.js'
import { SECURITY_SCHEMES, withSecurity } from './platform/openapi.js'
import { createSyncModule } from './ocpi/sync/index.js'
import { createRatingModule, ratingLookups } from './rating/index.js'
import { createBillingModule, createSessionFactsSource } from './billing/index.js'
import { contractStanding, createCustomerQueries } from './customers/index.js'
import { billingRoutes } from './admin/billing.routes.js'
import { appInvoicesRoutes } from './app-api/invoices.routes.js'
import { appContractRoutes } from './app-api/contract.routes.js'
import { appVouchersRoutes } from './app-api/vouchers.routes.js'
import { ratingRoutes } from './admin/rating.routes.js'
import { disputesRoutes } from './admin/disputes.routes.js'
import { priceRoutes } from './app-api/price.routes.js'
import { Dec } from './pricing/index.js'
import { LocationSchema } from './ocpi/locations/locations.schema.js'
import { TariffSchema } from './ocpi/tariffs/tariffs.schema.js'
import { SessionSchema } from './ocpi/sessions/sessions.schema.js'
import { CdrIntakeSchema } from './ocpi/cdrs/cdrs.schema.js'
import { deviationsOf } from './ocpi/v221/intake.js'
import { createMailModule } from './mail/index.js'
import { mailRoutes } from './admin/mail.routes.js'
import { jobsRoutes } from './admin/jobs.routes.js'
import { registerPortal } from './portal/index.js'
import { drainOnClose } from './shutdown.js'

export interface AppOptions {
  config: Config
  database: Database
  clock?: Clock
  ids?: Ids
  /** Outbound HTTP dispatcher; default an undici Agent with the configured timeouts. */
  dispatcher?: Dispatcher
  /** Logger override (tests pass `false` or a level). */
  logger?: FastifyServerOptions['logger']
  /** Close the database when the app closes (default true). */
  closeDatabase?: boolean
  /** Run the background job loop once the app is ready (default true; tests drive jobs with `runDue`). */
  startJobs?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner
  }
}

const REQUEST_ID = /^[\x21-\x7e]{1,255}$/

/** PUBLIC_URL, or http://localhost:<the port actually bound> (so PORT=0 works). */
export const publicUrl = (app: FastifyInstance, config: Config): string => {
  if (config.publicUrl) return config.publicUrl
  const address = app.server.address()
  const port = address && typeof address === 'object' ? address.port : config.port
  return `http://localhost:${port}`
}

/**
 * Builds the service: infrastructure, then modules, then the API surfaces, in this order.
 * Nothing listens here; `server.ts` does that, tests use `inject` or listen on port 0.
 */
export const buildApp = async (opts: AppOptions): Promise<FastifyInstance> => {
  const { config, database } = opts
  const clock = opts.clock ?? systemClock
  const ids = opts.ids ?? randomIds
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    frameworkErrors: frameworkErrorsBySurface((message) => failure(OcpiStatus.INVALID_PARAMETERS, message, clock.now())),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
  })
  drainOnClose(app)
  app.setValidatorCompiler(validatorCompiler)
  refuseHostileInput(app)
  app.setSerializerCompiler(serializerCompiler)

  // 1. Infrastructure
  await app.register(dbPlugin, { database, closeOnExit: opts.closeDatabase ?? true })
  const dispatcher = opts.dispatcher ?? createHttpAgent(config.ocpi.httpTimeoutMs)
  if (!opts.dispatcher) app.addHook('onClose', () => (dispatcher as { close(): Promise<void> }).close())
  const ocpiClient = createOcpiClient({ dispatcher, ids, log: app.log.child({ component: 'ocpi-client' }) })
  const jobs = createJobRunner({
    db: database.db,
    clock,
    log: app.log.child({ component: 'jobs' }),
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseMs,
    workers: config.jobs.workers,
    partnerCap: config.jobs.partnerCap,
    claimBatch: config.jobs.claimBatch,
    batchClaim: config.jobs.batchClaim,
  })
  app.decorate('jobs', jobs)
  const jobsCleanup = createJobsCleanup({ db: database.db, jobs, clock, retentionHours: config.jobs.retentionHours })
  if (opts.startJobs ?? true)
    app.addHook('onReady', async () => {
      jobs.start()
      await jobsCleanup.start()
    })
  // Half the shutdown bound for running jobs; then their leases are released and the rest of the shutdown has time.
  app.addHook('preClose', () => jobs.stop({ timeoutMs: Math.floor(config.shutdownTimeoutMs / 2) }))
  app.decorateRequest('correlationId', '')
  app.addHook('onRequest', async (req) => {
    const given = req.headers['x-correlation-id']
    req.correlationId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
  })
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id)
    reply.header('x-correlation-id', req.correlationId)
    return payload
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'BMW Charging eMSP',
        description:
          'OCPI 2.2.1 eMSP endpoints (/ocpi), the admin API (/admin/v1), the My BMW app API (/app/v1), metrics and health checks. "Authorize" takes the credential of each surface.',
        version: '0.1.0',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: withSecurity(jsonSchemaTransform),
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  const metrics = registerMetrics(app, { db: database.db, clock, token: config.metrics.token })

  // 2. Modules
  const versions = createVersionsModule(() => publicUrl(app, config))
  const log = app.log
  const onRegistered: Array<(partnerId: string) => Promise<unknown>> = []
  // HubClientInfo imports credentials; credentials asks it which parties a hub announced (bound below).
  const hubParties = { of: async (_partnerId: string): Promise<PartyRef[]> => [] }
  const credentials = createCredentialsModule({
    db: database.db,
    client: ocpiClient,
    registry: versions.registry,
    party: config.party,
    clock,
    ids,
    log,
    onRegistered,
    hubParties: (id) => hubParties.of(id),
  })
  const hubClientInfo = createHubClientInfoModule({
    db: database.db,
    registry: versions.registry,
    clock,
    partners: credentials.service,
    onChanged: credentials.service.forgetCachedCallers,
  })
  hubParties.of = hubClientInfo.service.partiesOf
  const tokens = createTokensModule({
    db: database.db,
    jobs,
    client: ocpiClient,
    registry: versions.registry,
    partners: credentials.service,
    party: config.party,
    clock,
    ids,
    log,
    pushGiveUpHours: config.tokens.pushGiveUpHours,
    contractStanding,
  })
  onRegistered.push(tokens.onPartnerRegistered)
  if (opts.startJobs ?? true) app.addHook('onReady', async () => void (await tokens.expiry.start(clock.now())))
  const customers = createCustomersModule({
    db: database.db,
    tokens: tokens.service,
    partners: credentials.service,
    jobs,
    partyId: config.party.partyId,
    clock,
    ids,
    passwordCost: config.portal.passwordScryptCost,
  })
  const events = createEventBus({ database, log: log.child({ component: 'events' }) })
  app.addHook('onClose', () => events.close())
  const conformance = createConformanceService({ db: database.db, clock, log: log.child({ component: 'conformance' }) })
  const sessions = createSessionsModule({
    db: database.db,
    registry: versions.registry,
    clock,
    ids,
    events,
    conformance,
    maxPeriods: config.sessions.maxPeriods,
  })
  const intake = { clock, receiver: config.party, conformance }
  // Locations are created after CDRs (the order of the endpoints we announce); read lazily.
  const cdrFacts = cdrFactsFrom({
    receiver: config.party,
    tokens: tokens.service,
    locations: { findLocation: (...a) => locations.service.findLocation(...a) },
  })
  const cdrs = createCdrsModule({
    db: database.db,
    registry: versions.registry,
    clock,
    ids,
    jobs,
    receiver: config.party,
    facts: cdrFacts,
    conformance,
  })
  const locations = createLocationsModule({ db: database.db, registry: versions.registry, clock, log })
  const tariffs = createTariffsModule({ db: database.db, registry: versions.registry, clock })
  const appLocations = createAppLocationQueries(database.db)
  const commands = createCommandsModule({
    db: database.db,
    client: ocpiClient,
    jobs,
    clock,
    ids,
    log: log.child({ component: 'commands' }),
    party: config.party,
    registry: versions.registry,
    graceS: config.commands.timeoutGraceS,
    sendTimeoutMs: config.ocpi.commandTimeoutMs,
    partners: credentials.service,
    hubClientInfo: hubClientInfo.service,
    sessions: sessions.service,
    events,
  })
  const charging = createChargingService({
    customers: customers.service,
    tokens: tokens.service,
    sessions: sessions.service,
    locations: appLocations,
    commands: commands.service,
    clock,
  })
  const helpDesk = createHelpDeskService({
    customers: customers.service,
    tokens: tokens.service,
    locations: appLocations,
    commands: commands.service,
  })
  const pulled = pullIntake(intake)
  const sync = createSyncModule({
    db: database.db,
    client: ocpiClient,
    credentials: credentials.service,
    jobs,
    clock,
    ids,
    log: log.child({ component: 'sync' }),
    pageLimit: config.ocpi.pageLimit,
    intervalMs: config.sync.intervalMs,
    horizonDays: config.sync.horizonDays,
    party: config.party,
    adapters: {
      locations: {
        schema: pulled.schema(LocationSchema),
        store: pulled.store('locations', locations.service.storePulled),
        markVanished: locations.service.markVanished,
      },
      tariffs: {
        schema: pulled.schema(TariffSchema),
        store: pulled.store('tariffs', tariffs.service.storePulled),
        markVanished: tariffs.service.markVanished,
      },
      sessions: { schema: pulled.schema(SessionSchema), store: pulled.store('sessions', sessions.service.storePulled) },
      cdrs: { schema: pulled.schema(CdrIntakeSchema), store: (partner, cdr) => cdrs.service.storePulled(partner, cdr, deviationsOf(cdr)) },
    },
  })
  if ((opts.startJobs ?? true) && config.sync.intervalMs > 0) app.addHook('onReady', () => sync.schedule.start())
  const rating = createRatingModule({
    db: database.db,
    clock,
    ids,
    log: log.child({ component: 'rating' }),
    jobs,
    cdrs: cdrs.service,
    sessions: sessions.service,
    tokens: tokens.service,
    customers: customers.service,
    locations: locations.service,
    tariffs: tariffs.service,
    auditTolerance: new Dec(config.audit.tolerance),
    bounds: config.plausibility,
  })

  const billing = createBillingModule({
    db: database.db,
    clock,
    ids,
    log: log.child({ component: 'billing' }),
    jobs,
    charges: rating.service,
    sessions: createSessionFactsSource({
      cdrs: cdrs.service,
      location: ratingLookups({
        tokens: tokens.service,
        customers: customers.service,
        locations: locations.service,
        tariffs: tariffs.service,
      }).location,
    }),
    seller: config.invoices.seller,
    paymentTermDays: config.invoices.paymentTermDays,
    customers: customers.service,
    queries: createCustomerQueries({ db: database.db, clock }),
  })
  if (opts.startJobs ?? true) app.addHook('onReady', async () => void (await billing.run.start(clock.now())))
  // What blocks an invoice is a metric too (issue 17 item 5): per reason, with the age of the oldest block.
  // Both gauges are collected in one scrape: they share one read of the blocked list.
  let blockedRead: ReturnType<typeof billing.runs.countBlocked> | undefined
  const blocked = () =>
    (blockedRead ??= billing.runs.countBlocked().finally(() => {
      blockedRead = undefined
    }))
  metrics.dbGauge(
    'emsp_invoices_blocked',
    'Invoices a run could not make, per reason (admin: GET /admin/v1/blocked-invoices)',
    'reason',
    async () => (await blocked()).map((b) => ({ label: b.reasonCode, value: b.count })),
  )
  metrics.dbGauge('emsp_invoices_blocked_oldest_seconds', 'Age of the oldest blocked invoice, per reason', 'reason', async () =>
    (await blocked()).map((b) => ({
      label: b.reasonCode,
      value: b.oldestSince ? Math.max(0, (clock.now().getTime() - b.oldestSince.getTime()) / 1000) : 0,
    })),
  )
  const appAuth = createAppAuth(config.app, clock, {
    isCustomer: (id) => findCustomer(database.db, id).then((c) => c !== undefined && !c.deletedAt),
  })
  const streams = createEventStreams({ events, limits: config.app.streams })
  // preClose, not onClose: Fastify closes its server first, and that waits for open connections.
  app.addHook('preClose', async () => streams.closeAll())
  metrics.liveGauge('emsp_app_event_streams', 'Event streams (server-sent events) open on this instance', streams.openCount)
  const mail = createMailModule({
    db: database.db,
    jobs,
    clock,
    ids,
    log: log.child({ component: 'mail' }),
    from: config.mail.from,
    smtpUrl: config.mail.smtpUrl,
  })
  app.addHook('onClose', async () => mail.close())

  // 3. Surfaces
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: the database answers' } }, async (req, reply) => {
    try {
      await database.ping()
      return { status: 'ready', database: database.kind }
    } catch (err) {
      req.log.warn({ err }, 'database not reachable')
      return reply.code(503).send({ status: 'unavailable', database: database.kind })
    }
  })
  await app.register(
    async (ocpi) => {
      registerOcpiSurface(ocpi, { credentials: credentials.service, clock, party: config.party })
      registerTolerantIntake(ocpi, intake)
      versions.routes(ocpi, { clock })
      credentials.routes(ocpi)
      tokens.routes(ocpi, { pageLimit: config.ocpi.pageLimit })
      sessions.routes(ocpi)
      cdrs.routes(ocpi)
      locations.routes(ocpi)
      tariffs.routes(ocpi)
      hubClientInfo.routes(ocpi)
      commands.routes(ocpi)
    },
    { prefix: '/ocpi' },
  )
  await app.register(
    async (admin) => {
      registerAdminSurface(admin, { adminToken: config.adminToken })
      partnersRoutes(admin, { credentials: credentials.service })
      customersRoutes(admin, { customers: customers.service })
      tokensAdminRoutes(admin, { tokens: tokens.service })
      syncRoutes(admin, { sync: sync.service })
      appTokenRoutes(admin, { auth: appAuth })
      commandsAdminRoutes(admin, { helpDesk, commands: commands.service })
      ratingRoutes(admin, { rating: rating.service, audit: rating.audit })
      disputesRoutes(admin, { audit: rating.audit })
      cdrsAdminRoutes(admin, { rating: rating.service })
      conformanceRoutes(admin, { conformance, partners: credentials.service })
      billingRoutes(admin, { invoices: billing.invoices, vouchers: billing.vouchers, rates: billing.rates, runs: billing.runs, clock })
      mailRoutes(admin, { mail })
      jobsRoutes(admin, { db: database.db, clock, kick: jobs.kick })
    },
    { prefix: '/admin/v1' },
  )
  await app.register(
    async (appApi) => {
      await registerAppSurface(appApi, { auth: appAuth, rateLimitPerMinute: config.app.rateLimitPerMinute })
      appApi.get('/me', { schema: { tags: ['app'], summary: 'The authenticated customer' } }, async (req) => ({
        customer_id: customerIdOf(req),
      }))
      priceRoutes(appApi, { rating: rating.service })
      appLocationsRoutes(appApi, {
        locations: appLocations,
        reachability: commands.reachability,
        bulkhead: createBulkhead(config.app.mapConcurrency),
      })
      chargingRoutes(appApi, { charging, streams })
      appSessionsRoutes(appApi, { charging, clock, rating: rating.service })
      appInvoicesRoutes(appApi, { invoices: billing.invoices })
      appContractRoutes(appApi, { account: billing.account })
      appVouchersRoutes(appApi, { vouchers: billing.vouchers, account: billing.account, clock })
    },
    { prefix: '/app/v1' },
  )
  await app.register(
    (consoleApp) =>
      registerConsole(consoleApp, {
        db: database.db,
        clock,
        log: log.child({ component: 'console' }),
        snapshots: metrics.snapshots,
        partners: credentials.service,
        jobs,
        adminToken: config.adminToken,
      }),
    { prefix: '/console' },
  )
  await app.register(
    (portal) =>
      registerPortal(portal, {
        config: config.portal,
        publicUrl: () => publicUrl(app, config),
        db: database.db,
        clock,
        customers: customers.service,
        accounts: customers.accounts,
        billing: { invoices: billing.invoices, vouchers: billing.vouchers, account: billing.account, offers: billing.offers },
        mail,
        locations: appLocations,
        reachability: commands.reachability,
        rating: rating.service,
      }),
    { prefix: '/portal' },
  )
  return app
}
