import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { z } from 'zod'

/** OWASP's scrypt minimum (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1 (128 MiB, ~0.35 s per hash here). */
const SCRYPT_COST_MINIMUM = 17

/**
 * The service's configuration, parsed once from the environment at start.
 * This is the only file that reads `process.env`; everything else receives a `Config`.
 * Every variable is documented in `.env.example`.
 */
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v)

const ConfigSchema = z
  .object({
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    NODE_ENV: z.preprocess(emptyToUndefined, z.string().optional()),
    SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(10_000)),
    PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DATABASE_START_TIMEOUT_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(3600).default(60)),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    PARTY_COUNTRY_CODE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z]{2}$/, 'two upper-case letters')
        .default('DE'),
    ),
    PARTY_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z0-9]{3}$/, 'three upper-case letters or digits')
        .default('BMW'),
    ),
    PARTY_NAME: z.preprocess(emptyToUndefined, z.string().min(1).max(100).default('BMW Charging')),
    PARTY_WEBSITE: z.preprocess(emptyToUndefined, z.url().optional()),
    OCPI_PAGE_LIMIT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
    OCPI_HTTP_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).default(5000)),
    OCPI_COMMAND_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).default(3000)),
    BODY_LIMIT_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).default(1_048_576)),
    JOBS_POLL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).default(500)),
    JOBS_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).default(60_000)),
    JOBS_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(32).optional()),
    JOBS_LOCAL_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(32).optional()),
    JOBS_PARTNER_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(32).optional()),
    JOBS_PARTNER_CAP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(32).default(2)),
    JOBS_CLAIM_BATCH: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(8)),
    JOBS_BATCH_CLAIM: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(32)),
    JOBS_RETENTION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(1).default(72)),
    APP_JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    APP_JWKS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    APP_JWT_ISSUER: z.preprocess(emptyToUndefined, z.string().optional()),
    APP_JWT_AUDIENCE: z.preprocess(emptyToUndefined, z.string().optional()),
    APP_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(120)),
    APP_STREAMS_PER_CUSTOMER: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(5)),
    APP_STREAMS_TOTAL: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(1000)),
    APP_MAP_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(8)),
    SESSION_MAX_PERIODS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(200).default(2000)),
    SYNC_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(900_000)),
    SYNC_HORIZON_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(60)),
    TOKENS_PUSH_GIVE_UP_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(1).default(72)),
    COMMAND_TIMEOUT_GRACE_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(3600).default(10)),
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    AUDIT_TOLERANCE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'a non-negative decimal, e.g. 0.01')
        .default('0.01'),
    ),
    CDR_MAX_POWER_AC_KW: z.preprocess(emptyToUndefined, z.coerce.number().positive().default(44)),
    CDR_MAX_POWER_DC_KW: z.preprocess(emptyToUndefined, z.coerce.number().positive().default(400)),
    CDR_MAX_SESSION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().positive().default(72)),
    CDR_CLOCK_SKEW_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(300)),
    CDR_MAX_TOTAL_COST: z.preprocess(emptyToUndefined, z.coerce.number().positive().default(1_000_000)),
    // The seller printed on every invoice (EU VAT invoice: name, address, VAT id). Defaults are for development.
    SELLER_BRAND: z.preprocess(emptyToUndefined, z.string().min(1).max(100).default('BMW Charging')),
    SELLER_NAME: z.preprocess(emptyToUndefined, z.string().min(1).max(200).default('Digital Charging Solutions GmbH')),
    SELLER_STREET: z.preprocess(emptyToUndefined, z.string().min(1).max(200).default('Rosenstraße 18-19')),
    SELLER_POSTAL_CODE: z.preprocess(emptyToUndefined, z.string().min(1).max(20).default('10178')),
    SELLER_CITY: z.preprocess(emptyToUndefined, z.string().min(1).max(100).default('Berlin')),
    SELLER_COUNTRY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. DE')
        .default('DE'),
    ),
    SELLER_VAT_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z]{2}[0-9A-Z]{2,12}$/, 'a VAT identification number, e.g. DE123456789')
        .default('DE000000000'),
    ),
    SELLER_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    SELLER_IBAN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,32}$/, 'an IBAN, e.g. DE02120300000000202051')
        .optional(),
    ),
    SELLER_BIC: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'a BIC, e.g. BYLADEM1001')
        .optional(),
    ),
    INVOICE_PAYMENT_TERM_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(90).default(14)),
    PORTAL_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    PORTAL_AUTH: z.preprocess(emptyToUndefined, z.enum(['local', 'oidc']).default('local')),
    PORTAL_OIDC_ISSUER: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    PORTAL_OIDC_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
    PORTAL_OIDC_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
    PORTAL_SESSION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.25).max(720).default(8)),
    PORTAL_LOGIN_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(10)),
    PASSWORD_SCRYPT_COST: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(20).default(SCRYPT_COST_MINIMUM)),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().min(3).default('BMW Charging <no-reply@localhost>')),
    SMTP_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^smtps?:\/\/[^/]+/, 'an smtp:// or smtps:// URL')
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.PASSWORD_SCRYPT_COST < SCRYPT_COST_MINIMUM)
      ctx.addIssue({
        code: 'custom',
        path: ['PASSWORD_SCRYPT_COST'],
        message: `must be at least ${SCRYPT_COST_MINIMUM} in production (NODE_ENV=production): OWASP's scrypt minimum is N = 2^17`,
      })
    if (env.NODE_ENV === 'production' && (!env.PUBLIC_URL || isLoopbackUrl(env.PUBLIC_URL))) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: `must be the address partners reach in production (NODE_ENV=production), not ${env.PUBLIC_URL ?? 'unset (http://localhost)'}: partners would be handed an unreachable URL`,
      })
    }
    if (env.PORTAL_AUTH !== 'oidc') return
    if (!(env.PORTAL_OIDC_ISSUER ?? env.APP_JWT_ISSUER))
      ctx.addIssue({
        code: 'custom',
        path: ['PORTAL_OIDC_ISSUER'],
        message: 'PORTAL_AUTH=oidc needs PORTAL_OIDC_ISSUER (or APP_JWT_ISSUER)',
      })
    if (!env.PORTAL_OIDC_CLIENT_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['PORTAL_OIDC_CLIENT_ID'],
        message: 'PORTAL_AUTH=oidc needs the client id registered at the issuer',
      })
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    /** SIGTERM/SIGINT: how long a graceful shutdown may take before the process exits 1 anyway. */
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    /** The base of every URL we hand out; when unset, `http://localhost:<the port we listen on>`. */
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    /** How long start-up waits for an unreachable PostgreSQL (retrying with backoff) before exiting 1. */
    databaseStartTimeoutS: env.DATABASE_START_TIMEOUT_S,
    dataDir: env.DATA_DIR,
    adminToken: env.ADMIN_TOKEN,
    logLevel: env.LOG_LEVEL,
    party: {
      countryCode: env.PARTY_COUNTRY_CODE,
      partyId: env.PARTY_ID,
      name: env.PARTY_NAME,
      website: env.PARTY_WEBSITE,
    },
    ocpi: { pageLimit: env.OCPI_PAGE_LIMIT, httpTimeoutMs: env.OCPI_HTTP_TIMEOUT_MS, commandTimeoutMs: env.OCPI_COMMAND_TIMEOUT_MS },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    jobs: {
      pollMs: env.JOBS_POLL_MS,
      leaseMs: env.JOBS_LEASE_MS,
      /** Workers per lane: `local` (rating, audit, invoices, mail) and `partner` (calls out); JOBS_WORKERS sets both. */
      workers: { local: env.JOBS_LOCAL_WORKERS ?? env.JOBS_WORKERS ?? 4, partner: env.JOBS_PARTNER_WORKERS ?? env.JOBS_WORKERS ?? 4 },
      /** Jobs of one partner running at once per instance, so one slow partner never holds the whole partner lane. */
      partnerCap: env.JOBS_PARTNER_CAP,
      /** Local-lane jobs one worker claims per statement (run one after the other). */
      claimBatch: env.JOBS_CLAIM_BATCH,
      /** Jobs of a queue with a batch handler (rating, audit) claimed per statement: each batch costs a few statements. */
      batchClaim: env.JOBS_BATCH_CLAIM,
      /** Done jobs are deleted this long after they finished; failed jobs are kept for the operator. */
      retentionHours: env.JOBS_RETENTION_HOURS,
    },
    app: {
      jwtSecret: env.APP_JWT_SECRET,
      jwksUrl: env.APP_JWKS_URL,
      issuer: env.APP_JWT_ISSUER,
      audience: env.APP_JWT_AUDIENCE,
      rateLimitPerMinute: env.APP_RATE_LIMIT_PER_MINUTE,
      /** Open event streams (GET …/events) per customer and per process; more answer 429. */
      streams: { perCustomer: env.APP_STREAMS_PER_CUSTOMER, total: env.APP_STREAMS_TOTAL },
      /** Map requests (GET /app/v1/locations) reading the database at once per process; more wait their turn. */
      mapConcurrency: env.APP_MAP_CONCURRENCY,
    },
    /** Charging periods kept per session; over it, older periods are merged (totals kept). */
    sessions: { maxPeriods: env.SESSION_MAX_PERIODS },
    sync: {
      /** Scheduled delta pulls from every partner's Sender interfaces; 0 turns the schedule off. */
      intervalMs: env.SYNC_INTERVAL_MS,
      /** Sessions and CDRs are pulled with `date_from` this many days back (a Sessions Sender requires one). */
      horizonDays: env.SYNC_HORIZON_DAYS,
    },
    tokens: { pushGiveUpHours: env.TOKENS_PUSH_GIVE_UP_HOURS },
    /** Seconds added to a CPO's CommandResponse `timeout` before a command without a result becomes TIMEOUT. */
    commands: { timeoutGraceS: env.COMMAND_TIMEOUT_GRACE_S },
    /** CDR audit: a stated total further than this (CDR currency, a decimal string) from the tariff's is a dispute. */
    audit: { tolerance: env.AUDIT_TOLERANCE },
    /** What a non-credit CDR must stay within to be charged automatically; outside, it is held for an operator. */
    plausibility: {
      maxPowerKwAc: env.CDR_MAX_POWER_AC_KW,
      maxPowerKwDc: env.CDR_MAX_POWER_DC_KW,
      maxSessionHours: env.CDR_MAX_SESSION_HOURS,
      clockSkewS: env.CDR_CLOCK_SKEW_S,
      maxTotalCost: env.CDR_MAX_TOTAL_COST,
    },
    /** Who issues the invoices, and when they are due (issue date + term). */
    invoices: {
      seller: {
        brand: env.SELLER_BRAND,
        name: env.SELLER_NAME,
        street: env.SELLER_STREET,
        postalCode: env.SELLER_POSTAL_CODE,
        city: env.SELLER_CITY,
        country: env.SELLER_COUNTRY,
        vatId: env.SELLER_VAT_ID,
        email: env.SELLER_EMAIL,
        iban: env.SELLER_IBAN?.replace(/\s+/g, ''),
        bic: env.SELLER_BIC,
      },
      paymentTermDays: env.INVOICE_PAYMENT_TERM_DAYS,
    },
    /** GET /metrics answers only with `Authorization: Bearer <token>`; closed (403) without one. */
    metrics: { token: env.METRICS_TOKEN },
    /** The customer area (/portal/). */
    portal: {
      /** Signs CSRF tokens; every instance needs the same one. Unset: a random one per process (a warning at start). */
      secret: env.PORTAL_SECRET,
      /** local: e-mail + password accounts; oidc: OpenID Connect (authorization code + PKCE) at the issuer the app trusts. */
      auth: env.PORTAL_AUTH,
      oidc:
        env.PORTAL_AUTH === 'oidc'
          ? {
              issuer: (env.PORTAL_OIDC_ISSUER ?? env.APP_JWT_ISSUER)!,
              clientId: env.PORTAL_OIDC_CLIENT_ID!,
              clientSecret: env.PORTAL_OIDC_CLIENT_SECRET,
            }
          : undefined,
      sessionHours: env.PORTAL_SESSION_HOURS,
      loginRateLimitPerMinute: env.PORTAL_LOGIN_RATE_LIMIT_PER_MINUTE,
      /** log2 of scrypt's N for new password hashes (17: OWASP's minimum; lower only outside production, e.g. tests). */
      passwordScryptCost: env.PASSWORD_SCRYPT_COST,
    },
    mail: { from: env.MAIL_FROM, smtpUrl: env.SMTP_URL },
  }))

export type Config = z.infer<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const isLoopbackUrl = (url: string) => {
  const host = new URL(url).hostname.toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '0.0.0.0' || /^127\./.test(host)
}

/**
 * The environment completed from an env file: `ENV_FILE`, else `.env` in the working directory (when
 * present). A variable set in the real environment wins over the file's.
 */
export const withEnvFile = (env: Record<string, string | undefined>, file = env.ENV_FILE || '.env'): Record<string, string | undefined> => {
  if (!existsSync(file)) {
    if (env.ENV_FILE) throw new ConfigError([`ENV_FILE: ${file} does not exist`])
    return env
  }
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env }
}

/** Parses an environment (default: `process.env`); throws `ConfigError` naming every bad variable. */
export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`))
  }
  return parsed.data
}

/** Test and script helper: a config from defaults plus overrides, without touching the real environment. */
export const configFrom = (overrides: Record<string, string | undefined>): Config => loadConfig(overrides)
