import type { DatabaseDriver } from '../database/contract'
import { browsePostgres } from './browse'
import { checkConnection } from './check-connection'
import { readFromPostgres } from './read'
import { writeToPostgres } from './write'

/**
 * PostgreSQL: reads stream through `COPY (...) TO STDOUT` into DuckDB's CSV reader; pushes
 * stream DuckDB's CSV through `COPY ... FROM STDIN` and merge in one transaction.
 */
export const postgresDriver: DatabaseDriver = {
  test: checkConnection,
  browse: browsePostgres,
  read: readFromPostgres,
  write: (request) => writeToPostgres(request),
}
