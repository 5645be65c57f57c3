import type { DuckDBConnection } from '@duckdb/node-api'
import { quoteLiteral } from '../duckdb/quote'

/** Whether a relation is a base table, whose `rowid` numbers rows in order at no cost. */
export async function hasRowIds(connection: DuckDBConnection, ref: string): Promise<boolean> {
  try {
    await connection.run(`SELECT rowid FROM ${ref} LIMIT 0`)
    return true
  } catch {
    return false
  }
}

/** Drops a previous output, a table or a view, since DuckDB will not replace one by the other. */
export async function dropRelation(connection: DuckDBConnection, relation: string): Promise<void> {
  try {
    await connection.run(`DROP TABLE IF EXISTS ${relation}`)
  } catch {
    await connection.run(`DROP VIEW IF EXISTS ${relation}`)
  }
}

/**
 * Whether a relation is a temporary table or view (a preview's), which a stored view must not
 * read: it vanishes with the connection that made it.
 */
export async function isTemporary(connection: DuckDBConnection, ref: string): Promise<boolean> {
  const name = /"((?:[^"]|"")*)"$/.exec(ref)?.[1]?.replaceAll('""', '"')
  if (name === undefined) {
    return false
  }
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM (
       SELECT view_name AS name FROM duckdb_views() WHERE temporary
       UNION ALL SELECT table_name FROM duckdb_tables() WHERE temporary
     ) WHERE name = ${quoteLiteral(name)}`,
  )
  return Number(reader.getRowObjects()[0]?.n ?? 0) > 0
}

/**
 * Prepares `sql` without running it, which DuckDB refuses when the text holds several statements
 * (where running it would run them all): a rule's SQL expression must not smuggle in a statement
 * of its own. Binding errors (an unknown column, a misplaced aggregate) surface here too.
 */
export async function prepareOne(connection: DuckDBConnection, sql: string): Promise<void> {
  const prepared = await connection.prepare(sql)
  prepared.destroySync()
}

/** Whether an error is DuckDB refusing to prepare several statements as one. */
export function isSeveralStatements(thrown: unknown): boolean {
  return thrown instanceof Error && /multiple statements/i.test(thrown.message)
}
