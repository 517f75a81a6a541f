import { buildApp, publicUrl } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { describeDatabaseUrl, openDatabase, waitForDatabase } from './db/client.js'

/** Entry point: configuration, database (migrated), app, listen, graceful shutdown. */
const main = async () => {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const database = await openDatabaseOrExit(config)
  const app = await buildApp({ config, database })
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down')
    await app.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void close('SIGINT'))
  process.once('SIGTERM', () => void close('SIGTERM'))
  await app.listen({ port: config.port, host: config.host })
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
  const url = publicUrl(app, config)
  app.log.info(`eMSP listening on ${url} (database: ${where}); OCPI versions at ${url}/ocpi/versions`)
}

/**
 * The database, migrated; an unreachable PostgreSQL is retried for DATABASE_START_TIMEOUT_S, then
 * start-up ends with one line on stderr and exit code 1 (no stack trace, no credentials).
 */
const openDatabaseOrExit = async (config: Config) => {
  try {
    if (config.databaseUrl) await waitForDatabase(config.databaseUrl, { timeoutS: config.databaseStartTimeoutS, log: (line) => console.error(line) })
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  } catch (err) {
    const where = config.databaseUrl ? describeDatabaseUrl(config.databaseUrl) : `the embedded PGlite in ${config.dataDir}`
    const message = (err as Error).message?.split('\n')[0] ?? String(err)
    console.error(message.startsWith('database ') ? message : `database at ${where} could not be opened: ${message}`)
    process.exit(1)
  }
}

void main()
