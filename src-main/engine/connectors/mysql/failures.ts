import { sluiceError, SluiceFailure, type ErrorCode } from '../../../../src-shared/errors'
import type { ResolvedConnection } from '../database/contract'

/** The fields mysql2 and Node's sockets put on their errors. */
interface ServerErrorFields {
  code?: string
  errno?: number
  sqlMessage?: string
  message?: string
}

function fieldsOf(thrown: unknown): ServerErrorFields {
  return typeof thrown === 'object' && thrown !== null ? (thrown as ServerErrorFields) : {}
}

/** The server's own sentence for an error, without mysql2's prefixes. */
export function serverMessage(thrown: unknown): string {
  const fields = fieldsOf(thrown)
  return fields.sqlMessage ?? fields.message ?? String(thrown)
}

/** The MySQL error number, e.g. 1045, or undefined for socket and client errors. */
export function serverErrno(thrown: unknown): number | undefined {
  const { errno } = fieldsOf(thrown)
  return typeof errno === 'number' && errno > 0 ? errno : undefined
}

/** The server does not offer TLS at all (mysql2 checks the handshake's capability flags). */
export function isTlsUnavailable(thrown: unknown): boolean {
  return fieldsOf(thrown).code === 'HANDSHAKE_NO_SSL_SUPPORT'
}

const tlsCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
])

/** MySQL's ER_SECURE_TRANSPORT_REQUIRED (3159) and MariaDB's (4036). */
const secureTransportRequired = new Set([3159, 4036])

/**
 * Turns a failed connection attempt into the one `CONNECTION_*` error that says what to fix.
 * MariaDB answers a user created `REQUIRE SSL` who connects without TLS exactly as it answers a
 * wrong password (1045, "Access denied"), so that case is reported as an authentication failure
 * with the hint in the detail; MySQL's `require_secure_transport` (3159) is reported as TLS
 * required.
 */
export function connectionFailure(
  connection: ResolvedConnection,
  thrown: unknown,
  nodeId?: string,
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  const { code = '', errno } = fieldsOf(thrown)
  const detail = `${code ? `${code}: ` : ''}${serverMessage(thrown)}`
  const where = { ...(nodeId ? { nodeId } : {}), detail }
  const address = { host: connection.host, port: connection.port }
  const fail = (errorCode: ErrorCode, params: Record<string, string | number>): SluiceFailure =>
    new SluiceFailure(sluiceError(errorCode, params, where))
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return fail('CONNECTION_HOST_NOT_FOUND', { host: connection.host })
  }
  if (code === 'ECONNREFUSED') {
    return fail('CONNECTION_REFUSED', address)
  }
  if (code === 'ETIMEDOUT' || code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return fail('CONNECTION_TIMEOUT', {
      ...address,
      seconds: Math.round(connection.connectTimeoutMs / 100) / 10,
    })
  }
  if (errno !== undefined && secureTransportRequired.has(errno)) {
    return fail('CONNECTION_TLS_REQUIRED', { host: connection.host })
  }
  if (code === 'ER_ACCESS_DENIED_ERROR' || errno === 1045) {
    return new SluiceFailure(
      sluiceError(
        'CONNECTION_AUTH_FAILED',
        { user: connection.user },
        {
          ...where,
          detail: `${detail} (a user created with REQUIRE SSL gets the same answer when connecting without TLS)`,
        },
      ),
    )
  }
  if (code === 'ER_BAD_DB_ERROR' || errno === 1049) {
    return fail('CONNECTION_DATABASE_MISSING', {
      host: connection.host,
      database: connection.database,
    })
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return fail('CONNECTION_TLS_FAILED', {
      host: connection.host,
      reason: 'the server does not support encrypted connections',
    })
  }
  if (
    tlsCertificateCodes.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code === 'ENOENT'
  ) {
    return fail('CONNECTION_TLS_FAILED', { host: connection.host, reason: serverMessage(thrown) })
  }
  return fail('CONNECTION_FAILED', { connection: connection.name, reason: serverMessage(thrown) })
}

/** Where a push failed: the node and the table, as the user named them. */
export interface PushPlace {
  nodeId: string
  table: string
}

/**
 * A push failure as `PUSH_FAILED` naming the node and the table, with the server's sentence,
 * which names the row and column where MySQL knows them ("Data too long for column 'x' at row
 * 5"). A cancel and known Sluice errors stay as they are.
 */
export function pushFailure(
  place: PushPlace,
  thrown: unknown,
  signal?: AbortSignal,
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  if (signal?.aborted) {
    return new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: place.nodeId }))
  }
  const reason = serverMessage(thrown)
  const { code } = fieldsOf(thrown)
  const lost =
    code === 'PROTOCOL_CONNECTION_LOST' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    serverErrno(thrown) === 1927
  return new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      {
        node: place.nodeId,
        table: place.table,
        reason: lost
          ? `the connection to the server was lost (${reason}); the transaction was rolled back and the table is unchanged`
          : reason,
      },
      { nodeId: place.nodeId, detail: `${code ? `${code}: ` : ''}${reason}` },
    ),
  )
}

/** A push failure with a sentence of our own, e.g. a mode that cannot apply. */
export function pushRefused(place: PushPlace, reason: string): SluiceFailure {
  return new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      { node: place.nodeId, table: place.table, reason },
      { nodeId: place.nodeId },
    ),
  )
}
