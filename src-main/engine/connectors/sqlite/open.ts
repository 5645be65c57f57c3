import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ResolvedConnection } from '../database/contract'

type SqliteDatabase = Database.Database

/** The handle type of an open SQLite file. */
export type { SqliteDatabase }

/**
 * Opens the connection's SQLite file and reads its header, so a file that is not a database
 * fails here with a plain reason instead of at the first query. Read-only opens never create a
 * file; a write may create one when `create` is set.
 */
export function openSqlite(
  connection: ResolvedConnection,
  options: { readonly: boolean; create?: boolean; nodeId?: string },
): SqliteDatabase {
  const file = connection.database
  const where = options.nodeId ? { nodeId: options.nodeId } : {}
  if (!options.create && !existsSync(file)) {
    throw new SluiceFailure(sluiceError('FILE_NOT_FOUND', { file }, where))
  }
  let database: SqliteDatabase | undefined
  try {
    database = new Database(file, {
      readonly: options.readonly,
      fileMustExist: !options.create,
      timeout: connection.connectTimeoutMs,
    })
    // Reading the schema is what touches the header; a foreign file fails here.
    database.prepare('SELECT count(*) FROM sqlite_schema').get()
    return database
  } catch (thrown) {
    database?.close()
    throw new SluiceFailure(
      sluiceError(
        'CONNECTION_FAILED',
        { connection: connection.name, reason: openFailureReason(file, thrown) },
        { ...where, detail: thrown instanceof Error ? thrown.message : String(thrown) },
      ),
    )
  }
}

/** A sentence for why a SQLite file could not be opened. */
function openFailureReason(file: string, thrown: unknown): string {
  const code = (thrown as { code?: unknown }).code
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  if (code === 'SQLITE_NOTADB') {
    return `${file} is not a SQLite database.`
  }
  if (code === 'SQLITE_CANTOPEN') {
    return `${file} cannot be opened; check that it is a file and that Sluice may read it.`
  }
  if (code === 'SQLITE_BUSY') {
    return `${file} is locked by another program; try again when it has finished writing.`
  }
  if (code === 'SQLITE_CORRUPT') {
    return `${file} is damaged (${message}).`
  }
  return `${file}: ${message}.`
}
