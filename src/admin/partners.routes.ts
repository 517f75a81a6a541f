import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CredentialsService, Partner, RoleRef, RoleRequest } from '../ocpi/credentials/index.js'
import { CountryCodeSchema, PartyIdSchema, RoleSchema } from '../ocpi/wire.js'

const tags = ['admin: partners']

const RoleRefView = z.object({ role: z.string(), country_code: z.string(), party_id: z.string() })

export const RoleRequestView = z
  .object({
    id: z.string(),
    partner_id: z.string(),
    partner_name: z.string(),
    role: z.string(),
    country_code: z.string(),
    party_id: z.string(),
    business_details: z.record(z.string(), z.unknown()),
    reason: z.enum(['not_approved', 'hub_not_approved', 'party_held']).describe('Why it was not granted when claimed'),
    state: z.enum(['PENDING', 'APPROVED', 'REFUSED', 'WITHDRAWN']).describe('WITHDRAWN: the partner no longer claims it'),
    note: z.string().nullable(),
    requested_at: z.string(),
    decided_at: z.string().nullable(),
  })
  .meta({ id: 'RoleRequest' })

export const toRoleRequestView = (r: RoleRequest): z.infer<typeof RoleRequestView> => ({
  id: r.id,
  partner_id: r.partnerId,
  partner_name: r.partnerName,
  role: r.role,
  country_code: r.countryCode,
  party_id: r.partyId,
  business_details: r.businessDetails,
  reason: r.reason,
  state: r.state,
  note: r.note,
  requested_at: r.requestedAt.toISOString(),
  decided_at: r.decidedAt?.toISOString() ?? null,
})

export const PartnerView = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(['PENDING', 'REGISTERED', 'UNREGISTERED']),
    versions_url: z.string().nullable(),
    version: z.string().nullable(),
    outbound_encoding: z.enum(['base64', 'raw']),
    roles: z
      .array(
        z.object({ role: z.string(), country_code: z.string(), party_id: z.string(), business_details: z.record(z.string(), z.unknown()) }),
      )
      .describe('Roles granted: the parties it may push objects for'),
    approved_roles: z
      .array(RoleRefView)
      .nullable()
      .describe('Roles its credentials may claim; null until decided (by roles at creation, or by its first registration)'),
    hub_parties: z
      .array(z.object({ country_code: z.string(), party_id: z.string() }))
      .describe('A hub: the parties it announced through HubClientInfo and may act for'),
    pending_role_requests: z.array(RoleRequestView).describe('Roles it claimed that wait for the operator'),
    endpoints: z.array(z.object({ identifier: z.string(), role: z.string(), url: z.string() })),
    registered_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Partner' })
export type PartnerView = z.infer<typeof PartnerView>

export interface PartnerRoleState {
  approved: RoleRef[]
  pending: RoleRequest[]
}

export const toPartnerView = (p: Partner, roles: PartnerRoleState): PartnerView => ({
  id: p.id,
  name: p.name,
  state: p.state,
  versions_url: p.versionsUrl,
  version: p.version,
  outbound_encoding: p.outboundEncoding,
  roles: p.roles.map((r) => ({ role: r.role, country_code: r.countryCode, party_id: r.partyId, business_details: r.businessDetails })),
  approved_roles: p.rolesDecided ? roles.approved.map((r) => ({ role: r.role, country_code: r.countryCode, party_id: r.partyId })) : null,
  hub_parties: p.hubParties.map((h) => ({ country_code: h.countryCode, party_id: h.partyId })),
  pending_role_requests: roles.pending.map(toRoleRequestView),
  endpoints: p.endpoints,
  registered_at: p.registeredAt?.toISOString() ?? null,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
})

const NewPartner = z.object({ id: z.string(), token_a: z.string(), versions_url: z.string() }).meta({ id: 'NewPartner' })
const Params = z.object({ id: z.uuid() })
const NewPartnerBody = z.object({
  name: z.string().min(1).max(100),
  roles: z
    .array(z.object({ role: RoleSchema, country_code: CountryCodeSchema, party_id: PartyIdSchema }))
    .max(100)
    .optional()
    .describe(
      'The roles its registration may claim (or a subset). Without: its first registration may claim non-HUB roles of parties nobody holds',
    ),
})
const Decision = z.object({ note: z.string().max(500).optional() }).nullish()

