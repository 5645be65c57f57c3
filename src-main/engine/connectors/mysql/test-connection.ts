import type { RowDataPacket } from 'mysql2/promise'
import type { ConnectionTestResult, ResolvedConnection } from '../database/contract'
import { closeSession, openSession } from './connect'

/** Connects, asks the server its version and reports how long that took. */
export async function testMysql(connection: ResolvedConnection): Promise<ConnectionTestResult> {
  const started = performance.now()
  const session = await openSession(connection)
  try {
    const [rows] = await session.query<RowDataPacket[]>('SELECT VERSION() AS version')
    const ms = Math.round(performance.now() - started)
    return { serverVersion: String(rows[0]?.version ?? ''), ms }
  } finally {
    await closeSession(session)
  }
}
