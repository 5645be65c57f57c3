import type { WriteRequest } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { rowsOf } from './statements'

/**
 * After a constraint failure (and the rollback), finds the first input row that breaks it, for
 * the error message: DuckDB names the duplicate key's value or the NULL column, not the row.
 * An appended or merged row may also collide with the table's own rows (for a merge, rows of
 * another key); after truncate or replace only input rows can collide. Null when the row cannot
 * be told (CHECK constraints, columns the input does not have).
 */
export async function locateViolation(
  request: WriteRequest,
  database: string,
  schema: string,
  table: string,
  message: string,
  keys: string[],
): Promise<string | null> {
  const numbered = `(SELECT row_number() OVER () AS sluice_row, * FROM ${request.input.ref}) AS sluice_input`
  const notNull = /NOT NULL constraint failed: [^.]*\.(.+)$/m.exec(message)
  if (notNull?.[1]) {
    const column = quoteIdentifier('duckdb', notNull[1])
    const [row] = await rowsOf(
      request.duckdb,
      `SELECT min(sluice_row) AS row FROM ${numbered} WHERE ${column} IS NULL`,
    )
    return row?.row == null ? null : `input row ${String(row.row)}, column "${notNull[1]}"`
  }
  if (!/duplicate key/i.test(message)) {
    return null
  }
  const constraints = await rowsOf(
    request.duckdb,
    `SELECT constraint_column_names AS columns FROM duckdb_constraints()
     WHERE database_name = ? AND schema_name = ? AND lower(table_name) = lower(?)
       AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
    [database, schema, request.table],
  )
  const againstTable = request.mode !== 'truncate' && request.mode !== 'replace'
  const otherKey =
    keys.length > 0
      ? ` AND NOT (${keys
          .map((key) => quoteIdentifier('duckdb', key))
          .map((key) => `sluice_target.${key} IS NOT DISTINCT FROM sluice_input.${key}`)
          .join(' AND ')})`
      : ''
  let first: { row: number; columns: string[] } | null = null
  for (const constraint of constraints) {
    const columns = (constraint.columns as string[]).filter((name) =>
      request.input.columns.some((column) => column.name.toLowerCase() === name.toLowerCase()),
    )
    if (columns.length === 0) {
      continue
    }
    const unique = columns.map((name) => quoteIdentifier('duckdb', name))
    const inTable = againstTable
      ? ` OR EXISTS (SELECT 1 FROM ${table} AS sluice_target WHERE ${unique
          .map((key) => `sluice_target.${key} = sluice_input.${key}`)
          .join(' AND ')}${otherKey})`
      : ''
    const [found] = await rowsOf(
      request.duckdb,
      `SELECT min(sluice_row) AS row FROM (
         SELECT *, row_number() OVER (PARTITION BY ${unique.join(', ')} ORDER BY sluice_row) > 1 AS repeated
         FROM ${numbered} WHERE ${unique.map((key) => `${key} IS NOT NULL`).join(' AND ')}
       ) AS sluice_input WHERE repeated${inTable}`,
    )
    const row = found?.row == null ? null : Number(found.row)
    if (row !== null && (first === null || row < first.row)) {
      first = { row, columns }
    }
  }
  return first
    ? `input row ${first.row}, column${first.columns.length > 1 ? 's' : ''} ${first.columns.map((name) => `"${name}"`).join(', ')}`
    : null
}
