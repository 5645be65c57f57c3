import { closeSync, existsSync, openSync, readSync, rmSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Migration } from './migrations'
import { StoreDatabase, toStoreFailure } from './store-database'

/** What makes a SQLite file one of ours: its application id and its schema steps. */
export interface StoreFileKind {
  applicationId: number
  migrations: readonly Migration[]
  /** The file extension stripped to name things after the file, e.g. `.sluice`. */
  extension: string
}

/** `create` refuses an existing file, `open` a missing one; `open-or-create` takes either. */
export type OpenMode = 'create' | 'open' | 'open-or-create'

/** How long a write waits for another process's transaction before it reports the file busy. */
const busyTimeoutMs = 5000
const sqliteMagic = 'SQLite format 3\0'

/**
 * Opens (or creates) a store file safely: recognises foreign and damaged files, sets WAL with
 * full syncs (a committed change survives a power cut) and foreign keys, checks the file, and
 * runs the schema steps it lacks in one transaction. Every failure is a `SluiceFailure`.
 */
export function openStoreFile(path: string, kind: StoreFileKind, mode: OpenMode): StoreDatabase {
  const file = resolve(path)
  const exists = existsSync(file)
  if (mode === 'create' && exists) {
    throw new SluiceFailure(sluiceError('PROJECT_EXISTS', { file }))
  }
  if (mode === 'open' && !exists) {
    throw new SluiceFailure(sluiceError('PROJECT_NOT_FOUND', { file }))
  }
  if (exists) {
    checkHeader(file)
  }
  let db: Database.Database
  try {
    db = new Database(file, { fileMustExist: exists })
  } catch (thrown) {
    throw toStoreFailure(thrown, file, 'open')
  }
  try {
    prepare(db, file, kind, exists)
    return new StoreDatabase(db, file)
  } catch (thrown) {
    db.close()
    if (!exists) {
      // A half-made file would later read as "not a Sluice project"; leave nothing behind.
      for (const suffix of ['', '-wal', '-shm']) {
        rmSync(file + suffix, { force: true })
      }
    }
    throw toStoreFailure(thrown, file, 'open')
  }
}

function prepare(db: Database.Database, file: string, kind: StoreFileKind, existed: boolean): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`)
  const latest = kind.migrations.at(-1)?.version ?? 0
  if (existed) {
    const applicationId = Number(db.pragma('application_id', { simple: true }))
    if (applicationId !== kind.applicationId) {
      throw new SluiceFailure(
        sluiceError('PROJECT_NOT_SLUICE', {
          file,
          reason: 'it is a SQLite database made by another program',
        }),
      )
    }
    const found = Number(db.pragma('user_version', { simple: true }))
    if (found > latest) {
      throw new SluiceFailure(sluiceError('PROJECT_TOO_NEW', { file, found, supported: latest }))
    }
  }
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  if (existed) {
    checkIntegrity(db, file)
  }
  migrate(db, kind, file)
}

/** Rejects files that are not SQLite at all before SQLite sees them. */
function checkHeader(file: string): void {
  const header = Buffer.alloc(sqliteMagic.length)
  const handle = openSync(file, 'r')
  let read: number
  try {
    read = readSync(handle, header, 0, header.length, 0)
  } finally {
    closeSync(handle)
  }
  if (read === 0) {
    throw new SluiceFailure(sluiceError('PROJECT_DAMAGED', { file, reason: 'the file is empty' }))
  }
  if (header.subarray(0, read).toString('latin1') !== sqliteMagic) {
    throw new SluiceFailure(
      sluiceError('PROJECT_NOT_SLUICE', { file, reason: 'it is not a SQLite database' }),
    )
  }
}

/** `quick_check` reads every page once: cheap enough on open, and it catches torn files. */
function checkIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok')
  if (problems.length > 0) {
    throw new SluiceFailure(
      sluiceError(
        'PROJECT_DAMAGED',
        { file, reason: 'an integrity check found broken pages' },
        { detail: problems.join('\n') },
      ),
    )
  }
}

function migrate(db: Database.Database, kind: StoreFileKind, file: string): void {
  const latest = kind.migrations.at(-1)?.version ?? 0
  const context = { baseName: basename(file, kind.extension), now: new Date().toISOString() }
  db.transaction(() => {
    // Read again under the write lock: another process may have migrated the file meanwhile.
    const current = Number(db.pragma('user_version', { simple: true }))
    if (current >= latest) {
      return
    }
    if (current === 0) {
      db.pragma(`application_id = ${kind.applicationId}`)
    }
    for (const step of kind.migrations) {
      if (step.version > current) {
        step.up(db, context)
        db.pragma(`user_version = ${step.version}`)
      }
    }
  }).immediate()
}
