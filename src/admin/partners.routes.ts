import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CredentialsService, Partner } from '../ocpi/credentials/index.js'

const tags = ['admin: partners']

export const PartnerView = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(['PENDING', 'REGISTERED', 'UNREGISTERED']),
    versions_url: z.string().nullable(),
    version: z.string().nullable(),
    outbound_encoding: z.enum(['base64', 'raw']),
    roles: z.array(z.object({ role: z.string(), country_code: z.string(), party_id: z.string(), business_details: z.record(z.string(), z.unknown()) })),
    endpoints: z.array(z.object({ identifier: z.string(), role: z.string(), url: z.string() })),
    registered_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Partner' })
export type PartnerView = z.infer<typeof PartnerView>

export const toPartnerView = (p: Partner): PartnerView => ({
  id: p.id,
  name: p.name,
  state: p.state,
  versions_url: p.versionsUrl,
  version: p.version,
  outbound_encoding: p.outboundEncoding,
  roles: p.roles.map((r) => ({ role: r.role, country_code: r.countryCode, party_id: r.partyId, business_details: r.businessDetails })),
  endpoints: p.endpoints,
  registered_at: p.registeredAt?.toISOString() ?? null,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
})

const NewPartner = z.object({ id: z.string(), token_a: z.string(), versions_url: z.string() }).meta({ id: 'NewPartner' })
const Params = z.object({ id: z.uuid() })

/** Partner administration: create (token A), register with a partner, rotate, unregister, inspect. */
export const partnersRoutes = (app: FastifyInstance, deps: { credentials: CredentialsService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { credentials } = deps

  r.post(
    '/partners',
    {
      schema: {
        tags,
        summary: 'Create a partner and its token A (hand token A and versions_url to the partner out of band)',
        body: z.object({ name: z.string().min(1).max(100) }),
        response: { 201: NewPartner },
      },
    },
    async (req, reply) => reply.code(201).send(await credentials.createPartner(req.body)),
  )
  r.get('/partners', { schema: { tags, summary: 'All partners', response: { 200: z.array(PartnerView) } } }, async () =>
    (await credentials.listPartners()).map(toPartnerView),
  )
  r.get('/partners/:id', { schema: { tags, summary: 'One partner: state, roles, endpoints', params: Params, response: { 200: PartnerView } } }, async (req) =>
    toPartnerView(await credentials.getPartner(req.params.id)),
  )
  r.post(
    '/partners/:id/register',
    {
      schema: {
        tags,
        summary: "Register with the partner (we initiate): its versions URL and the token A it gave us",
        params: Params,
        body: z.object({ versions_url: z.url({ protocol: /^https?$/ }), token: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII, at most 64 characters') }),
        response: { 200: PartnerView },
      },
    },
    async (req) => toPartnerView(await credentials.registerWithPartner(req.params.id, { versionsUrl: req.body.versions_url, token: req.body.token })),
  )
  r.post('/partners/:id/rotate', { schema: { tags, summary: 'Rotate credentials with the partner (PUT)', params: Params, response: { 200: PartnerView } } }, async (req) =>
    toPartnerView(await credentials.rotate(req.params.id)),
  )
  r.post('/partners/:id/token_a', { schema: { tags, summary: 'Issue a new token A for a partner that is not registered', params: Params, response: { 200: NewPartner } } }, async (req) =>
    credentials.reissueTokenA(req.params.id),
  )
  r.delete(
    '/partners/:id/registration',
    {
      schema: {
        tags,
        summary: 'Unregister from the partner (DELETE on its credentials); force=true forgets it even if the partner fails',
        params: Params,
        querystring: z.object({ force: z.enum(['true', 'false']).optional() }),
        response: { 200: PartnerView },
      },
    },
    async (req) => toPartnerView(await credentials.unregisterWithPartner(req.params.id, { force: req.query.force === 'true' })),
  )
}
