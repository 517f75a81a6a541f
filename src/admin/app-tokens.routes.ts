import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppAuth } from '../app-api/index.js'

/** Mints app tokens for development and tests (`npm run admin -- app-token <customer-id>`); needs APP_JWT_SECRET. */
export const appTokenRoutes = (app: FastifyInstance, deps: { auth: AppAuth }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/app-tokens',
    {
      schema: {
        tags: ['admin: app'],
        summary: 'Mint an app token (JWT) for a customer',
        body: z.object({
          customer_id: z.string().min(1),
          ttl_seconds: z
            .number()
            .int()
            .min(60)
            .max(30 * 86400)
            .optional(),
        }),
        response: { 201: z.object({ token: z.string(), expires_at: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await deps.auth.mint(req.body.customer_id, req.body.ttl_seconds)),
  )
}
