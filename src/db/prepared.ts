import { sql, type SQL } from 'drizzle-orm'
import type { Db } from './client.js'

/**
 * Named prepared statements for the hot OCPI paths.
 *
 * Why: `db.execute(sql\`…\`)` runs through drizzle's unnamed query, and postgres.js then needs two
 * round trips per statement (Parse+Describe to learn the parameter types, then Bind+Execute) and
 * Postgres parses and plans the statement every time. A named statement is described once per
 * connection; afterwards each call is one round trip (Bind+Execute) on a cached plan.
 * On postgres.js the statement goes straight to the driver (`unsafe(text, params, { prepare: true })`,
 * the call drizzle itself makes, minus its per-call placeholder filling and tracing); on PGlite it
 * runs through drizzle's prepared query (the name is ignored there; same SQL, same results).
 *
 * `build` receives a placeholder function and must return SQL whose text never varies: every
 * value is a placeholder (lists go in as one JSON text parameter). Values are given per call.
 * Only for the root handle: a statement prepared here is bound to that `db`, never to a transaction.
 */
export const preparedStatement = <P extends string, Row>(name: string, build: (p: (key: P) => SQL) => SQL) => {
  type Execute = (values: Record<string, unknown>) => Promise<Row[]>
  const byDb = new WeakMap<Db, Execute>()
  const prepare = (db: Db): Execute => {
    // drizzle keeps these public at runtime (and in its own `.prepare()`); they are not in its types.
    const internals = db as unknown as {
      $client?: { unsafe?: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<Row[]> }
      dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } }
      session: {
        prepareQuery(
          q: { sql: string; params: unknown[] },
          fields: undefined,
          name: string,
          arrayMode: boolean,
        ): { execute(values: Record<string, unknown>): Promise<unknown> }
      }
    }
    const query = internals.dialect.sqlToQuery(build((key) => sql`${sql.placeholder(key)}`))
    const unsafe = internals.$client?.unsafe?.bind(internals.$client)
    if (unsafe) {
      const names = query.params.map((param) => (param as { name: string }).name)
      return (values) =>
        unsafe(
          query.sql,
          names.map((key) => values[key]),
          { prepare: true },
        )
    }
    const statement = internals.session.prepareQuery(query, undefined, name, false)
    return async (values) => {
      const result = (await statement.execute(values)) as Row[] | { rows: Row[] }
      return Array.isArray(result) ? result : result.rows
    }
  }
  return async (db: Db, values: Record<P, unknown>): Promise<Row[]> => {
    let execute = byDb.get(db)
    if (!execute) byDb.set(db, (execute = prepare(db)))
    return execute(values)
  }
}
