import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { OcpiStatus } from './status.js'

/** The OCPI response envelope: every answer on /ocpi, errors included, has this shape. */
export interface Envelope<T> {
  data?: T
  status_code: number
  status_message?: string
  timestamp: string
}

/** OCPI DateTime as we emit it: UTC, millisecond precision, with `Z`. */
export const toOcpiDateTime = (at: Date): string => at.toISOString()

export const ok = <T>(data: T, at: Date, message?: string): Envelope<T> => ({
  data,
  status_code: OcpiStatus.SUCCESS,
  ...(message ? { status_message: message } : {}),
  timestamp: toOcpiDateTime(at),
})

/** A success without payload (the spec's PUT/PATCH answers and CommandResult acknowledgements). */
export const okEmpty = (at: Date, message?: string): Envelope<never> => ({
  status_code: OcpiStatus.SUCCESS,
  ...(message ? { status_message: message } : {}),
  timestamp: toOcpiDateTime(at),
})

export const failure = (statusCode: number, message: string, at: Date): Envelope<never> => ({
  status_code: statusCode,
  status_message: message,
  timestamp: toOcpiDateTime(at),
})

/** Response schema for the OpenAPI document: an envelope around `data`. */
export const envelopeOf = <T extends z.ZodType>(data: T) =>
  z.object({
    data: data.optional(),
    status_code: z.number().int(),
    status_message: z.string().optional(),
    timestamp: z.string(),
  })

/** An envelope without data (errors, acknowledgements). */
export const EmptyEnvelope = z.object({
  data: z.unknown().optional(),
  status_code: z.number().int(),
  status_message: z.string().optional(),
  timestamp: z.string(),
})

/** 201 for a new object, 200 for an update; an ignored (older) write is acknowledged with a message. */
export const answerWrite = (reply: FastifyReply, outcome: 'created' | 'updated' | 'ignored', now: Date) => {
  if (outcome === 'created') return reply.code(201).send(okEmpty(now))
  return reply.code(200).send(okEmpty(now, outcome === 'ignored' ? 'Ignored: we hold a newer last_updated' : undefined))
}
