import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { IdentifierError } from '../database/identifiers'

/** A PostgreSQL error in words a user reads, and everything the server said for the run log. */
export interface DescribedError {
  reason: string
  detail: string
}

/** The fields `pg` copies from the server's ErrorResponse; all optional. */
interface ServerErrorFields {
  message?: string
  code?: string
  detail?: string
  hint?: string
  where?: string
  column?: string
  table?: string
}

/**
 * SQLSTATEs for a connection the server or an administrator closed, and the socket errors Node
 * reports when the server goes away while a COPY is still sending.
 */
const connectionLostCodes = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08003',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
])

/**
 * Describes a server error: its message, its DETAIL (such as the duplicate key), and where COPY
 * reports it, the row and column (`COPY t, line 900000, column id: "..."`).
 */
export function describePostgresError(thrown: unknown): DescribedError {
  const fields = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as ServerErrorFields
  const message = fields.message ?? String(thrown)
  const parts = [message.replace(/\.$/, '')]
  if (connectionLostCodes.has(fields.code ?? '') || /Connection terminated/i.test(message)) {
    parts[0] = `the connection to the server was lost (${parts[0]})`
  }
  if (fields.detail) {
    parts.push(fields.detail.replace(/\.$/, ''))
  }
  const place = copyPlace(fields.where ?? '') ?? (fields.column ? `column ${fields.column}` : null)
  if (place) {
    parts.push(place)
  }
  const detail = [
    fields.code ? `SQLSTATE ${fields.code}` : '',
    message,
    fields.detail ?? '',
    fields.hint ?? '',
    fields.where ?? '',
  ]
    .filter(Boolean)
    .join('\n')
  return { reason: parts.join('; '), detail }
}

/** `row N, column c` from COPY's error context, or null when the error did not come from COPY. */
function copyPlace(where: string): string | null {
  const match = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(where)
  if (!match) {
    return null
  }
  return match[2] ? `row ${match[1]}, column ${match[2]}` : `row ${match[1]}`
}

/** A refused table, schema or column name as `BAD_IDENTIFIER` for the node. */
export function identifierFailure(
  error: IdentifierError,
  nodeId: string,
  what: string,
): SluiceFailure {
  return new SluiceFailure(
    sluiceError(
      'BAD_IDENTIFIER',
      { node: nodeId, what, name: error.identifier, reason: error.reason },
      { nodeId, detail: error.message },
    ),
  )
}
