import type { SwaggerTransform } from '@fastify/swagger'
import type { FastifySchema } from 'fastify'

/**
 * How each API surface authenticates, as OpenAPI security schemes, so that Swagger UI's
 * "Authorize" and "Try it out" send the right header. Every operation gets the requirement of its
 * surface (by URL prefix); only the paths in PUBLIC_PATHS are documented as open.
 */
export const SECURITY_SCHEMES = {
  ocpiToken: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'OCPI 2.2.1 credentials token: enter `Token <base64 of the token>` (token A for versions and credentials during registration, afterwards the token we issued)',
  },
  adminBearer: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN the service runs with' },
  appJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An app JWT whose subject is the customer id (`npm run admin -- app-token <customer-id>` mints one for development)',
  },
  metricsBearer: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN the service runs with' },
} as const

export type SecuritySchemeName = keyof typeof SECURITY_SCHEMES

/** Operations anyone may call (load balancer probes). */
export const PUBLIC_PATHS: readonly string[] = ['/healthz', '/readyz']

/** A surface is a path prefix (ending in `/`) or one exact path. */
const SURFACES: readonly { path: string; scheme: SecuritySchemeName }[] = [
  { path: '/ocpi/', scheme: 'ocpiToken' },
  { path: '/admin/v1/', scheme: 'adminBearer' },
  { path: '/app/v1/', scheme: 'appJwt' },
  { path: '/metrics', scheme: 'metricsBearer' },
]

/** The security requirement of an operation at `url`: its surface's scheme, `[]` when public, undefined when unknown. */
export const securityOf = (url: string): Record<string, string[]>[] | undefined => {
  if (PUBLIC_PATHS.includes(url)) return []
  const surface = SURFACES.find((s) => (s.path.endsWith('/') ? url.startsWith(s.path) : url === s.path))
  return surface ? [{ [surface.scheme]: [] }] : undefined
}

/**
 * Wraps a swagger transform (the zod one) so every documented operation carries its surface's
 * security requirement; a route that sets `schema.security` itself keeps it.
 */
export const withSecurity =
  <S extends FastifySchema>(transform: SwaggerTransform<S>): SwaggerTransform<S> =>
  (args) => {
    const out = transform(args)
    const given = (out.schema as { security?: unknown }).security
    const security = given ?? securityOf(args.url)
    return security === undefined ? out : { ...out, schema: { ...out.schema, security } as FastifySchema }
  }
