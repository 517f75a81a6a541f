// The tolerant intake of the /ocpi surface ("strict in what we send, tolerant in what we accept"):
// every body a route validates against a wire schema with a tolerant reader is read by that reader
// instead (src/ocpi/v221/intake.ts: one strict parse when the body conforms), and the deviations it
// tolerated are judged per partner (strict mode refuses them) and counted in the conformance report.
// The routes keep declaring the spec's schemas; OpenAPI documents those.
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { validatorCompiler } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { Clock } from '../platform/clock.js'
import { CdrIntakeSchema, readCdrBody } from './cdrs/index.js'
import type { ConformanceService, IntakeModule } from './conformance/index.js'
import type { Partner } from './credentials/index.js'
import { readLocationsBody } from './locations/index.js'
import {
  ConnectorPatchSchema,
  ConnectorSchema,
  EvsePatchSchema,
  EvseSchema,
  LocationPatchSchema,
  LocationSchema,
} from './v221/locations.schema.js'
import { readSessionBody, readSessionPatchBody } from './sessions/index.js'
import { SessionPatchSchema, SessionSchema } from './v221/sessions.schema.js'
import { readTariffBody } from './tariffs/index.js'
import { TariffSchema } from './v221/tariffs.schema.js'
import { deviationsOf, rememberDeviations, tolerantSchema, type BodyReader, type Issue } from './v221/intake.js'
import { callerOf } from './v221/request-context.js'
import { describeProblem } from './v221/validation.js'

interface IntakeDeps {
  clock: Clock
  /** Our own party: the eMSP Sessions and CDRs are sent to. */
  receiver: { countryCode: string; partyId: string }
  conformance: Pick<ConformanceService, 'accept'>
}

interface Reader {
  module: IntakeModule
  read: BodyReader
}

const readersOf = (deps: IntakeDeps): Map<z.ZodType, Reader> => {
  const session = { receiver: deps.receiver }
  const location = (schema: z.ZodType): [z.ZodType, Reader] => [
    schema,
    { module: 'locations', read: (raw) => readLocationsBody(schema, raw) },
  ]
  return new Map<z.ZodType, Reader>([
    location(LocationSchema),
    location(LocationPatchSchema),
    location(EvseSchema),
    location(EvsePatchSchema),
    location(ConnectorSchema),
    location(ConnectorPatchSchema),
    [SessionSchema, { module: 'sessions', read: (raw) => readSessionBody(raw, session) }],
    [SessionPatchSchema, { module: 'sessions', read: (raw) => readSessionPatchBody(raw, session) }],
    [TariffSchema, { module: 'tariffs', read: (raw) => readTariffBody(raw, deps.clock.now()) }],
    [CdrIntakeSchema, { module: 'cdrs', read: readCdrBody }],
  ])
}

// The shape fastify-type-provider-zod gives validation errors, so the surface's error handler
// answers them as it answers every other validation failure (2001 naming the field).
const ZOD_VALIDATION = Symbol.for('ZodFastifySchemaValidationError')
const validationError = (issues: readonly Issue[]) =>
  issues.map((issue) => {
    const { path, code, message: _raw, ...params } = issue
    return {
      [ZOD_VALIDATION]: true,
      keyword: code,
      instancePath: `/${path.join('/')}`,
      schemaPath: `#/${path.join('/')}/${code}`,
      message: describeProblem(issue),
      params,
    }
  })

/**
 * Installs the tolerant intake on the /ocpi scope: the body validator and the conformance hook.
 * CDRs are judged and counted by the CDRs service, which adds what it resolves from our data.
 */
export const registerTolerantIntake = (ocpi: FastifyInstance, deps: IntakeDeps) => {
  const readers = readersOf(deps)
  const compiler: FastifySchemaCompiler<z.ZodType> = (route) => {
    const reader = route.httpPart === 'body' ? readers.get(route.schema) : undefined
    if (!reader) return validatorCompiler(route)
    return (data: unknown) => {
      const read = reader.read(data)
      if (!read.ok) return { error: validationError(read.issues) as never }
      rememberDeviations(read.value, read.deviations)
      return { value: read.value }
    }
  }
  ocpi.setValidatorCompiler(compiler)
  ocpi.addHook('preHandler', async (req) => {
    const deviations = deviationsOf(req.body)
    const reader = readers.get(req.routeOptions.schema?.body as z.ZodType)
    if (deviations.length === 0 || !reader || reader.module === 'cdrs') return
    await deps.conformance.accept(callerOf(req).partner.id, reader.module, Object.values(req.params ?? {}).join('/') || null, deviations)
  })
}

/**
 * The pull engine's adapter parts for a module: the schema reads pulled objects tolerantly, and
 * `store` judges and counts their deviations before storing (CDRs: the service does it).
 */
export const pullIntake = (deps: IntakeDeps) => {
  const readers = readersOf(deps)
  return {
    schema: (schema: z.ZodType) => tolerantSchema(readers.get(schema)!.read),
    store:
      <T>(module: IntakeModule, store: (partner: Partner, item: T) => Promise<unknown>) =>
      async (partner: Partner, item: T) => {
        const key = item as { country_code?: string; party_id?: string; id?: string }
        await deps.conformance.accept(partner.id, module, `${key.country_code}/${key.party_id}/${key.id}`, deviationsOf(item))
        return store(partner, item)
      },
  }
}
