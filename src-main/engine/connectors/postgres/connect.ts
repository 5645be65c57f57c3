import { readFile } from 'node:fs/promises'
import type { ConnectionOptions as TlsOptions } from 'node:tls'
import pg from 'pg'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ResolvedConnection } from '../database/contract'
import { connectionFailure } from './connection-failures'

/**
 * Session settings every Sluice connection uses, so values travel in one known text form:
 * UTC offsets for timestamptz, ISO dates, hex bytea, and shortest exact floats.
 */
const sessionSettings = [
  `SET TimeZone = 'UTC'`,
  `SET DateStyle = 'ISO, YMD'`,
  `SET bytea_output = 'hex'`,
  'SET extra_float_digits = 3',
].join('; ')

/**
 * The TLS options for `pg` from libpq's SSL modes. `prefer` is TLS without verification, retried
 * in the clear only when the server says it has no TLS (libpq does the same); `pg` itself has no
 * such mode. `verify-ca` checks the chain but not the host name; `verify-full` checks both.
 */
async function tlsOptions(connection: ResolvedConnection): Promise<false | TlsOptions> {
  switch (connection.sslMode) {
    case 'disable':
      return false
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false }
    case 'verify-ca':
    case 'verify-full': {
      const ca = connection.sslCaFile ? await readCaFile(connection) : undefined
      return {
        rejectUnauthorized: true,
        ...(ca ? { ca } : {}),
        ...(connection.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      }
    }
  }
}

async function readCaFile(connection: ResolvedConnection): Promise<string> {
  const file = connection.sslCaFile ?? ''
  try {
    return await readFile(file, 'utf8')
  } catch (thrown) {
    const reason = `the CA file ${file} cannot be read (${thrown instanceof Error ? thrown.message : String(thrown)})`
    throw new SluiceFailure(
      sluiceError('CONNECTION_TLS_FAILED', { host: connection.host, reason }, { detail: reason }),
    )
  }
}

/** A connected client with Sluice's session settings; failures are classified connection errors. */
export async function openClient(
  connection: ResolvedConnection,
  nodeId?: string,
): Promise<pg.Client> {
  const ssl = await tlsOptions(connection)
  try {
    return await connectWith(connection, ssl)
  } catch (thrown) {
    if (connection.sslMode === 'prefer' && serverHasNoTls(thrown)) {
      try {
        return await connectWith(connection, false)
      } catch (plain) {
        throw connectionFailure(plain, connection, nodeId)
      }
    }
    throw connectionFailure(thrown, connection, nodeId)
  }
}

function serverHasNoTls(thrown: unknown): boolean {
  return thrown instanceof Error && /does not support SSL/i.test(thrown.message)
}

async function connectWith(
  connection: ResolvedConnection,
  ssl: false | TlsOptions,
): Promise<pg.Client> {
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    ssl,
    connectionTimeoutMillis: connection.connectTimeoutMs,
    application_name: 'Sluice',
  })
  // A connection lost between queries emits 'error' on the client; without a listener Node
  // would crash the engine. The query in flight (if any) fails and is reported there.
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query(sessionSettings)
    return client
  } catch (thrown) {
    client.end().catch(() => undefined)
    throw thrown
  }
}

/** How long a polite goodbye may take before the socket is simply dropped. */
const closeTimeoutMs = 2000

/** Closes a client, never failing: a broken or stuck connection is closed by dropping its socket. */
export async function closeClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const ended = client.end().then(
    () => true,
    () => false,
  )
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), closeTimeoutMs)
  })
  if (!(await Promise.race([ended, late]))) {
    socketOf(client)?.destroy()
  }
  clearTimeout(timer)
}

/** The client's socket; `pg` does not type it, and only closing needs it. */
function socketOf(client: pg.Client): { destroy(): void } | undefined {
  return (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream
}
