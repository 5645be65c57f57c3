import type Database from 'better-sqlite3'
import { SluiceFailure, sluiceError, type SluiceError } from '../../src-shared/errors'

/**
 * One open store file and the way every repository touches it: statements prepared once, every
 * write in an IMMEDIATE transaction, and SQLite's errors turned into errors a user can act on.
 */
export class StoreDatabase {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** The statement for `sql`, prepared on first use. */
  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql)
    if (!prepared) {
      prepared = this.db.prepare(sql)
      this.statements.set(sql, prepared)
    }
    return prepared
  }

  /**
   * Runs `work` in an IMMEDIATE transaction: it takes the write lock up front, so two processes
   * never deadlock upgrading a read to a write, and waits out the other's write (busy_timeout).
   */
  write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate()
    } catch (thrown) {
      throw toStoreFailure(thrown, this.path, 'write')
    }
  }

  /** Runs `work`, turning a SQLite failure into a store error. */
  read<T>(work: () => T): T {
    try {
      return work()
    } catch (thrown) {
      throw toStoreFailure(thrown, this.path, 'read')
    }
  }
}

/** Turns anything a SQLite call threw into a `SluiceFailure`; known failures pass unchanged. */
export function toStoreFailure(
  thrown: unknown,
  file: string,
  during: 'open' | 'read' | 'write',
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  return new SluiceFailure(storeError(thrown, file, during))
}

function storeError(thrown: unknown, file: string, during: 'open' | 'read' | 'write'): SluiceError {
  const detail = thrown instanceof Error ? thrown.message : String(thrown)
  const code = sqliteCode(thrown)
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return sluiceError(
      'PROJECT_DAMAGED',
      { file, reason: 'its contents are not consistent' },
      { detail },
    )
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return sluiceError('PROJECT_BUSY', { file }, { detail })
  }
  if (during === 'read') {
    return sluiceError('INTERNAL', { reason: `reading ${file} failed` }, { detail })
  }
  return sluiceError('PROJECT_WRITE_FAILED', { file, reason: writeReason(code) }, { detail })
}

function writeReason(code: string): string {
  if (code === 'SQLITE_FULL') {
    return 'the disk is full.'
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return 'the file or its folder is read-only.'
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return 'the disk reported an error.'
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return 'the change conflicts with what is already stored.'
  }
  return 'an unexpected database error; see the details.'
}

/** The `SQLITE_*` code better-sqlite3 puts on its errors, or '' for anything else. */
export function sqliteCode(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null && 'code' in thrown) {
    const code = (thrown as { code: unknown }).code
    return typeof code === 'string' && code.startsWith('SQLITE_') ? code : ''
  }
  return ''
}
