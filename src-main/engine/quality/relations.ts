import type { DuckDBConnection } from '@duckdb/node-api'

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
