import { ConfigError, loadConfig, withEnvFile } from './config.js'
import { DataDirInUseError, openDatabase } from './db/client.js'

/**
 * `npm run migrate` (built: `node dist/migrate.js`): applies the migrations in drizzle/ and exits,
 * for deployments that migrate as their own step before starting instances. Instances migrate at
 * start too; on PostgreSQL both take the same advisory lock, so they never race.
 */
const main = async () => {
  try {
    const config = loadConfig(withEnvFile(process.env))
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
    await database.close()
    console.log(`migrations applied (${database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`)
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirInUseError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

void main()
