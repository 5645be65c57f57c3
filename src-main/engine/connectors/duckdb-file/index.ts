import type { DatabaseDriver } from '../database/contract'
import { withAttachedFile } from './attach'
import { browseDuckdbFile } from './browse'
import { readDuckdbFile } from './read'
import { rowsOf } from './statements'
import { writeDuckdbFile } from './write'

/**
 * DuckDB database files, attached under a private alias: `connection.database` is the file's
 * absolute path. Reads and writes are set-based SQL on the run's staging connection.
 */
export const duckdbFileDriver: DatabaseDriver = {
  test: async (connection) => {
    const started = performance.now()
    return withAttachedFile(connection, async (duckdb, attached) => {
      // Reading the file's catalog proves it opens; the version is this DuckDB's own.
      await rowsOf(duckdb, 'SELECT count(*) FROM duckdb_tables() WHERE database_name = ?', [
        attached.name,
      ])
      const [row] = await rowsOf(duckdb, 'SELECT version() AS version')
      return {
        serverVersion: `DuckDB ${String(row?.version)}`,
        ms: Math.round(performance.now() - started),
      }
    })
  },
  browse: browseDuckdbFile,
  read: readDuckdbFile,
  write: writeDuckdbFile,
}
