// A second instance for scripts/bench/backlog.ts (issue 20.1): a separate Node process that runs only the job
// runner of the app against the bench database, started and stopped by its parent over IPC.
// Messages in: 'start' (start the workers), 'stop' (stop them; answers { cpuMs } used since 'start'), 'exit'.
import { buildApp } from '../../src/app.js'
import { configFrom } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'

const url = process.argv[2]
if (!url || !process.send) throw new Error('usage: forked by backlog.ts with the database URL')
const jobsEnv = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('JOBS_') && e[1] !== undefined),
)
const database = await openDatabase({ databaseUrl: url, poolSize: 10, migrate: false })
const config = configFrom({
  ADMIN_TOKEN: 'bench-admin-token-0123456789',
  LOG_LEVEL: 'silent',
  DATABASE_URL: url,
  JOBS_POLL_MS: '20',
  ...jobsEnv,
})
const app = await buildApp({ config, database, logger: false, closeDatabase: false, startJobs: false })
let cpu0 = process.cpuUsage()
process.on('message', (message) => {
  if (message === 'start') {
    cpu0 = process.cpuUsage()
    app.jobs.start()
  } else if (message === 'stop') {
    void app.jobs.stop({ timeoutMs: 5000 }).then(() => {
      const used = process.cpuUsage(cpu0)
      process.send!({ cpuMs: (used.user + used.system) / 1000 })
    })
  } else if (message === 'exit') {
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
  }
})
process.send('ready')
