import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import mysql from 'mysql2/promise'
import type { ResolvedConnection } from '../database/contract'
import { connectionFailure, isTlsUnavailable } from './failures'

/** What a session needs beyond the address: a source of LOAD DATA LOCAL files, when pushing. */
export interface SessionOptions {
  /** Opens the file a `LOAD DATA LOCAL INFILE` names; must yield Buffers. */
  infileStream?: (path: string) => Readable
  /** Pushes allow several statements in one hook (pre-/post-SQL); values are never pasted in. */
  multipleStatements?: boolean
}

/**
 * The mysql2 options for a connection. Values come back as exact text wherever JavaScript would
 * round or shift them: dates and times as strings (no `Date`, so no local time zone), BIGINT and
 * DECIMAL as strings, JSON as text. The session runs in UTC so TIMESTAMP columns read and write
 * as UTC.
 */
export function sessionOptions(
  connection: ResolvedConnection,
  tls: mysql.SslOptions | undefined,
  options: SessionOptions = {},
): mysql.ConnectionOptions {
  return {
    host: connection.host,
    port: connection.port,
    database: connection.database === '' ? undefined : connection.database,
    user: connection.user,
    password: connection.password,
    connectTimeout: connection.connectTimeoutMs,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    timezone: 'Z',
    ssl: tls,
    multipleStatements: options.multipleStatements ?? false,
    ...(options.infileStream ? { infileStreamFactory: options.infileStream } : {}),
  }
}

/**
 * The TLS settings for an SSL mode, as libpq defines them. `prefer` starts with an unverified
 * TLS connection and falls back to plain text only when the server does not offer TLS at all
 * (see `openSession`); `require` encrypts without checking the certificate; `verify-ca` checks
 * the certificate against the CA file; `verify-full` also checks the host name.
 */
export function tlsOptions(connection: ResolvedConnection): mysql.SslOptions | undefined {
  switch (connection.sslMode) {
    case 'disable':
      return undefined
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false }
    case 'verify-ca':
    case 'verify-full': {
      const ca = connection.sslCaFile ? readFileSync(connection.sslCaFile, 'utf8') : undefined
      return {
        ...(ca ? { ca } : {}),
        rejectUnauthorized: true,
        ...(connection.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      }
    }
  }
}

/**
 * Opens a session, or throws a `CONNECTION_*` failure that says what went wrong in plain words.
 * `nodeId` names the node in the error when a run opens it.
 */
export async function openSession(
  connection: ResolvedConnection,
  options: SessionOptions = {},
  nodeId?: string,
): Promise<mysql.Connection> {
  let tls: mysql.SslOptions | undefined
  try {
    tls = tlsOptions(connection)
  } catch (thrown) {
    throw connectionFailure(connection, thrown, nodeId)
  }
  try {
    return await mysql.createConnection(sessionOptions(connection, tls, options))
  } catch (thrown) {
    if (connection.sslMode === 'prefer' && isTlsUnavailable(thrown)) {
      try {
        return await mysql.createConnection(sessionOptions(connection, undefined, options))
      } catch (retried) {
        throw connectionFailure(connection, retried, nodeId)
      }
    }
    throw connectionFailure(connection, thrown, nodeId)
  }
}

/** Closes a session, ignoring a connection that is already gone (killed, timed out). */
export async function closeSession(session: mysql.Connection | undefined): Promise<void> {
  if (!session) {
    return
  }
  try {
    await session.end()
  } catch {
    session.destroy()
  }
}

/**
 * Runs `KILL QUERY` for another session from a fresh one: the only way to stop a statement the
 * server is busy with, since the busy session cannot take another command.
 */
export async function killQuery(connection: ResolvedConnection, threadId: number): Promise<void> {
  let admin: mysql.Connection | undefined
  try {
    admin = await openSession(connection)
    await admin.query(`KILL QUERY ${Math.trunc(threadId)}`)
  } catch {
    // Best effort: the caller also destroys the socket, which ends the statement on the server.
  } finally {
    await closeSession(admin)
  }
}
