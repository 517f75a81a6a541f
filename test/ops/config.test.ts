import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig, withEnvFile } from '../../src/config.js'

const dir = mkdtempSync(join(tmpdir(), 'emsp-env-'))
const file = join(dir, 'test.env')
writeFileSync(file, '# comment\nPORT=4100\nLOG_LEVEL=warn\nPARTY_NAME="BMW Charging Test"\nMETRICS_TOKEN=from-the-file-0123456789\n')

t.test('.env: its variables are read; the real environment wins', async (t) => {
  const config = loadConfig(withEnvFile({ ENV_FILE: file, LOG_LEVEL: 'error' }))
  t.equal(config.port, 4100, 'from the file')
  t.equal(config.party.name, 'BMW Charging Test', 'quoted value')
  t.equal(config.logLevel, 'error', 'the environment wins over the file')
  t.equal(config.metrics.token, 'from-the-file-0123456789')
})

t.test('.env: a missing .env is fine, a missing ENV_FILE is an error naming it', async (t) => {
  t.same(withEnvFile({ PORT: '1' }, join(dir, 'absent.env')), { PORT: '1' })
  t.throws(() => withEnvFile({ ENV_FILE: join(dir, 'absent.env') }), ConfigError)
  t.throws(() => withEnvFile({ ENV_FILE: join(dir, 'absent.env') }), { message: /ENV_FILE: .*absent\.env does not exist/ })
})

t.test('production refuses a PUBLIC_URL partners cannot reach', async (t) => {
  for (const url of [
    undefined,
    '',
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'https://emsp.localhost',
    'http://[::1]:3000',
    'http://0.0.0.0:3000',
  ]) {
    t.throws(
      () => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: url }),
      { message: /PUBLIC_URL: must be the address partners reach in production/ },
      `refused: ${url}`,
    )
  }
  t.equal(
    loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://emsp.bmw-charging.example/' }).publicUrl,
    'https://emsp.bmw-charging.example',
  )
  t.equal(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).publicUrl, 'http://localhost:3000', 'development: localhost is fine')
  t.equal(loadConfig({}).publicUrl, undefined, 'development: unset is fine')
})

t.test('PASSWORD_SCRYPT_COST: 17 by default (OWASP), lower only outside production', async (t) => {
  t.equal(loadConfig({}).portal.passwordScryptCost, 17)
  t.equal(loadConfig({ PASSWORD_SCRYPT_COST: '12' }).portal.passwordScryptCost, 12, 'development and tests may lower it')
  t.throws(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://emsp.bmw-charging.example', PASSWORD_SCRYPT_COST: '16' }), {
    message: /PASSWORD_SCRYPT_COST: must be at least 17 in production/,
  })
  t.equal(
    loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://emsp.bmw-charging.example', PASSWORD_SCRYPT_COST: '18' }).portal
      .passwordScryptCost,
    18,
  )
  t.throws(() => loadConfig({ PASSWORD_SCRYPT_COST: '9' }), ConfigError, 'below 2^10 is refused everywhere')
})

t.test('SHUTDOWN_TIMEOUT_MS: 10 s by default, validated', async (t) => {
  t.equal(loadConfig({}).shutdownTimeoutMs, 10_000)
  t.equal(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs, 2500)
  t.throws(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' }), ConfigError)
})

t.test('.env.example documents every variable, and copied as .env it is a valid configuration', async (t) => {
  const example = readFileSync('.env.example', 'utf8')
  const documented = new Set([...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]))
  const read = [...readFileSync('src/config.ts', 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]*): z\./gm)].map((m) => m[1]!)
  t.ok(read.length > 40, `the variables src/config.ts reads (${read.length})`)
  t.same(
    read.filter((v) => !documented.has(v)),
    [],
    'each is in .env.example',
  )
  t.ok(documented.has('ENV_FILE'), 'ENV_FILE too')
  const copy = join(dir, '.env')
  writeFileSync(copy, example)
  const config = loadConfig(withEnvFile({}, copy))
  t.equal(config.port, 3000, 'inline comments are not part of the values')
  t.equal(config.shutdownTimeoutMs, 10_000)
  t.equal(config.mail.from, 'BMW Charging <no-reply@localhost>')
})
