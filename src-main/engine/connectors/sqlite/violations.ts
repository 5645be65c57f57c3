import { quoteIdentifier } from '../database/identifiers'
import type { SqliteDatabase } from './open'

/**
 * After a constraint failure while merging, and before the rollback drops the staging table,
 * finds the first staged row that breaks the constraint. Rows are staged in input order, so a
 * staged rowid is the input row number. Null when the row cannot be told (CHECK constraints,
 * columns the input does not have).
 */
export function locateStagedViolation(
  database: SqliteDatabase,
  stage: string,
  table: string,
  keys: string[],
  columns: string[],
  message: string,
): string | null {
  const quote = (name: string) => quoteIdentifier('sqlite', name)
  const inInput = (name: string) =>
    columns.find((column) => column.toLowerCase() === name.toLowerCase())
  const first = (sql: string): number | null => {
    const row = database.prepare(sql).pluck().get() as number | bigint | null | undefined
    return row == null ? null : Number(row)
  }
  const notNull = /NOT NULL constraint failed: [^.]+\.(.+)$/.exec(message)
  const nullColumn = notNull?.[1] ? inInput(notNull[1]) : undefined
  if (nullColumn) {
    const row = first(`SELECT min(rowid) FROM ${stage} WHERE ${quote(nullColumn)} IS NULL`)
    return row === null ? null : `input row ${row}, column "${nullColumn}"`
  }
  const unique = /UNIQUE constraint failed: (.+)$/.exec(message)
  const uniqueColumns = unique?.[1]
    ? unique[1].split(', ').map((qualified) => inInput(qualified.slice(qualified.indexOf('.') + 1)))
    : []
  if (uniqueColumns.length === 0 || uniqueColumns.some((column) => column === undefined)) {
    return null
  }
  const quoted = (uniqueColumns as string[]).map(quote)
  // Another staged row with the same values, or a table row with them under another key.
  const repeated = first(
    `SELECT min(rowid) FROM (SELECT rowid, row_number() OVER (PARTITION BY ${quoted.join(', ')} ORDER BY rowid) AS n
     FROM ${stage} WHERE ${quoted.map((name) => `${name} IS NOT NULL`).join(' AND ')}) WHERE n > 1`,
  )
  const taken = first(
    `SELECT min(sluice_input.rowid) FROM ${stage} AS sluice_input JOIN ${table} AS sluice_target
     ON ${quoted.map((name) => `sluice_target.${name} = sluice_input.${name}`).join(' AND ')}
     WHERE NOT (${keys.map((key) => `sluice_target.${quote(key)} IS sluice_input.${quote(key)}`).join(' AND ')})`,
  )
  const rows = [repeated, taken].filter((row): row is number => row !== null)
  if (rows.length === 0) {
    return null
  }
  const names = (uniqueColumns as string[]).map((name) => `"${name}"`).join(', ')
  return `input row ${Math.min(...rows)}, column${quoted.length > 1 ? 's' : ''} ${names}`
}
