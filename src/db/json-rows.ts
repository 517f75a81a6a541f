import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'

/**
 * Many rows of `table` as ONE parameter: `insert into t (<columns>) select <columns> from <from>`, the rows
 * sent as a JSON array read by `jsonb_to_recordset` with the columns' own types (issue 20.1).
 * Why: a batch written through drizzle's `.values(rows)` maps every value of every row to its own
 * placeholder (a few hundred per statement of 32 rows); building that was about a fifth of the job
 * runner's CPU per CDR, and PostgreSQL parses and plans the few hundred parameters each time. One JSON
 * text costs a `JSON.stringify`. Values go as JSON: Dates as ISO instants, Decimals as their text,
 * objects and arrays as jsonb, null or a missing key as NULL. Columns not listed take their defaults.
 */
export const jsonRows = <T extends PgTable>(table: T, keys: (keyof T['$inferInsert'] & string)[], rows: Record<string, unknown>[]) => {
  const columns = getTableColumns(table) as Record<string, { name: string; getSQLType(): string }>
  const cols = keys.map((key) => {
    const column = columns[key]
    if (!column) throw new Error(`no column ${key}`)
    return column
  })
  const records = rows.map((row) => Object.fromEntries(keys.map((key, i) => [cols[i]!.name, row[key] ?? null])))
  const names = cols.map((c) => `"${c.name}"`).join(', ')
  return {
    /** `"a", "b", …`: the column list, for the insert and the select. */
    columns: sql.raw(names),
    /** The row source, aliased `r`. */
    from: sql`jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${sql.raw(cols.map((c) => `"${c.name}" ${c.getSQLType()}`).join(', '))})`,
  } satisfies Record<string, SQL>
}
