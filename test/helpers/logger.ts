import type { FastifyBaseLogger } from 'fastify'
import { pino } from 'pino'

/** A logger that writes nothing, for services and runners under test. */
export const silentLogger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger
