import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { engineSentence, sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { queryRows } from '../../duckdb/query'
import type { ColumnInfo } from '../../nodes/executor'
import type { ChangeSamples, WriteOutcome, WriteRequest } from '../database/contract'
import { firstDuplicateKey } from '../database/duplicate-keys'
import { caseCollisions, IdentifierError, quoteIdentifier } from '../database/identifiers'
import { attachDuckdbFile, type AttachedFile } from './attach'
import { mergeInput } from './merge'
import { sampleRows } from './samples'
import { changedRows, currentPlace, rowsOf } from './statements'
import { locateViolation } from './violations'
import { schemaDifferences, type TableColumn } from './schema'

/**
 * Writes the input into a table of a DuckDB file with set-based SQL in one transaction on the
 * staging connection. Any error or cancel rolls back, so the file is exactly as it was; a dry
 * run does all the work, reports it, and rolls back too.
 */
export async function writeDuckdbFile(request: WriteRequest): Promise<WriteOutcome> {
  const schema = request.schema || 'main'
  const tableName = `${schema}.${request.table}`
  const fail = (reason: string) =>
    new SluiceFailure(
      sluiceError(
        'PUSH_FAILED',
        { node: request.nodeId, table: tableName, reason },
        { nodeId: request.nodeId },
      ),
    )
  const duckdb = request.duckdb
  let attached: AttachedFile | undefined
  let home: string | undefined
  let committed = false
  try {
    checkColumnNames(request.input.columns)
    attached = await attachDuckdbFile(duckdb, request.connection, {
      writable: true,
      create: request.createMissing || request.mode === 'create' || request.mode === 'replace',
      nodeId: request.nodeId,
    })
    const quote = (name: string) => quoteIdentifier('duckdb', name)
    const target = {
      database: attached.name,
      schema,
      qualifiedSchema: `${attached.alias}.${quote(schema)}`,
      table: `${attached.alias}.${quote(schema)}.${quote(request.table)}`,
      tableName,
    }
    const existing = await tableColumns(request, attached.name, schema, fail)
    const exists = existing.length > 0
    if (exists && request.mode === 'create') {
      throw fail('the table already exists and the mode is "create"; choose append or replace.')
    }
    if (!exists && !request.createMissing && request.mode !== 'create') {
      throw fail('the table does not exist, and creating missing tables is off.')
    }
    const keys = matchKeys(request, fail)
    if (exists && request.mode !== 'replace') {
      const differences = schemaDifferences(request.input.columns, existing)
      if (differences.length > 0) {
        const text = differences.join('; ')
        throw new SluiceFailure(
          sluiceError(
            'PUSH_SCHEMA_MISMATCH',
            {
              node: request.nodeId,
              table: tableName,
              differences: text.charAt(0).toUpperCase() + text.slice(1),
            },
            { nodeId: request.nodeId },
          ),
        )
      }
    }
    if (request.mode === 'upsert' || request.mode === 'mirror') {
      await refuseDuplicateKeys(request, keys, fail)
    }
    home = await currentPlace(duckdb)
    await duckdb.run('BEGIN TRANSACTION')
    await runHook(request, 'pre-SQL', request.preSql, attached.alias, home, fail)
    const outcome = await writeMode(request, { ...target, exists, keys })
    await runHook(request, 'post-SQL', request.postSql, attached.alias, home, fail)
    if (request.signal.aborted) {
      throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
    }
    await duckdb.run(request.dryRun ? 'ROLLBACK' : 'COMMIT')
    committed = !request.dryRun
    return {
      ...outcome,
      warnings: [],
      written: `duckdb "${request.connection.name}".${tableName}`,
    }
  } catch (thrown) {
    await duckdb.run('ROLLBACK').catch(() => undefined)
    // A hook that failed inside the file's catalog leaves it current; the staging database must
    // be current again before the file can be detached.
    if (home) {
      await duckdb.run(`USE ${home}`).catch(() => undefined)
    }
    const message = thrown instanceof Error ? thrown.message : ''
    const where =
      attached && message.startsWith('Constraint Error')
        ? await locateViolation(
            request,
            attached.name,
            schema,
            `${attached.alias}.${quoteIdentifier('duckdb', schema)}.${quoteIdentifier('duckdb', request.table)}`,
            message,
            request.mode === 'upsert' || request.mode === 'mirror' ? request.keys : [],
          ).catch(() => null)
        : null
    throw pushFailure(request, tableName, thrown, where)
  } finally {
    if (attached) {
      try {
        await attached.detach()
      } finally {
        if (attached.created && !committed) {
          rmSync(request.connection.database, { force: true })
          rmSync(`${request.connection.database}.wal`, { force: true })
        }
      }
    }
  }
}

interface Target {
  /** The attached file's catalog name. */
  database: string
  schema: string
  qualifiedSchema: string
  table: string
  tableName: string
  exists: boolean
  keys: string[]
}

type ModeOutcome = Pick<WriteOutcome, 'inserted' | 'updated' | 'deleted' | 'ddl' | 'samples'>

async function writeMode(request: WriteRequest, target: Target): Promise<ModeOutcome> {
  const duckdb = request.duckdb
  const columns = request.input.columns
  if (target.exists && (request.mode === 'upsert' || request.mode === 'mirror')) {
    return { ...(await mergeInput(request, target.table, target.keys)), ddl: [] }
  }
  const samples: ChangeSamples = { insert: [], update: [], delete: [] }
  if (request.dryRun) {
    samples.insert = await queryRows(
      duckdb,
      `SELECT * FROM ${request.input.ref} LIMIT ${sampleRows}`,
      request.signal,
    )
  }
  const ddl: string[] = []
  let into = target.table
  let deleted = 0
  if (!target.exists) {
    const [found] = await rowsOf(
      duckdb,
      `SELECT count(*) AS n FROM duckdb_schemas() WHERE database_name = ? AND schema_name = ?`,
      [target.database, target.schema],
    )
    if (Number(found?.n ?? 0) === 0) {
      ddl.push(`CREATE SCHEMA ${target.qualifiedSchema}`)
    }
    ddl.push(createTableSql(target.table, columns))
  } else if (request.mode === 'replace') {
    const fresh = quoteIdentifier('duckdb', `sluice_replace_${randomUUID().replaceAll('-', '')}`)
    into = `${target.qualifiedSchema}.${fresh}`
    const [count] = await rowsOf(duckdb, `SELECT count(*) AS n FROM ${target.table}`)
    deleted = Number(count?.n ?? 0)
    if (request.dryRun) {
      samples.delete = await queryRows(duckdb, `SELECT * FROM ${target.table} LIMIT ${sampleRows}`)
    }
    ddl.push(createTableSql(into, columns))
  }
  for (const statement of ddl) {
    await rowsOf(duckdb, statement, [], request)
  }
  if (request.mode === 'truncate' && target.exists) {
    if (request.dryRun) {
      samples.delete = await queryRows(duckdb, `SELECT * FROM ${target.table} LIMIT ${sampleRows}`)
    }
    deleted = await changedRows(duckdb, `DELETE FROM ${target.table}`, request)
  }
  const names = columns.map((column) => quoteIdentifier('duckdb', column.name)).join(', ')
  const inserted = await changedRows(
    duckdb,
    `INSERT INTO ${into} (${names}) SELECT ${names} FROM ${request.input.ref}`,
    request,
  )
  request.progress({ rows: inserted, percent: 100 })
  if (into !== target.table) {
    const swap = [
      `DROP TABLE ${target.table}`,
      `ALTER TABLE ${into} RENAME TO ${quoteIdentifier('duckdb', request.table)}`,
    ]
    for (const statement of swap) {
      await rowsOf(duckdb, statement, [], request)
    }
    ddl.push(...swap)
  }
  return { inserted, updated: 0, deleted, ddl, ...(request.dryRun ? { samples } : {}) }
}

function createTableSql(table: string, columns: ColumnInfo[]): string {
  const definitions = columns.map(
    (column) => `${quoteIdentifier('duckdb', column.name)} ${column.type}`,
  )
  return `CREATE TABLE ${table} (${definitions.join(', ')})`
}

/** Pre- and post-SQL run with the file as the current catalog, so they name its tables. */
async function runHook(
  request: WriteRequest,
  which: string,
  sql: string,
  alias: string,
  home: string,
  fail: (reason: string) => SluiceFailure,
): Promise<void> {
  if (sql.trim() === '') {
    return
  }
  await request.duckdb.run(`USE ${alias}`)
  try {
    // Each attached file has its own transaction ids: read it with the file current.
    const transaction = await currentTransaction(request)
    await rowsOf(request.duckdb, sql, [], request)
    // A COMMIT or ROLLBACK in a hook would leave the rest of the push outside any transaction.
    if ((await currentTransaction(request)) !== transaction) {
      throw fail(
        `the ${which} ended the push's transaction (COMMIT or ROLLBACK); hooks run inside it and must leave it open.`,
      )
    }
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      throw thrown
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    throw fail(`the ${which} failed: ${engineSentence(message).replace(/\.+$/, '')}.`)
  } finally {
    // After a failure the transaction is aborted and refuses even USE; the caller rolls back
    // and makes the staging database current again.
    await request.duckdb.run(`USE ${home}`).catch(() => undefined)
  }
}

/** The id of the transaction the push runs in; another id means a hook ended it. */
async function currentTransaction(request: WriteRequest): Promise<string> {
  const [row] = await rowsOf(request.duckdb, 'SELECT CAST(txid_current() AS VARCHAR) AS id')
  return String(row?.id)
}

async function tableColumns(
  request: WriteRequest,
  database: string,
  schema: string,
  fail: (reason: string) => SluiceFailure,
): Promise<TableColumn[]> {
  const [view] = await rowsOf(
    request.duckdb,
    `SELECT count(*) AS n FROM duckdb_views()
     WHERE database_name = ? AND schema_name = ? AND lower(view_name) = lower(?)`,
    [database, schema, request.table],
  )
  if (Number(view?.n ?? 0) > 0) {
    throw fail('it is a view; push into a table.')
  }
  const rows = await rowsOf(
    request.duckdb,
    `SELECT column_name AS name, data_type AS type, is_nullable AS nullable,
       column_default IS NOT NULL AS defaulted
     FROM duckdb_columns()
     WHERE database_name = ? AND schema_name = ? AND lower(table_name) = lower(?)
     ORDER BY column_index`,
    [database, schema, request.table],
  )
  return rows.map((row) => ({
    name: String(row.name),
    type: String(row.type),
    nullable: row.nullable === true,
    defaulted: row.defaulted === true,
  }))
}

function checkColumnNames(columns: ColumnInfo[]): void {
  for (const column of columns) {
    quoteIdentifier('duckdb', column.name)
  }
  const [collision] = caseCollisions(columns.map((column) => column.name))
  if (collision) {
    throw new IdentifierError(
      collision.join('", "'),
      'DuckDB treats names differing only in letter case as one column; rename one',
    )
  }
}

function matchKeys(request: WriteRequest, fail: (reason: string) => SluiceFailure): string[] {
  if (request.mode !== 'upsert' && request.mode !== 'mirror') {
    return []
  }
  if (request.keys.length === 0) {
    throw fail(`${request.mode} needs key columns to match rows on.`)
  }
  const folded = (name: string) => name.normalize('NFC').toLowerCase()
  return request.keys.map((key) => {
    const column = request.input.columns.find((candidate) => folded(candidate.name) === folded(key))
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

function pushFailure(
  request: WriteRequest,
  tableName: string,
  thrown: unknown,
  where: string | null,
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  if (thrown instanceof IdentifierError) {
    return new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        {
          node: request.nodeId,
          what:
            thrown.identifier === request.table
              ? 'table'
              : thrown.identifier === request.schema
                ? 'schema'
                : 'column',
          name: thrown.identifier,
          reason: thrown.reason,
        },
        { nodeId: request.nodeId },
      ),
    )
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      {
        node: request.nodeId,
        table: tableName,
        reason: `${where ? `${where}: ` : ''}${engineSentence(message).replace(/\.+$/, '')}.`,
      },
      { nodeId: request.nodeId, detail: message },
    ),
  )
}
