import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ResolvedConnection } from '../database/contract'

/** What Node, OpenSSL and `pg` put on a connection error; all optional. */
interface ErrorFields {
  code?: string
  message?: string
}

/** Node's codes for a certificate the TLS layer would not accept. */
const certificateCodes =
  /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_SSL_)/

/**
 * Turns a failed connect into the error a user can act on: the name does not resolve, nothing
 * listens, the password is wrong, the server wants TLS, TLS failed, no such database, no answer.
 * A `SluiceFailure` (e.g. an unreadable CA file) passes through unchanged.
 */
export function connectionFailure(
  thrown: unknown,
  connection: ResolvedConnection,
  nodeId?: string,
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  const fields = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as ErrorFields
  const message = fields.message ?? String(thrown)
  const code = fields.code ?? ''
  const where = { ...(nodeId ? { nodeId } : {}), detail: `${code} ${message}`.trim() }
  const { host, port, user, database } = connection
  const fail = (...args: Parameters<typeof sluiceError>): SluiceFailure =>
    new SluiceFailure(sluiceError(args[0], args[1], where))

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return fail('CONNECTION_HOST_NOT_FOUND', { host })
  }
  if (code === 'ECONNREFUSED') {
    return fail('CONNECTION_REFUSED', { host, port })
  }
  // pg_hba.conf's `hostnossl ... reject` line: the role may connect, but only over TLS.
  if ((code === '28000' || code === '28P01') && /no encryption/i.test(message)) {
    return fail('CONNECTION_TLS_REQUIRED', { host })
  }
  if (code === '28P01' || code === '28000') {
    return fail('CONNECTION_AUTH_FAILED', { user })
  }
  if (code === '3D000') {
    return fail('CONNECTION_DATABASE_MISSING', { host, database })
  }
  if (code === 'ETIMEDOUT' || /timeout expired|connection timeout/i.test(message)) {
    return fail('CONNECTION_TIMEOUT', {
      host,
      port,
      seconds: Math.round(connection.connectTimeoutMs / 100) / 10,
    })
  }
  if (/does not support SSL/i.test(message)) {
    return fail('CONNECTION_TLS_FAILED', { host, reason: 'the server does not offer TLS' })
  }
  if (certificateCodes.test(code) || /certificate|SSL routines|TLS/i.test(message)) {
    return fail('CONNECTION_TLS_FAILED', { host, reason: firstSentence(message) })
  }
  return fail('CONNECTION_FAILED', { connection: connection.name, reason: firstSentence(message) })
}

function firstSentence(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '')
}
