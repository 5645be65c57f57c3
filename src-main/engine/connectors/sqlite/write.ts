import { randomUUID } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ColumnInfo } from '../../nodes/executor'
import { queryRows } from '../../duckdb/query'
import type { ChangeSamples, WriteOutcome, WriteRequest } from '../database/contract'
import { firstDuplicateKey } from '../database/duplicate-keys'
import { caseCollisions, identifierProblem, quoteIdentifier } from '../database/identifiers'
import { sqliteSchema } from './browse'
import { failure, quoteFor } from './failures'
import { insertInput, throwIfCancelled } from './insert'
import { mergeStaged } from './merge'
import { openSqlite, type SqliteDatabase } from './open'
import { sampleQuery, sampleRows } from './samples'
import { fitsDeclaredType, sqliteTypeFor } from './types'

/** A column of the target table, from `pragma_table_info`. */
interface TableColumn {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

/**
 * Writes the input into a SQLite table in one transaction: prepared inserts, and for upsert and
 * mirror a temporary staging table merged with set-based statements. Any error or cancel rolls
 * the transaction back, so the table is exactly as it was; a dry run always rolls back.
 */
export async function writeSqlite(request: WriteRequest): Promise<WriteOutcome> {
  const tableName = `main.${request.table}`
  const fail = (reason: string) =>
    new SluiceFailure(
      sluiceError(
        'PUSH_FAILED',
        { node: request.nodeId, table: tableName, reason },
        { nodeId: request.nodeId },
      ),
    )
  if (request.schema !== '' && request.schema !== sqliteSchema) {
    throw fail(`a SQLite file has one schema, "${sqliteSchema}", not "${request.schema}".`)
  }
  const table = `main.${quoteFor('sqlite', request.nodeId, 'table', request.table)}`
  const columns = request.input.columns
  checkColumnNames(request, columns)
  const keys = matchKeys(request, columns, fail)
  if (request.mode === 'upsert' || request.mode === 'mirror') {
    await refuseDuplicateKeys(request, keys, fail)
  }

  const file = request.connection.database
  const createdFile = !existsSync(file)
  const database = openSqlite(request.connection, {
    readonly: false,
    create: request.createMissing || request.mode === 'create' || request.mode === 'replace',
    nodeId: request.nodeId,
  })
  let committed = false
  try {
    const kind = database
      .prepare(
        `SELECT type FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`,
      )
      .pluck()
      .get(request.table) as string | undefined
    if (kind === 'view') {
      throw fail(`it is a view; push into a table.`)
    }
    const existing = kind
      ? (database
          .prepare(
            'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?, ?) ORDER BY cid',
          )
          .all(request.table, sqliteSchema) as TableColumn[])
      : []
    const exists = existing.length > 0
    if (exists && request.mode === 'create') {
      throw fail('the table already exists and the mode is "create"; choose append or replace.')
    }
    if (!exists && !request.createMissing && request.mode !== 'create') {
      throw fail('the table does not exist, and creating missing tables is off.')
    }
    if (exists && request.mode !== 'replace') {
      checkSchema(request, columns, existing, tableName)
    }
    const warnings: string[] = []
    database.exec('BEGIN IMMEDIATE')
    runHook(database, 'pre-SQL', request.preSql, fail)
    const outcome = await writeMode(request, database, { table, tableName, exists, keys, warnings })
    runHook(database, 'post-SQL', request.postSql, fail)
    throwIfCancelled(request)
    if (request.dryRun) {
      database.exec('ROLLBACK')
    } else {
      database.exec('COMMIT')
      committed = true
    }
    return {
      ...outcome,
      warnings,
      written: `sqlite "${request.connection.name}".main.${request.table}`,
    }
  } catch (thrown) {
    if (database.inTransaction) {
      database.exec('ROLLBACK')
    }
    throw failure(
      thrown,
      () => {
        const message = thrown instanceof Error ? thrown.message : String(thrown)
        return sluiceError(
          'PUSH_FAILED',
          { node: request.nodeId, table: tableName, reason: `${message}.` },
          { nodeId: request.nodeId, detail: message },
        )
      },
      request.nodeId,
    )
  } finally {
    database.close()
    if (createdFile && !committed) {
      for (const suffix of ['', '-journal', '-wal', '-shm']) {
        rmSync(`${file}${suffix}`, { force: true })
      }
    }
  }
}

/** Runs the user's pre- or post-SQL in the open transaction; a failure says which it was. */
function runHook(
  database: SqliteDatabase,
  which: string,
  sql: string,
  fail: (reason: string) => SluiceFailure,
): void {
  if (sql.trim() === '') {
    return
  }
  try {
    database.exec(sql)
  } catch (thrown) {
    throw fail(`the ${which} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}.`)
  }
  // A COMMIT or ROLLBACK in a hook would leave the rest of the push outside any transaction.
  if (!database.inTransaction) {
    throw fail(
      `the ${which} ended the push's transaction (COMMIT or ROLLBACK); hooks run inside it and must leave it open.`,
    )
  }
}

interface Target {
  table: string
  tableName: string
  exists: boolean
  keys: string[]
  warnings: string[]
}

type ModeOutcome = Pick<WriteOutcome, 'inserted' | 'updated' | 'deleted' | 'ddl' | 'samples'>

/** The statements of one mode, inside the open transaction. */
async function writeMode(
  request: WriteRequest,
  database: SqliteDatabase,
  target: Target,
): Promise<ModeOutcome> {
  const columns = request.input.columns
  const samples: ChangeSamples = { insert: [], update: [], delete: [] }
  const ddl: string[] = []
  let deleted = 0
  if (target.exists && (request.mode === 'upsert' || request.mode === 'mirror')) {
    const merged = await mergeStaged(request, database, target.table, target.tableName, target.keys)
    return { ...merged, ddl }
  }
  if (request.dryRun) {
    samples.insert = await queryRows(
      request.duckdb,
      `SELECT * FROM ${request.input.ref} LIMIT ${sampleRows}`,
    )
  }
  let into = target.table
  if (request.mode === 'replace' && target.exists) {
    const fresh = `main.${quoteIdentifier('sqlite', `sluice_replace_${randomUUID().replaceAll('-', '')}`)}`
    deleted = countRows(database, target.table)
    samples.delete = request.dryRun ? sampleTable(database, target.table) : []
    warnReplacedObjects(database, request.table, target.warnings)
    ddl.push(createTableSql(fresh, columns, target.keys))
    into = fresh
  } else if (!target.exists) {
    ddl.push(createTableSql(target.table, columns, target.keys))
  }
  for (const statement of ddl) {
    database.exec(statement)
  }
  if (request.mode === 'truncate' && target.exists) {
    samples.delete = request.dryRun ? sampleTable(database, target.table) : []
    deleted = database.prepare(`DELETE FROM ${target.table}`).run().changes
  }
  const inserted = await insertInput(request, database, into, columns, target.tableName)
  if (into !== target.table) {
    const swap = [
      `DROP TABLE ${target.table}`,
      `ALTER TABLE ${into} RENAME TO ${quoteIdentifier('sqlite', request.table)}`,
    ]
    for (const statement of swap) {
      database.exec(statement)
    }
    ddl.push(...swap)
  }
  return {
    inserted,
    updated: 0,
    deleted,
    ddl,
    ...(request.dryRun ? { samples } : {}),
  }
}

/** CREATE TABLE for the input's columns; key columns, when given, get a UNIQUE constraint. */
function createTableSql(table: string, columns: ColumnInfo[], keys: string[]): string {
  const definitions = columns.map(
    (column) => `${quoteIdentifier('sqlite', column.name)} ${sqliteTypeFor(column.type)}`,
  )
  // UNIQUE rather than PRIMARY KEY: a single INTEGER PRIMARY KEY would become the rowid, and
  // SQLite would silently number a NULL key instead of storing it.
  if (keys.length > 0) {
    definitions.push(`UNIQUE (${keys.map((key) => quoteIdentifier('sqlite', key)).join(', ')})`)
  }
  return `CREATE TABLE ${table} (${definitions.join(', ')})`
}

function countRows(database: SqliteDatabase, table: string): number {
  return Number(database.prepare(`SELECT count(*) FROM ${table}`).pluck().get())
}

/** A few rows of `table`. */
function sampleTable(database: SqliteDatabase, table: string): Array<Record<string, unknown>> {
  return sampleQuery(database, `SELECT * FROM ${table} LIMIT ${sampleRows}`)
}

/** Indexes and triggers of a replaced table go with it; say so. */
function warnReplacedObjects(database: SqliteDatabase, table: string, warnings: string[]): void {
  const objects = database
    .prepare(
      `SELECT type, name FROM sqlite_schema
       WHERE type IN ('index', 'trigger') AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL`,
    )
    .all(table) as Array<{ type: string; name: string }>
  if (objects.length > 0) {
    warnings.push(
      `Replacing table "${table}" dropped its ${objects.map((object) => `${object.type} "${object.name}"`).join(', ')}; the new table has only the input's columns.`,
    )
  }
}

/** Every input column name must be usable in SQLite and distinct from the others. */
function checkColumnNames(request: WriteRequest, columns: ColumnInfo[]): void {
  for (const column of columns) {
    const problem = identifierProblem('sqlite', column.name)
    if (problem) {
      throw new SluiceFailure(
        sluiceError(
          'BAD_IDENTIFIER',
          { node: request.nodeId, what: 'column', name: column.name, reason: problem },
          { nodeId: request.nodeId },
        ),
      )
    }
  }
  const [collision] = caseCollisions(columns.map((column) => column.name))
  if (collision) {
    throw new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        {
          node: request.nodeId,
          what: 'column',
          name: collision.join('", "'),
          reason: 'SQLite treats names differing only in letter case as one column; rename one',
        },
        { nodeId: request.nodeId },
      ),
    )
  }
}

