import type { BrowseEntry, BrowsePath, ResolvedConnection } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { openSqlite } from './open'
import { duckdbTypeOf } from './types'

/** A SQLite file has one schema that Sluice reads and writes: `main`. */
export const sqliteSchema = 'main'

/** Schemas, then tables and views of `main`, then a table's columns. */
export function browseSqlite(connection: ResolvedConnection, path: BrowsePath): BrowseEntry[] {
  const database = openSqlite(connection, { readonly: true })
  try {
    if (path.schema === undefined) {
      return [{ type: 'schema', name: sqliteSchema }]
    }
    if (path.table === undefined) {
      const tables = database
        .prepare(
          `SELECT name, type FROM sqlite_schema
           WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           ORDER BY name`,
        )
        .all() as Array<{ name: string; type: string }>
      return tables.map(({ name, type }) => {
        const view = type === 'view'
        // SQLite keeps no row estimate; count(*) walks the table's smallest b-tree, which is
        // quick for files of the size people keep in SQLite. Views are not run.
        const estimatedRows = view
          ? null
          : Number(
              (
                database
                  .prepare(`SELECT count(*) AS rows FROM main.${quoteIdentifier('sqlite', name)}`)
                  .get() as { rows: number }
              ).rows,
            )
        return { type: 'table', schema: sqliteSchema, name, view, estimatedRows }
      })
    }
    const columns = database
      .prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?, ?) ORDER BY cid')
      .all(path.table, sqliteSchema) as Array<{
      name: string
      type: string
      notnull: number
      pk: number
    }>
    return columns.map((column) => ({
      type: 'column',
      name: column.name,
      serverType: column.type,
      duckdbType: duckdbTypeOf(column.type),
      // An INTEGER PRIMARY KEY is the rowid and never NULL; other SQLite keys may hold NULL.
      nullable: column.notnull === 0 && !(column.pk > 0 && column.type.toUpperCase() === 'INTEGER'),
      primaryKey: column.pk > 0,
    }))
  } finally {
    database.close()
  }
}
