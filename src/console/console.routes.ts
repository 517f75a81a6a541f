import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../platform/clock.js'
import { DomainError } from '../platform/errors.js'
import { CHART_RANGES, type ChartRange, type ConsoleService } from './console.service.js'
import type { ConsoleSession } from './auth.js'
import { page, type Flash } from './views/layout.js'
import { chartsBody, overviewBody, partnersBody } from './views/overview.js'
import { disputesBody, invoicesBody, jobsBody, unratedBody } from './views/lists.js'

const optional = (schema: z.ZodString) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional())
const Paging = {
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}
const UnratedQuery = z.object({
  ...Paging,
  reason: optional(
    z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'a reason code'),
  ),
})
const PageQuery = z.object(Paging)
const JobsQuery = z.object({
  ...Paging,
  kind: z.enum(['failed', 'retrying']).default('failed'),
  queue: optional(z.string().max(100)),
  retried: optional(z.string().regex(/^\d{1,15}$/)),
})
const ChartsQuery = z.object({ days: z.enum(CHART_RANGES.map(String) as [string, ...string[]]).default('30') })
const JobParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'a job number') })
const RetryBody = z.object({ _csrf: z.string().max(200).default(''), back: z.enum(['failed', 'retrying']).default('failed') })

const sessionOf = (req: { consoleSession: ConsoleSession | null }) => {
  if (!req.consoleSession) throw new DomainError('unauthorized', 'Sign in first', 401)
  return req.consoleSession
}

/** The pages of a signed-in operator: each calls one console service function and renders it. */
export const consolePageRoutes = (app: FastifyInstance, deps: { service: ConsoleService; clock: Clock }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { service, clock } = deps
  const send = (reply: FastifyReply, title: string, current: string, body: Parameters<typeof page>[0]['body'], flash?: Flash) =>
    reply.type('text/html; charset=utf-8').send(page({ title, current, csrf: sessionOf(reply.request).csrfToken, body, flash }))
  const hide = { hide: true }

  r.get('/', { schema: hide }, async (_req, reply) =>
    send(reply, 'Overview', '/console/', overviewBody(await service.overview(), clock.now())),
  )
  r.get('/partners', { schema: hide }, async (_req, reply) =>
    send(reply, 'Partners', '/console/partners', partnersBody(await service.partners(), clock.now())),
  )
  r.get('/cdrs', { schema: { ...hide, querystring: UnratedQuery } }, async (req, reply) =>
    send(reply, 'Unrated CDRs', '/console/cdrs', unratedBody(await service.unratedCdrs(req.query), req.query)),
  )
  r.get('/disputes', { schema: { ...hide, querystring: PageQuery } }, async (req, reply) =>
    send(reply, 'Disputes', '/console/disputes', disputesBody(await service.disputes(req.query), req.query)),
  )
  r.get('/jobs', { schema: { ...hide, querystring: JobsQuery } }, async (req, reply) => {
    const flash: Flash | undefined = req.query.retried
      ? { kind: 'info', text: `Job ${req.query.retried} is due now and runs at the next free worker.` }
      : undefined
    return send(
      reply,
      'Jobs',
      '/console/jobs',
      jobsBody(await service.jobs(req.query), req.query, sessionOf(req).csrfToken, clock.now()),
      flash,
    )
  })
  r.post('/jobs/:id/retry', { schema: { ...hide, params: JobParams, body: RetryBody } }, async (req, reply) => {
    const id = Number(req.params.id)
    const result = await service.retryJob(id, `console session ${sessionOf(req).idHash.slice(0, 8)} from ${req.ip}`)
    if (result.outcome === 'not_found') throw new DomainError('job_not_found', `There is no job ${id}.`, 404)
    if (result.outcome === 'not_retryable')
      throw new DomainError(
        'job_not_retryable',
        `Job ${id} is ${result.state}: only failed jobs and jobs waiting for a retry can be retried.`,
        409,
      )
    return reply.redirect(`/console/jobs?kind=${req.body.back}&retried=${id}`, 303)
  })
  r.get('/invoices', { schema: hide }, async (_req, reply) =>
    send(reply, 'Invoice runs', '/console/invoices', invoicesBody(await service.invoiceRuns(), clock.now())),
  )
  r.get('/charts', { schema: { ...hide, querystring: ChartsQuery } }, async (req, reply) => {
    const range = Number(req.query.days) as ChartRange
    return send(reply, 'Charts', '/console/charts', chartsBody(await service.charts(range), range, clock.now()))
  })
}
