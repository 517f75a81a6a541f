// The schemas as the routes will use them: through fastify-type-provider-zod for request
// validation and response serialisation, and through @fastify/swagger for OpenAPI.
// Every exported schema must also convert to JSON Schema without transforms or
// unrepresentable parts (they would silently become `{}` in the OpenAPI document).
import swagger from '@fastify/swagger'
import Fastify from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import t from 'tap'
import { z } from 'zod'
import * as cdrs from '../../../src/ocpi/cdrs/cdrs.schema.js'
import * as commands from '../../../src/ocpi/commands/commands.schema.js'
import * as credentials from '../../../src/ocpi/credentials/credentials.schema.js'
import * as hubclientinfo from '../../../src/ocpi/hubclientinfo/hubclientinfo.schema.js'
import * as locations from '../../../src/ocpi/locations/locations.schema.js'
import * as sessions from '../../../src/ocpi/sessions/sessions.schema.js'
import * as tariffs from '../../../src/ocpi/tariffs/tariffs.schema.js'
import * as tokens from '../../../src/ocpi/tokens/tokens.schema.js'
import * as common from '../../../src/ocpi/v221/common.schema.js'
import { describeFastifyValidation } from '../../../src/ocpi/v221/validation.js'
import * as versions from '../../../src/ocpi/versions/versions.schema.js'
import { readExample } from './fixtures.js'

const MODULES = { cdrs, commands, credentials, hubclientinfo, locations, sessions, tariffs, tokens, common, versions }

t.test('every exported schema converts to JSON Schema, both directions', async (t) => {
  let count = 0
  for (const [module, exports] of Object.entries(MODULES)) {
    for (const [name, value] of Object.entries(exports)) {
      if (!(value instanceof z.ZodType)) continue
      count++
      for (const io of ['input', 'output'] as const) {
        t.doesNotThrow(() => z.toJSONSchema(value, { io, unrepresentable: 'throw' }), `${module}.${name} (${io})`)
      }
    }
  }
  t.ok(count > 60, `${count} schemas checked`)
})

async function buildApp() {
  const app = Fastify().withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await app.register(swagger, { openapi: { info: { title: 'schema test', version: '0' } }, transform: jsonSchemaTransform })
  // A stand-in for the real OCPI error handler: 2001 with the described issues.
  app.setErrorHandler((error, _request, reply) => {
    if (!hasZodFastifySchemaValidationErrors(error)) return reply.code(500).send({ status_code: 3000, timestamp: '2015-06-30T21:59:59Z' })
    return reply.send({ status_code: 2001, status_message: describeFastifyValidation(error.validation), timestamp: '2015-06-30T21:59:59Z' })
  })
  const Envelope = common.EnvelopeSchema(locations.LocationSchema)
  app.put('/locations/:cc/:pid/:id', { schema: { body: locations.LocationSchema, response: { 200: Envelope } } }, async (request) => ({
    data: request.body,
    status_code: 1000,
    timestamp: '2015-06-30T21:59:59Z',
  }))
  app.patch('/evses', { schema: { body: locations.EvsePatchSchema } }, async () => ({ status_code: 1000 }))
  await app.ready()
  return app
}

t.test('request validation and response serialisation through Fastify', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())

  const example = readExample('locations/location_example.json')
  const ok = await app.inject({ method: 'PUT', url: '/locations/BE/BEC/LOC1', payload: example as object })
  t.equal(ok.statusCode, 200)
  t.strictSame(ok.json().data, example, 'the example goes through unchanged')

  const broken = readExample('locations/location_example.json') as Record<string, any>
  delete broken.evses[0].connectors[0].power_type
  broken.last_updated = '2015-06-29T22:39:09+02:00'
  const refused = await app.inject({ method: 'PUT', url: '/locations/BE/BEC/LOC1', payload: broken })
  t.equal(refused.json().status_code, 2001)
  t.equal(refused.json().status_message, 'evses[0].connectors[0].power_type: required\nlast_updated: UTC offsets are not allowed, use Z')

  const patch = await app.inject({ method: 'PATCH', url: '/evses', payload: { status: 'CHARGING' } })
  t.equal(patch.json().status_message, 'last_updated: required')
})

t.test('the OpenAPI document is generated from the same schemas', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const doc = app.swagger() as any
  const body = doc.paths['/locations/{cc}/{pid}/{id}'].put.requestBody.content['application/json'].schema
  t.ok(body.required.includes('time_zone'), 'required fields are listed')
  t.equal(body.properties.id.maxLength, 36, 'CiString(36) keeps its length')
  const evses = body.properties.evses
  t.equal(evses.nullable, true, 'a * list may be null')
  t.match(evses.items.properties.connectors.items.properties.standard.enum, ['CHADEMO'], 'enums are listed')
})
