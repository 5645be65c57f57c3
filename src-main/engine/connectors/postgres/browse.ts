import type { BrowseEntry, BrowsePath, ResolvedConnection } from '../database/contract'
import { closeClient, openClient } from './connect'
import { describeTableColumns } from './table-columns'
import { duckdbTypeFor } from './types'

/** Schemas PostgreSQL keeps for itself, never a place for user data. */
const systemSchemas = `nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'`

/** One level of the browse tree: schemas, the tables and views of a schema, a table's columns. */
export async function browsePostgres(
  connection: ResolvedConnection,
  path: BrowsePath,
): Promise<BrowseEntry[]> {
  const client = await openClient(connection)
  try {
    if (path.schema === undefined) {
      const result = await client.query<{ name: string }>(
        `SELECT nspname AS name FROM pg_namespace WHERE ${systemSchemas} ORDER BY nspname`,
      )
      return result.rows.map((row) => ({ type: 'schema', name: row.name }))
    }
    if (path.table === undefined) {
      // reltuples is the planner's estimate: free to read, and -1 until the table is analysed.
      const result = await client.query<{ name: string; view: boolean; estimate: number }>(
        `SELECT c.relname AS name, c.relkind IN ('v', 'm') AS view, c.reltuples::float8 AS estimate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         ORDER BY c.relname`,
        [path.schema],
      )
      return result.rows.map((row) => ({
        type: 'table',
        schema: path.schema ?? '',
        name: row.name,
        view: row.view,
        estimatedRows: row.view || row.estimate < 0 ? null : Math.round(row.estimate),
      }))
    }
    const columns = await describeTableColumns(client, path.schema, path.table)
    return columns.map((column) => ({
      type: 'column',
      name: column.name,
      serverType: column.serverType,
      duckdbType: duckdbTypeFor(column).duckdbType,
      nullable: column.nullable,
      primaryKey: column.primaryKey,
    }))
  } finally {
    await closeClient(client)
  }
}
