import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { engineSentence, sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { quoteLiteral } from '../../duckdb/quote'
import type { ResolvedConnection } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'

/** A DuckDB file attached under a private alias on a connection. */
export interface AttachedFile {
  /** The alias as DuckDB's catalog functions name it (`database_name`). */
  name: string
  /** The alias, quoted for SQL. */
  alias: string
  /** Whether attaching created the file. */
  created: boolean
  detach(): Promise<void>
}

/**
 * Attaches the connection's DuckDB file to `duckdb` under a fresh alias, so nothing the user
 * names can collide with it. Read-only unless `writable`; only a writable attach may create a
 * missing file, and only when `create` is set. A file that is not a DuckDB database fails with
 * `CONNECTION_FAILED` saying so.
 */
export async function attachDuckdbFile(
  duckdb: DuckDBConnection,
  connection: ResolvedConnection,
  options: { writable: boolean; create?: boolean; nodeId?: string },
): Promise<AttachedFile> {
  const file = connection.database
  const where = options.nodeId ? { nodeId: options.nodeId } : {}
  const exists = existsSync(file)
  if (!exists && !(options.writable && options.create)) {
    throw new SluiceFailure(sluiceError('FILE_NOT_FOUND', { file }, where))
  }
  const name = `sluice_file_${randomUUID().replaceAll('-', '')}`
  const alias = quoteIdentifier('duckdb', name)
  // TYPE DUCKDB: a SQLite or other file is refused instead of loading an extension for it.
  const mode = options.writable ? '' : ', READ_ONLY'
  try {
    await duckdb.run(`ATTACH ${quoteLiteral(file)} AS ${alias} (TYPE DUCKDB${mode})`)
  } catch (thrown) {
    throw new SluiceFailure(
      sluiceError(
        'CONNECTION_FAILED',
        { connection: connection.name, reason: attachFailureReason(file, thrown) },
        { ...where, detail: thrown instanceof Error ? thrown.message : String(thrown) },
      ),
    )
  }
  return {
    name,
    alias,
    created: !exists,
    detach: async () => {
      await duckdb.run(`DETACH DATABASE IF EXISTS ${alias}`)
    },
  }
}

function attachFailureReason(file: string, thrown: unknown): string {
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  if (message.includes('not a valid DuckDB database file')) {
    return `${file} is not a DuckDB database.`
  }
  if (message.includes('already attached')) {
    return `${file} is already open in this run (another node reads or writes it, or it is the staging database); run those nodes one after the other.`
  }
  if (/lock/i.test(message)) {
    return `${file} is in use by another program; close it there and try again.`
  }
  return `${file}: ${engineSentence(message)}`
}

/**
 * Runs `work` on a throwaway in-memory DuckDB with the file attached read-only: for testing and
 * browsing a connection, which happen outside any run and its staging database.
 */
export async function withAttachedFile<T>(
  connection: ResolvedConnection,
  work: (duckdb: DuckDBConnection, attached: AttachedFile) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  })
  const duckdb = await instance.connect()
  try {
    const attached = await attachDuckdbFile(duckdb, connection, { writable: false })
    try {
      return await work(duckdb, attached)
    } finally {
      await attached.detach()
    }
  } finally {
    duckdb.closeSync()
    instance.closeSync()
  }
}
