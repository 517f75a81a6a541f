import { buildApp, publicUrl } from './app.js'
import { ConfigError, loadConfig, withEnvFile, type Config } from './config.js'
import { DataDirInUseError, describeDatabaseUrl, openDatabase, waitForDatabase } from './db/client.js'

/**
 * Entry point: configuration (environment over `.env`), database (migrated), app, listen, and a
 * bounded graceful shutdown on SIGTERM/SIGINT: stop accepting, end event streams, stop the job
 * runner (running jobs finish or release their lease), close the database, exit 0. If that takes
 * longer than SHUTDOWN_TIMEOUT_MS, one line is logged and the process exits 1.
 */
const main = async () => {
  let config
  try {
    config = loadConfig(withEnvFile(process.env))
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const database = await openDatabaseOrExit(config)
  const app = await buildApp({ config, database })
  const shutdownTimeoutMs = config.shutdownTimeoutMs
  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutting down')
    const bound = setTimeout(() => {
      app.log.error({ signal, timeoutMs: shutdownTimeoutMs }, `shutdown did not finish within ${shutdownTimeoutMs} ms; exiting`)
      process.exit(1)
    }, shutdownTimeoutMs)
    bound.unref()
    app.close().then(
      () => {
        app.log.info('shut down cleanly')
        process.exit(0)
      },
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  await app.listen({ port: config.port, host: config.host })
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
  const address = app.server.address()
  const port = address && typeof address === 'object' ? address.port : config.port
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host
  const url = publicUrl(app, config)
  app.log.info(`eMSP listening on http://${host}:${port} (database: ${where}); OCPI versions at ${url}/ocpi/versions`)
}

/**
 * The database, migrated; an unreachable PostgreSQL is retried for DATABASE_START_TIMEOUT_S, then
 * start-up ends with one line on stderr and exit code 1 (no stack trace, no credentials). A second
 * process on the embedded data folder gets the lock's message.
 */
const openDatabaseOrExit = async (config: Config) => {
  try {
    if (config.databaseUrl)
      await waitForDatabase(config.databaseUrl, { timeoutS: config.databaseStartTimeoutS, log: (line) => console.error(line) })
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      console.error(err.message)
      process.exit(1)
    }
    const where = config.databaseUrl ? describeDatabaseUrl(config.databaseUrl) : `the embedded PGlite in ${config.dataDir}`
    const message = (err as Error).message?.split('\n')[0] ?? String(err)
    console.error(message.startsWith('database ') ? message : `database at ${where} could not be opened: ${message}`)
    process.exit(1)
  }
}

void main()
