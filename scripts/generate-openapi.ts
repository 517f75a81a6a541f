// Writes openapi/openapi.json from the app's route schemas (`npm run openapi`). CI regenerates it and
// fails when the committed file differs. No database is opened: routes are only described, never called.
import { mkdirSync, writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { configFrom } from '../src/config.js'
import type { Database } from '../src/db/client.js'

const unused = () => {
  throw new Error('the OpenAPI generator does not use the database')
}
const database = { db: new Proxy({}, { get: unused }), kind: 'pglite', ping: unused, close: async () => {} } as unknown as Database

const app = await buildApp({ config: configFrom({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }), database, logger: false, startJobs: false })
await app.ready()
mkdirSync('openapi', { recursive: true })
writeFileSync('openapi/openapi.json', `${JSON.stringify(app.swagger(), null, 2)}\n`)
await app.close()
console.log('wrote openapi/openapi.json')
