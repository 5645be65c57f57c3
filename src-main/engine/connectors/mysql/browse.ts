import type { RowDataPacket } from 'mysql2/promise'
import type { BrowseEntry, BrowsePath, ResolvedConnection } from '../database/contract'
import { closeSession, openSession } from './connect'
import { duckdbTypeFor, parseColumnType } from './types'

/** The server's own databases, which hold no user data. */
const systemSchemas = ['mysql', 'information_schema', 'performance_schema', 'sys']

/**
 * One level of the browse tree: databases, then tables and views with the server's row estimate
 * (`TABLE_ROWS`: exact for MyISAM, an InnoDB statistic otherwise), then columns with their types.
 * Names travel as bound values, never as SQL.
 */
export async function browseMysql(
  connection: ResolvedConnection,
  path: BrowsePath,
): Promise<BrowseEntry[]> {
  const session = await openSession(connection)
  try {
    if (path.schema === undefined || path.schema === '') {
      if (path.table !== undefined && path.table !== '') {
        return await browseColumns(session, connection.database, path.table)
      }
      const [rows] = await session.query<RowDataPacket[]>(
        `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA
         WHERE SCHEMA_NAME NOT IN (?) ORDER BY SCHEMA_NAME`,
        [systemSchemas],
      )
      return rows.map((row) => ({ type: 'schema', name: String(row.name) }))
    }
    if (path.table === undefined || path.table === '') {
      // Names the user typed are bound server-side (execute), never escaped into the text.
      const [rows] = await session.execute<RowDataPacket[]>(
        `SELECT TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_ROWS AS estimated
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
        [path.schema],
      )
      const schema = path.schema
      return rows.map((row) => {
        const view = String(row.kind) === 'VIEW'
        const estimated = row.estimated === null || view ? null : Number(row.estimated)
        return { type: 'table', schema, name: String(row.name), view, estimatedRows: estimated }
      })
    }
    return await browseColumns(session, path.schema, path.table)
  } finally {
    await closeSession(session)
  }
}

async function browseColumns(
  session: Awaited<ReturnType<typeof openSession>>,
  schema: string,
  table: string,
): Promise<BrowseEntry[]> {
  const [rows] = await session.execute<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS serverType, IS_NULLABLE AS nullable,
            COLUMN_KEY AS columnKey
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
     ORDER BY ORDINAL_POSITION`,
    [schema, table],
  )
  return rows.map((row) => {
    const serverType = String(row.serverType)
    return {
      type: 'column',
      name: String(row.name),
      serverType,
      duckdbType: duckdbTypeFor(parseColumnType(serverType)),
      nullable: String(row.nullable) === 'YES',
      primaryKey: String(row.columnKey) === 'PRI',
    }
  })
}
