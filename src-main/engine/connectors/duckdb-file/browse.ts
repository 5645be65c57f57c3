import type { DuckDBConnection } from '@duckdb/node-api'
import type { BrowseEntry, BrowsePath, ResolvedConnection } from '../database/contract'
import { rowsOf } from './statements'
import { withAttachedFile } from './attach'

/** Schemas, tables and views (with DuckDB's row estimate), then a table's columns. */
export function browseDuckdbFile(
  connection: ResolvedConnection,
  path: BrowsePath,
): Promise<BrowseEntry[]> {
  return withAttachedFile(connection, async (duckdb, attached) => {
    if (path.schema === undefined) {
      const schemas = await rowsOf(
        duckdb,
        'SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? ORDER BY schema_name',
        [attached.name],
      )
      return schemas.map((row) => ({ type: 'schema', name: String(row.schema_name) }))
    }
    if (path.table === undefined) {
      return browseTables(duckdb, attached.name, path.schema)
    }
    return browseColumns(duckdb, attached.name, path.schema, path.table)
  })
}

async function browseTables(
  duckdb: DuckDBConnection,
  database: string,
  schema: string,
): Promise<BrowseEntry[]> {
  const rows = await rowsOf(
    duckdb,
    `SELECT table_name AS name, false AS view, estimated_size AS estimate
     FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?
     UNION ALL
     SELECT view_name, true, NULL FROM duckdb_views()
     WHERE database_name = ? AND schema_name = ? AND NOT internal
     ORDER BY name`,
    [database, schema, database, schema],
  )
  return rows.map((row) => ({
    type: 'table',
    schema,
    name: String(row.name),
    view: row.view === true,
    estimatedRows: row.estimate === null ? null : Number(row.estimate),
  }))
}

async function browseColumns(
  duckdb: DuckDBConnection,
  database: string,
  schema: string,
  table: string,
): Promise<BrowseEntry[]> {
  const rows = await rowsOf(
    duckdb,
    `SELECT c.column_name AS name, c.data_type AS type, c.is_nullable AS nullable,
       coalesce(list_contains(k.columns, c.column_name), false) AS key
     FROM duckdb_columns() c
     LEFT JOIN (
       SELECT schema_name, table_name, flatten(list(constraint_column_names)) AS columns
       FROM duckdb_constraints() WHERE database_name = ? AND constraint_type = 'PRIMARY KEY'
       GROUP BY ALL
     ) k USING (schema_name, table_name)
     WHERE c.database_name = ? AND c.schema_name = ? AND c.table_name = ?
     ORDER BY c.column_index`,
    [database, database, schema, table],
  )
  return rows.map((row) => ({
    type: 'column',
    name: String(row.name),
    serverType: String(row.type),
    duckdbType: String(row.type),
    nullable: row.nullable === true,
    primaryKey: row.key === true,
  }))
}
