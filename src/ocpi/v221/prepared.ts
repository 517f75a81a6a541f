import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'

/**
 * Named prepared statements for the hot OCPI paths.
 *
 * Why: `db.execute(sql\`…\`)` runs through drizzle's unnamed query, and postgres.js then needs two
 * round trips per statement (Parse+Describe to learn the parameter types, then Bind+Execute) and
 * Postgres parses and plans the statement every time. A named statement is described once per
 * connection; afterwards each call is one round trip (Bind+Execute) on a cached plan. On PGlite
 * the name is ignored and the statement simply runs (same SQL, same results).
 *
 * `build` receives a placeholder function and must return SQL whose text never varies: every
 * value is a placeholder (lists go in as one JSON text parameter). Values are given per call.
 * Only for the root handle: a statement prepared here is bound to that `db`, never to a transaction.
 */
export const preparedStatement = <P extends string, Row>(name: string, build: (p: (key: P) => SQL) => SQL) => {
  type Prepared = { execute(values: Record<string, unknown>): Promise<unknown> }
  const byDb = new WeakMap<Db, Prepared>()
  const prepare = (db: Db): Prepared => {
    // drizzle keeps these public at runtime (and in its own `.prepare()`); they are not in its types.
    const internals = db as unknown as {
      dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } }
      session: { prepareQuery(q: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): Prepared }
    }
    const query = internals.dialect.sqlToQuery(build((key) => sql`${sql.placeholder(key)}`))
    return internals.session.prepareQuery(query, undefined, name, false)
  }
  return async (db: Db, values: Record<P, unknown>): Promise<Row[]> => {
    let statement = byDb.get(db)
    if (!statement) byDb.set(db, (statement = prepare(db)))
    const result = (await statement.execute(values)) as Row[] | { rows: Row[] }
    return Array.isArray(result) ? result : result.rows
  }
}
