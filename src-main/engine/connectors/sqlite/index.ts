import type { DatabaseDriver } from '../database/contract'
import { browseSqlite } from './browse'
import { openSqlite } from './open'
import { readSqlite } from './read'
import { writeSqlite } from './write'

/**
 * SQLite files through better-sqlite3: `connection.database` is the file's absolute path. Reads
 * stream rows into DuckDB's Appender; writes are prepared inserts in one transaction.
 */
export const sqliteDriver: DatabaseDriver = {
  test: async (connection) => {
    const started = performance.now()
    const database = openSqlite(connection, { readonly: true })
    try {
      const version = database.prepare('SELECT sqlite_version()').pluck().get() as string
      return { serverVersion: `SQLite ${version}`, ms: Math.round(performance.now() - started) }
    } finally {
      database.close()
    }
  },
  browse: async (connection, path) => browseSqlite(connection, path),
  read: readSqlite,
  write: writeSqlite,
}
