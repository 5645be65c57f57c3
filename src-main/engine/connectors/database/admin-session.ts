import mysql from 'mysql2/promise'
import pg from 'pg'
import type { ServerInfo, ServerKind } from './test-servers'

/** A plain client for tests to set up and inspect tables on a test server, beside Sluice. */
export interface AdminSession {
  exec(sql: string): Promise<void>
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

export async function adminSession(kind: ServerKind, server: ServerInfo): Promise<AdminSession> {
  if (kind === 'postgres') {
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: server.database,
    })
    await client.connect()
    return {
      exec: async (sql) => {
        await client.query(sql)
      },
      rows: async (sql) => (await client.query(sql)).rows as Array<Record<string, unknown>>,
      close: () => client.end(),
    }
  }
  const connection = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  })
  return {
    exec: async (sql) => {
      await connection.query(sql)
    },
    rows: async (sql) => {
      const [rows] = await connection.query(sql)
      return rows as Array<Record<string, unknown>>
    },
    close: () => connection.end(),
  }
}
