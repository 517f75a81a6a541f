import fp from 'fastify-plugin'
import type { Database } from './client.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
  }
}

/** Decorates the app with the opened database and closes it when the app closes. */
export const dbPlugin = fp(
  async (app, opts: { database: Database; closeOnExit: boolean }) => {
    app.decorate('database', opts.database)
    if (opts.closeOnExit) app.addHook('onClose', () => opts.database.close())
  },
  { name: 'db' },
)
