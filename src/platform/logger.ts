import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'

/**
 * pino options for the service. Credentials tokens never reach the log: the Authorization
 * header and every field named like a token are redacted wherever they appear.
 */
export const redactPaths = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'token_a',
  '*.token',
  '*.token_a',
  '*.*.token',
  'body.token',
  'credentials.token',
]

export const loggerOptions = (config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] => ({
  level: config.logLevel,
  redact: { paths: redactPaths, censor: '[REDACTED]' },
})
