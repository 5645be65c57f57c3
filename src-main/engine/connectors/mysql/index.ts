import type { DatabaseDriver } from '../database/contract'
import { browseMysql } from './browse'
import { testMysql } from './test-connection'
import { readMysql } from './read'
import { writeMysql } from './write'

/** The MySQL/MariaDB driver: connection test, browse, streaming reads and atomic pushes. */
export const mysqlDriver: DatabaseDriver = {
  test: testMysql,
  browse: browseMysql,
  read: readMysql,
  write: writeMysql,
}
