import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ConformanceService, DeviationCount } from '../ocpi/conformance/index.js'
import type { CredentialsService } from '../ocpi/credentials/index.js'

const tags = ['admin: partners']

const DeviationView = z.object({
  module: z.string(),
  kind: z.string().describe('e.g. datetime_offset, number_as_string, country_alpha2 (src/ocpi/v221/README.md lists them)'),
  count: z.number().int(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  sample: z.object({ path: z.string(), received: z.string().nullable(), object: z.string().nullable() }),
})

export const ConformanceReport = z
  .object({
    partner_id: z.string(),
    partner_name: z.string(),
    strict: z.boolean().describe('In strict mode an object with any deviation is refused (2001) instead of tolerated'),
    total: z.number().int(),
    deviations: z.array(DeviationView),
  })
  .meta({ id: 'ConformanceReport' })

const Params = z.object({ id: z.uuid() })
const StrictBody = z.object({ strict: z.boolean() })

const deviationView = (d: DeviationCount): z.infer<typeof DeviationView> => ({
  module: d.module,
  kind: d.kind,
  count: d.count,
  first_seen_at: d.firstSeenAt.toISOString(),
  last_seen_at: d.lastSeenAt.toISOString(),
  sample: d.sample,
})

/** The partner conformance report: how each partner's feed deviates from OCPI 2.2.1, and strict mode. */
export const conformanceRoutes = (
  app: FastifyInstance,
  deps: { conformance: ConformanceService; partners: Pick<CredentialsService, 'getPartner' | 'listPartners'> },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const reportOf = async (partner: { id: string; name: string }, counts?: DeviationCount[]) => {
    const deviations = counts ?? (await deps.conformance.report(partner.id))
    return {
      partner_id: partner.id,
      partner_name: partner.name,
      strict: await deps.conformance.isStrict(partner.id),
      total: deviations.reduce((n, d) => n + d.count, 0),
      deviations: deviations.map(deviationView),
    }
  }

  r.get(
    '/conformance',
    {
      schema: {
        tags,
        summary: 'Conformance of every partner: deviations tolerated per module and kind, with a sample',
        response: { 200: z.object({ data: z.array(ConformanceReport) }) },
      },
    },
    async () => {
      const [partners, counts] = await Promise.all([deps.partners.listPartners(), deps.conformance.report()])
      return {
        data: await Promise.all(
          partners.map((p) =>
            reportOf(
              p,
              counts.filter((c) => c.partnerId === p.id),
            ),
          ),
        ),
      }
    },
  )

  r.get(
    '/partners/:id/conformance',
    { schema: { tags, summary: "A partner's conformance report", params: Params, response: { 200: ConformanceReport } } },
    async (req) => reportOf(await deps.partners.getPartner(req.params.id)),
  )

  r.put(
    '/partners/:id/conformance',
    {
      schema: {
        tags,
        summary: 'Turn strict mode on or off for a partner',
        params: Params,
        body: StrictBody,
        response: { 200: ConformanceReport },
      },
    },
    async (req) => {
      const partner = await deps.partners.getPartner(req.params.id)
      await deps.conformance.setStrict(partner.id, req.body.strict)
      return reportOf(partner)
    },
  )

  r.delete(
    '/partners/:id/conformance',
    {
      schema: {
        tags,
        summary: "Reset a partner's counters (after the CPO fixed its feed)",
        params: Params,
        response: { 200: ConformanceReport },
      },
    },
    async (req) => {
      const partner = await deps.partners.getPartner(req.params.id)
      await deps.conformance.clear(partner.id)
      return reportOf(partner)
    },
  )
}
