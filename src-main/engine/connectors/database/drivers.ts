import type { ConnectionKind } from '../../../../src-shared/project'
import { duckdbFileDriver } from '../duckdb-file'
import { mysqlDriver } from '../mysql'
import { postgresDriver } from '../postgres'
import { sqliteDriver } from '../sqlite'
import type { DatabaseDriver } from './contract'

const drivers: Record<ConnectionKind, DatabaseDriver> = {
  postgres: postgresDriver,
  mysql: mysqlDriver,
  sqlite: sqliteDriver,
  duckdb: duckdbFileDriver,
}

/** The driver that reads, writes, tests and browses connections of a kind. */
export function driverFor(kind: ConnectionKind): DatabaseDriver {
  return drivers[kind]
}
