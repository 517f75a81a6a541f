// Writes openapi/openapi.json from the app's route schemas (`npm run openapi`). CI regenerates it and
// fails when the committed file differs. An empty in-memory database backs the app: routes are only
// described, never called.
import { mkdirSync, writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { configFrom } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'

const database = await openDatabase({ migrate: false })
const app = await buildApp({
  config: configFrom({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
  database,
  logger: false,
  startJobs: false,
})
await app.ready()
mkdirSync('openapi', { recursive: true })
writeFileSync('openapi/openapi.json', `${JSON.stringify(app.swagger(), null, 2)}\n`)
await app.close()
console.log('wrote openapi/openapi.json')
