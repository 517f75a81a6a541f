// Issue 17 item 7: Swagger UI "Try it out" can authenticate. Every documented operation names the
// security scheme of its surface (unless it is public, like the health checks), every named scheme is
// declared, and the surfaces really refuse a call without that credential.
import t from 'tap'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const
const EXPECTED: [RegExp, string][] = [
  [/^\/ocpi\//, 'ocpiToken'],
  [/^\/admin\/v1\//, 'adminBearer'],
  [/^\/app\/v1\//, 'appJwt'],
  [/^\/metrics$/, 'metricsBearer'],
]
const PUBLIC = ['/healthz', '/readyz']

type Operation = { security?: Record<string, string[]>[] }

t.test('every OpenAPI operation carries the security requirement of its surface', async (t) => {
  const emsp = await startTestApp(t, {
    env: { APP_JWT_SECRET: 'app-secret-app-secret-app-secret-0123', METRICS_TOKEN: 'metrics-token-0123456789' },
  })
  const doc = emsp.app.swagger() as {
    paths: Record<string, Record<string, Operation>>
    components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> }
  }
  const schemes = doc.components.securitySchemes
  t.match(schemes, {
    ocpiToken: { type: 'apiKey', in: 'header', name: 'Authorization' },
    adminBearer: { type: 'http', scheme: 'bearer' },
    appJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  })

  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })),
  )
  t.ok(operations.length > 60, `${operations.length} operations checked`)
  const surfaces = new Set<string>()
  for (const { path, method, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`
    if (PUBLIC.includes(path)) {
      t.same(op.security, [], `${name} is documented as public`)
      continue
    }
    const expected = EXPECTED.find(([re]) => re.test(path))?.[1]
    t.ok(expected, `${name} belongs to a known surface`)
    t.same(op.security, [{ [expected!]: [] }], `${name} requires ${expected}`)
    for (const requirement of op.security ?? [])
      for (const scheme of Object.keys(requirement)) t.ok(schemes[scheme], `${name}: scheme ${scheme} is declared`)
    surfaces.add(expected!)
  }
  t.same([...surfaces].sort(), ['adminBearer', 'appJwt', 'metricsBearer', 'ocpiToken'], 'all four surfaces are documented')

  // What the document says is what the surfaces do: without the credential every protected operation is refused.
  const fill = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')
  for (const { path, method } of operations.filter((o) => !PUBLIC.includes(o.path))) {
    const res = await emsp.app.inject({
      method: method.toUpperCase() as 'GET',
      url: fill(path),
      payload: method === 'get' || method === 'delete' ? undefined : {},
    })
    t.equal(res.statusCode, 401, `${method.toUpperCase()} ${path} without credentials is 401`)
  }
  const withAdmin = await emsp.app.inject({ method: 'GET', url: '/admin/v1/partners', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  t.equal(withAdmin.statusCode, 200, 'the documented admin bearer opens the admin API')
})