/** Partner administration: create (token A), register with a partner, rotate, unregister, inspect. */
export const partnersRoutes = (app: FastifyInstance, deps: { credentials: CredentialsService }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { credentials } = deps
  const view = async (p: Partner) =>
    toPartnerView(p, {
      approved: await credentials.approvedRolesOf(p.id),
      pending: await credentials.listRoleRequests({ partnerId: p.id, state: 'PENDING' }),
    })

  r.post(
    '/partners',
    {
      schema: {
        tags,
        summary: 'Create a partner and its token A (hand token A and versions_url to the partner out of band)',
        body: NewPartnerBody,
        response: { 201: NewPartner },
      },
    },
    async (req, reply) => {
      const roles = req.body.roles?.map((x) => ({ role: x.role, countryCode: x.country_code, partyId: x.party_id }))
      return reply.code(201).send(await credentials.createPartner({ name: req.body.name, roles }))
    },
  )
  r.get('/partners', { schema: { tags, summary: 'All partners', response: { 200: z.array(PartnerView) } } }, async () =>
    Promise.all((await credentials.listPartners()).map(view)),
  )
  r.get(
    '/partners/:id',
    {
      schema: {
        tags,
        summary: 'One partner: state, roles (granted, approved, pending), endpoints',
        params: Params,
        response: { 200: PartnerView },
      },
    },
    async (req) => view(await credentials.getPartner(req.params.id)),
  )
  r.get(
    '/role-requests',
    {
      schema: {
        tags,
        summary: 'Roles partners claimed and were not granted, newest first (default: PENDING, waiting for a decision)',
        querystring: z.object({
          state: z.enum(['PENDING', 'APPROVED', 'REFUSED', 'WITHDRAWN', 'ALL']).default('PENDING'),
          partner_id: z.uuid().optional(),
        }),
        response: { 200: z.array(RoleRequestView) },
      },
    },
    async (req) =>
      (
        await credentials.listRoleRequests({
          state: req.query.state === 'ALL' ? undefined : req.query.state,
          partnerId: req.query.partner_id,
        })
      ).map(toRoleRequestView),
  )
  r.post(
    '/role-requests/:id/approve',
    {
      schema: {
        tags,
        summary:
          'Approve a role request: the partner may claim it from now on, and holds it at once if registered (409 party_held if another partner holds the party)',
        params: Params,
        body: Decision,
        response: { 200: RoleRequestView },
      },
    },
    async (req) => toRoleRequestView(await credentials.approveRoleRequest(req.params.id, req.body?.note)),
  )
  r.post(
    '/role-requests/:id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse a role request: nothing is granted',
        params: Params,
        body: Decision,
        response: { 200: RoleRequestView },
      },
    },
    async (req) => toRoleRequestView(await credentials.refuseRoleRequest(req.params.id, req.body?.note)),
  )
  r.post(
    '/partners/:id/register',
    {
      schema: {
        tags,
        summary: 'Register with the partner (we initiate): its versions URL and the token A it gave us',
        params: Params,
        body: z.object({
          versions_url: z.url({ protocol: /^https?$/ }),
          token: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII, at most 64 characters'),
        }),
        response: { 200: PartnerView },
      },
    },
    async (req) =>
      view(await credentials.registerWithPartner(req.params.id, { versionsUrl: req.body.versions_url, token: req.body.token })),
  )
  r.post(
    '/partners/:id/rotate',
    { schema: { tags, summary: 'Rotate credentials with the partner (PUT)', params: Params, response: { 200: PartnerView } } },
    async (req) => view(await credentials.rotate(req.params.id)),
  )
  r.post(
    '/partners/:id/token_a',
    {
      schema: { tags, summary: 'Issue a new token A for a partner that is not registered', params: Params, response: { 200: NewPartner } },
    },
    async (req) => credentials.reissueTokenA(req.params.id),
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
    async (req) => view(await credentials.unregisterWithPartner(req.params.id, { force: req.query.force === 'true' })),
  )
}
