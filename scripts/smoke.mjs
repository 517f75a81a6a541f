#!/usr/bin/env node
// Smoke test of the production build, run the way the container runs it (plain JavaScript, no tsx):
//   npm run build, then `node dist/server.js` with NODE_ENV=production against a fresh PostgreSQL
//   database on a free port; checks health, readiness, OCPI versions, /metrics, the customer area and
//   the console answer; SIGTERM → exit 0. Exits 1 naming the first check that failed.
// Usage: node scripts/smoke.mjs   (SMOKE_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test:
//        the server on which a database emsp_smoke_<random> is created and dropped; SMOKE_SKIP_BUILD=1 reuses dist/)
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import postgres from 'postgres'

const serverUrl = process.env.SMOKE_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const SHUTDOWN_TIMEOUT_MS = 10_000
const ADMIN_TOKEN = randomBytes(16).toString('hex')
const METRICS_TOKEN = randomBytes(16).toString('hex')

const say = (line) => console.log(`smoke: ${line}`)
let failed = false
const check = (ok, what, detail = '') => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : ` (${detail})`}`)
  if (!ok) failed = true
  return ok
}

if (process.env.SMOKE_SKIP_BUILD !== '1') {
  say('npm run build')
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) {
    say('FAIL the build')
    process.exit(1)
  }
}
if (!existsSync('dist/server.js')) {
  say('FAIL dist/server.js is missing')
  process.exit(1)
}

// Files the code reads relative to its own module (migrations, fonts, ...) must resolve from dist/ too.
const relative = /new URL\((['"])([^'"]+)\1,\s*import\.meta\.url\)/g
const missing = []
let found = 0
for (const file of readdirSync('dist', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.js'))) {
  for (const m of readFileSync(join('dist', file), 'utf8').matchAll(relative)) {
    found++
    const target = fileURLToPath(new URL(m[2], pathToFileURL(join(process.cwd(), 'dist', file))))
    if (!existsSync(target)) missing.push(`${file}: ${m[2]} → ${target}`)
  }
}
check(missing.length === 0, `the ${found} files dist/ reads relative to its modules exist`, missing.join('; '))

// The image keeps only `dependencies` (npm prune --omit=dev): dist/ must import nothing else.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const imported = new Set()
for (const file of readdirSync('dist', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.js'))) {
  for (const m of readFileSync(join('dist', file), 'utf8').matchAll(
    /(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"./][^'"]*)['"]|import\(\s*['"]([^'"./][^'"]*)['"]\s*\)/gm,
  )) {
    const spec = m[1] ?? m[2]
    if (spec.startsWith('node:')) continue
    imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
  }
}
const notShipped = [...imported].filter((p) => !(p in (pkg.dependencies ?? {})))
check(
  imported.size > 0 && notShipped.length === 0,
  `dist/ imports only production dependencies (${imported.size} packages)`,
  notShipped.join(', '),
)

const name = `emsp_smoke_${randomBytes(6).toString('hex')}`
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
await admin.unsafe(`create database ${name}`)
const databaseUrl = new URL(serverUrl)
databaseUrl.pathname = `/${name}`

// Only what a container would be given: no development variables leak in.
const env = {
  PATH: process.env.PATH,
  ENV_FILE: '/dev/null', // the image has no .env (.dockerignore): neither does this run
  NODE_ENV: 'production',
  PORT: '0',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://emsp.smoke.invalid',
  DATABASE_URL: databaseUrl.toString(),
  ADMIN_TOKEN,
  METRICS_TOKEN,
  PORTAL_SECRET: randomBytes(24).toString('hex'),
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  LOG_LEVEL: 'info',
}
// as compose.yaml does: migrate as its own step, then start
const migrate = spawnSync(process.execPath, ['dist/migrate.js'], { env, encoding: 'utf8', timeout: 120_000 })
check(
  migrate.status === 0 && /migrations applied/.test(migrate.stdout),
  'node dist/migrate.js applies the migrations',
  `${migrate.status} ${migrate.stderr.slice(-2000)}`,
)
const server = spawn(process.execPath, ['dist/server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
let log = ''
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })))
const collect = (chunk) => {
  log += chunk.toString('utf8')
}
server.stdout.on('data', collect)
server.stderr.on('data', collect)

const listening = () =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 60_000)
    const look = () => {
      const m = /eMSP listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    server.stdout.on('data', look)
    server.stderr.on('data', look)
    exited.then(() => {
      clearTimeout(timer)
      resolve(undefined)
    })
  })

const get = async (url, headers = {}) => {
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) })
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    location: res.headers.get('location') ?? '',
    text: await res.text(),
  }
}

try {
  const url = await listening()
  if (check(Boolean(url), 'node dist/server.js starts (NODE_ENV=production, PostgreSQL, migrations applied)', log.slice(-3000))) {
    const live = await get(`${url}/healthz`)
    check(live.status === 200, 'GET /healthz 200', String(live.status))
    const ready = await get(`${url}/readyz`)
    check(
      ready.status === 200 && /"database":"postgres"/.test(ready.text),
      'GET /readyz 200 on PostgreSQL',
      `${ready.status} ${ready.text}`,
    )
    const versions = await get(`${url}/ocpi/versions`)
    check(
      versions.status === 401 && /"status_code":2\d\d\d/.test(versions.text),
      'GET /ocpi/versions answers OCPI (401 without a credentials token)',
      `${versions.status} ${versions.text.slice(0, 200)}`,
    )
    const metrics = await get(`${url}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` })
    check(
      metrics.status === 200 && metrics.text.includes('emsp_http_request_duration_seconds') && metrics.text.includes('emsp_jobs'),
      'GET /metrics 200 with METRICS_TOKEN',
      `${metrics.status} ${metrics.text.slice(0, 200)}`,
    )
    const closed = await get(`${url}/metrics`)
    check(closed.status === 401 || closed.status === 403, 'GET /metrics refused without the token', String(closed.status))
    const portal = await get(`${url}/portal/login`)
    check(portal.status === 200 && portal.type.startsWith('text/html'), 'GET /portal/login 200 html', `${portal.status} ${portal.type}`)
    const consoleLogin = await get(`${url}/console/login`)
    check(
      consoleLogin.status === 200 && consoleLogin.type.startsWith('text/html'),
      'GET /console/login 200 html',
      `${consoleLogin.status} ${consoleLogin.type}`,
    )
    const consoleHome = await get(`${url}/console/`)
    check([200, 302, 303].includes(consoleHome.status), 'GET /console/ answers (sign-in redirect)', String(consoleHome.status))
    const docs = await get(`${url}/docs/json`)
    check(docs.status === 200 && docs.text.includes('"openapi"'), 'GET /docs/json 200', String(docs.status))

    const sent = Date.now()
    server.kill('SIGTERM')
    const bound = new Promise((resolve) => setTimeout(() => resolve({ code: 'not within the bound' }), SHUTDOWN_TIMEOUT_MS + 2000))
    const exit = await Promise.race([exited, bound])
    check(exit.code === 0, `SIGTERM → exit 0 (${Date.now() - sent} ms)`, `${JSON.stringify(exit)}\n${log.slice(-3000)}`)
  }
} finally {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
}
say(failed ? 'FAILED' : 'passed')
process.exit(failed ? 1 : 0)
