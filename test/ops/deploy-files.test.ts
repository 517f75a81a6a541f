import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'

// No container runtime runs here: these check that the image and compose file run what CI smoke-tests
// (scripts/smoke.mjs: npm ci, npm run build, node dist/migrate.js, node dist/server.js).
const dockerfile = readFileSync('Dockerfile', 'utf8')
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))

t.test('Dockerfile: multi-stage build of the smoke-tested steps, non-root, health check, node as PID 1', async (t) => {
  t.equal(instructions.filter((l) => l.startsWith('FROM ')).length, 2, 'two stages')
  t.ok(
    instructions.some((l) => /^RUN npm ci\b/.test(l)),
    'npm ci',
  )
  t.ok(
    instructions.some((l) => /^RUN npm run build\b/.test(l)),
    'npm run build',
  )
  const runtime = instructions.slice(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true))
  for (const dir of ['dist', 'drizzle', 'assets', 'node_modules'])
    t.ok(
      runtime.some((l) => l.startsWith('COPY') && l.includes(` ./${dir}`)),
      `the image has ${dir}/`,
    )
  const user = runtime.findIndex((l) => /^USER (?!root\b)\S+/.test(l))
  t.ok(user > 0 && user < runtime.findIndex((l) => l.startsWith('CMD ')), 'runs as a non-root user')
  t.ok(
    runtime.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('/healthz')),
    'health check',
  )
  t.equal(runtime.at(-1), 'CMD ["node", "dist/server.js"]', 'exec form: node receives SIGTERM itself')
  t.ok(
    runtime.some((l) => l.includes('NODE_ENV=production')),
    'NODE_ENV=production, as the smoke run',
  )
})

t.test('compose.yaml: PostgreSQL, a migrate step, instances that get time to drain', async (t) => {
  const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, Record<string, unknown>> }
  const services = compose.services
  t.ok(services.postgres, 'postgres')
  t.same(services.migrate!.command, ['node', 'dist/migrate.js'])
  const instances = Object.entries(services).filter(([name]) => name.startsWith('emsp-'))
  t.ok(instances.length >= 2, 'two or more instances')
  for (const [name, s] of instances) {
    const env = s.environment as Record<string, string>
    t.match(env.DATABASE_URL, /^postgres:\/\/.*@postgres:5432\//, `${name}: the compose PostgreSQL`)
    for (const key of ['PUBLIC_URL', 'ADMIN_TOKEN', 'METRICS_TOKEN', 'PORTAL_SECRET']) t.ok(key in env, `${name}: ${key}`)
    const graceS = Number(/^(\d+)s$/.exec(String(s.stop_grace_period))?.[1])
    t.ok(graceS * 1000 > Number(env.SHUTDOWN_TIMEOUT_MS), `${name}: stop_grace_period (${graceS} s) above SHUTDOWN_TIMEOUT_MS`)
    t.same(s.depends_on, { migrate: { condition: 'service_completed_successfully' } }, `${name}: after the migrations`)
  }
})