/** The key columns as the input names them; each must be an input column. */
function matchKeys(
  request: WriteRequest,
  columns: ColumnInfo[],
  fail: (reason: string) => SluiceFailure,
): string[] {
  if (request.mode !== 'upsert' && request.mode !== 'mirror' && request.mode !== 'create') {
    return []
  }
  if ((request.mode === 'upsert' || request.mode === 'mirror') && request.keys.length === 0) {
    throw fail(`${request.mode} needs key columns to match rows on.`)
  }
  return request.keys.map((key) => {
    const column = columns.find((candidate) => sameName(candidate.name, key))
    if (!column) {
      throw fail(`the key column "${key}" is not in the input.`)
    }
    return column.name
  })
}

/** Upsert and mirror need one input row per key; otherwise which one wins is undefined. */
async function refuseDuplicateKeys(
  request: WriteRequest,
  keys: string[],
  fail: (reason: string) => SluiceFailure,
): Promise<void> {
  const duplicate = await firstDuplicateKey(request.duckdb, request.input.ref, keys, request.signal)
  if (duplicate) {
    const key = keys.map((name) => `${name} = ${JSON.stringify(duplicate.key[name])}`).join(', ')
    throw fail(
      `the input has ${duplicate.rows} rows with the key ${key}; ${request.mode} needs one row per key`,
    )
  }
}

