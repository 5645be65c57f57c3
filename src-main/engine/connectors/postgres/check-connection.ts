import type { ConnectionTestResult, ResolvedConnection } from '../database/contract'
import { closeClient, openClient } from './connect'

/** Opens a connection and asks the server its version; failures carry a code per cause. */
export async function checkConnection(
  connection: ResolvedConnection,
): Promise<ConnectionTestResult> {
  const started = performance.now()
  const client = await openClient(connection)
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version')
    return {
      serverVersion: `PostgreSQL ${result.rows[0]?.server_version ?? ''}`.trim(),
      ms: Math.round(performance.now() - started),
    }
  } finally {
    await closeClient(client)
  }
}
