import { buildApp, publicUrl } from './app.js'
import { ConfigError, loadConfig, withEnvFile } from './config.js'
import { DataDirInUseError, openDatabase } from './db/client.js'

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
  let database
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
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

void main()