/** Maps input columns to the table's by name; one error lists every difference. */
function checkSchema(
  request: WriteRequest,
  columns: ColumnInfo[],
  existing: TableColumn[],
  tableName: string,
): void {
  const problems: string[] = []
  for (const column of columns) {
    const match = existing.find((candidate) => sameName(candidate.name, column.name))
    if (!match) {
      problems.push(`the table has no column "${column.name}"`)
    } else if (!fitsDeclaredType(column.type, match.type)) {
      problems.push(
        `column "${column.name}" is ${match.type || 'typeless'} in the table but ${column.type} in the input`,
      )
    }
  }
  for (const column of existing) {
    const rowid = column.pk > 0 && column.type.toUpperCase() === 'INTEGER'
    const required = column.notnull !== 0 && column.dflt_value === null && !rowid
    if (required && !columns.some((candidate) => sameName(candidate.name, column.name))) {
      problems.push(
        `the input has no column "${column.name}", which the table requires (NOT NULL without a default)`,
      )
    }
  }
  if (problems.length > 0) {
    const differences = problems.join('; ')
    throw new SluiceFailure(
      sluiceError(
        'PUSH_SCHEMA_MISMATCH',
        {
          node: request.nodeId,
          table: tableName,
          differences: differences.charAt(0).toUpperCase() + differences.slice(1),
        },
        { nodeId: request.nodeId },
      ),
    )
  }
}

/** SQLite matches names with ASCII letters folded to one case. */
export function sameName(a: string, b: string): boolean {
  const fold = (name: string) => name.normalize('NFC').replace(/[A-Z]/g, (c) => c.toLowerCase())
  return fold(a) === fold(b)
}
