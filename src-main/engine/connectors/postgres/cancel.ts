import type pg from 'pg'
import type { ResolvedConnection } from '../database/contract'
import { closeClient, openClient } from './connect'

/** The server process behind a client, which a second connection can cancel. */
export async function backendPid(client: pg.Client): Promise<number> {
  const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  return result.rows[0]?.pid ?? 0
}

/**
 * Cancels the statement running on `pid` when `signal` aborts: a second connection asks the
 * server to stop it (a statement busy on the server would not notice a closed socket until it
 * next writes). The statement then fails with SQLSTATE 57014 and the caller rolls back.
 * `onAbort` runs first, for local work such as a stream to stop. Returns the detach function.
 */
export function cancelOnAbort(
  connection: ResolvedConnection,
  pid: number,
  signal: AbortSignal,
  onAbort: () => void = () => undefined,
): () => void {
  const cancel = (): void => {
    onAbort()
    void cancelBackend(connection, pid)
  }
  signal.addEventListener('abort', cancel, { once: true })
  return () => signal.removeEventListener('abort', cancel)
}

async function cancelBackend(connection: ResolvedConnection, pid: number): Promise<void> {
  try {
    const client = await openClient(connection)
    try {
      await client.query('SELECT pg_cancel_backend($1)', [pid])
    } finally {
      await closeClient(client)
    }
  } catch {
    // The server is unreachable; the caller drops its own connection, which ends the work too.
  }
}
