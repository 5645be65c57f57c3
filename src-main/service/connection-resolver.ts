import { isAbsolute, resolve } from 'node:path'
import { connectionOptionsSchema } from '../../src-shared/databases'
import { sluiceError, SluiceFailure } from '../../src-shared/errors'
import type { Connection } from '../../src-shared/project'
import type { ConnectionResolver, ResolvedConnection } from '../engine/connectors/database/contract'
import type { ProjectStore } from '../store'
import type { SecretStore } from './secrets/secret-store'

const defaultPorts: Partial<Record<Connection['kind'], number>> = { postgres: 5432, mysql: 3306 }

/**
 * Turns a node's connection reference (an id, or a name in hand-written JSON) into everything a
 * driver needs to connect, with the secret from the secret store. File paths (SQLite and DuckDB
 * databases, CA files) resolve against the project's folder, as other paths in a project do.
 */
export function connectionResolver(
  store: ProjectStore,
  secrets: SecretStore,
  projectFolder: string,
): ConnectionResolver {
  return async (reference) => {
    const connection = findConnection(store, reference)
    const options = connectionOptionsSchema.safeParse(connection.options)
    if (!options.success) {
      const issue = options.error.issues[0]
      throw new SluiceFailure(
        sluiceError('CONNECTION_FAILED', {
          connection: connection.name,
          reason: `its option "${issue?.path.join('.')}" is not valid (${issue?.message})`,
        }),
      )
    }
    const file = (path: string): string => (isAbsolute(path) ? path : resolve(projectFolder, path))
    const local = connection.kind === 'sqlite' || connection.kind === 'duckdb'
    const resolved: ResolvedConnection = {
      id: connection.id,
      name: connection.name,
      kind: connection.kind,
      host: connection.host ?? 'localhost',
      port: connection.port ?? defaultPorts[connection.kind] ?? 0,
      database: local ? file(connection.database ?? '') : (connection.database ?? ''),
      user: connection.user ?? '',
      password: local ? '' : await secretOf(connection, secrets),
      sslMode: options.data.sslMode,
      ...(options.data.sslCaFile ? { sslCaFile: file(options.data.sslCaFile) } : {}),
      connectTimeoutMs: options.data.connectTimeoutSeconds * 1000,
    }
    return resolved
  }
}

/** By id first (what the UI stores), then by name; an unknown reference names itself. */
function findConnection(store: ProjectStore, reference: string): Connection {
  const byId = store.connections.list().find((connection) => connection.id === reference)
  const found = byId ?? store.connections.findByName(reference)
  if (!found) {
    throw new SluiceFailure(sluiceError('CONNECTION_NOT_FOUND', { connection: reference }))
  }
  return found
}

/** The connection's password; a connection with no secret reference connects without one. */
async function secretOf(connection: Connection, secrets: SecretStore): Promise<string> {
  if (!connection.secretRef) {
    return ''
  }
  const secret = await secrets.get(connection.secretRef)
  if (secret === undefined) {
    throw new SluiceFailure(
      sluiceError('SECRET_MISSING', {
        connection: connection.name,
        hint: secrets.hint(connection.secretRef),
      }),
    )
  }
  return secret
}
