import { randomBytes } from 'node:crypto'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { WriteOutcome, WriteRequest } from '../database/contract'
import { quoteQualified } from '../database/identifiers'
import { queryRows } from '../../duckdb/query'
import { serverErrno, serverMessage, type PushPlace } from './failures'
import { startCsvSpool, type CsvSpool } from './csv-spool'
import { insertRows, isLocalInfileRefused, loadCsv, type LoadColumn } from './write-load'
import { jsonSafeRow } from './write-merge'
import type { ColumnMapping, TargetTable } from './write-target'

// What every push mode shares: loading rows, the transaction, helper tables, samples.

/** Rows of each kind a dry run shows. */
export const sampleRows = 5

/** The spool a running `LOAD DATA LOCAL` reads; set only while a load runs. */
export interface InfileSource {
  spool?: CsvSpool
}

/** Everything one push works with, gathered once. */
export interface Push {
  request: WriteRequest
  place: PushPlace
  session: Connection
  target: TargetTable
  /** The target, quoted and qualified. */
  qualified: string
  mappings: ColumnMapping[]
  rows: number
  /** Where the session's `LOAD DATA LOCAL` finds its bytes while a load runs. */
  infile: InfileSource
  /** False once the server is known to refuse `LOAD DATA LOCAL`. */
  useInfile: boolean
  warnings: string[]
}

/** A mode's outcome; `write.ts` adds how the target is named. */
export type Counts = Omit<WriteOutcome, 'written'>

/** Stops between statements once the run is cancelled. */
export function throwIfCancelled(push: Push): void {
  if (push.request.signal.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: push.request.nodeId }))
  }
}

/** The columns as loaded: into an existing table by its names, into a new one by the input's. */
export function loadColumns(push: Push, fromInput: boolean): LoadColumn[] {
  if (fromInput) {
    return push.request.input.columns.map((column) => ({
      target: column.name,
      exported: { name: column.name, type: column.type, hex: column.type.toUpperCase() === 'BLOB' },
      bits: false,
    }))
  }
  return push.mappings.map((mapping) => ({
    target: mapping.target.name,
    exported: {
      name: mapping.input,
      type: mapping.inputType,
      hex: mapping.inputType.toUpperCase() === 'BLOB',
    },
    bits: mapping.target.type.base === 'bit',
  }))
}

/**
 * Loads the input into `table`: `LOAD DATA LOCAL INFILE` of DuckDB's CSV, or multi-row INSERTs
 * when the server forbids local files (said in the run log).
 */
export async function loadInto(push: Push, table: string, columns: LoadColumn[]): Promise<number> {
  const { request } = push
  throwIfCancelled(push)
  if (push.useInfile) {
    const [rows] = await push.session.query<RowDataPacket[]>('SELECT @@local_infile AS allowed')
    push.useInfile = Number(rows[0]?.allowed ?? 0) === 1
  }
  if (push.useInfile) {
    const spool = await startCsvSpool(
      request.duckdb,
      request.input.ref,
      columns.map((column) => column.exported),
      request.workDir,
      request.signal,
      (bytes, lines) =>
        request.progress({
          bytes,
          rows: Math.min(lines, push.rows),
          percent: push.rows > 0 ? Math.min(100, Math.round((lines / push.rows) * 1000) / 10) : 100,
        }),
    )
    push.infile.spool = spool
    try {
      const [loaded] = await Promise.all([loadCsv(push.session, table, columns), spool.written])
      if (loaded !== push.rows) {
        throw new Error(`only ${loaded} of ${push.rows} rows reached the server`)
      }
      return loaded
    } catch (thrown) {
      if (!isLocalInfileRefused(thrown)) {
        throw thrown
      }
      push.useInfile = false
    } finally {
      push.infile.spool = undefined
      await spool.close()
    }
  }
  const warning =
    'The server does not allow LOAD DATA LOCAL INFILE (local_infile is off), so rows are sent as multi-row INSERTs, which is slower; set local_infile=1 on the server for fast pushes'
  push.warnings.push(warning)
  request.log('warn', warning)
  return insertRows(
    push.session,
    request.duckdb,
    request.input.ref,
    table,
    columns,
    request.signal,
    (rows) => request.progress({ rows }),
  )
}

/** Runs `work` between BEGIN and COMMIT with the hooks around it; any failure rolls back. */
export async function inTransaction<T>(push: Push, work: () => Promise<T>): Promise<T> {
  const { session, request } = push
  await session.query('START TRANSACTION')
  try {
    await runHook(push, 'pre-SQL', request.preSql)
    const result = await work()
    await runHook(push, 'post-SQL', request.postSql)
    throwIfCancelled(push)
    await session.query('COMMIT')
    return result
  } catch (thrown) {
    try {
      await session.query('ROLLBACK')
    } catch {
      // A killed or lost session: the server has already rolled the transaction back.
    }
    throw thrown
  }
}

/**
 * Runs a hook, naming it when it fails. A hook that ends the transaction (a COMMIT, or DDL such
 * as TRUNCATE, which MySQL commits implicitly) would leave the rest of the push outside it, so
 * the push stops there rather than write rows it could no longer roll back.
 */
async function runHook(push: Push, name: 'pre-SQL' | 'post-SQL', sql: string): Promise<void> {
  if (sql.trim() === '') {
    return
  }
  try {
    await push.session.query(sql)
  } catch (thrown) {
    throw Object.assign(new Error(`the ${name} failed: ${serverMessage(thrown)}`), {
      errno: serverErrno(thrown),
    })
  }
  if (name === 'pre-SQL' && !(await stillInTransaction(push.session))) {
    throw new Error(
      "the pre-SQL ended the transaction (a COMMIT, or a statement such as TRUNCATE or CREATE that MySQL commits implicitly), so the push stopped before writing any row; the pre-SQL's own changes stay committed",
    )
  }
}

/** Whether the session is still inside the push's transaction. */
async function stillInTransaction(session: Connection): Promise<boolean> {
  const [rows] = await session.query<RowDataPacket[]>('SELECT @@in_transaction AS open')
  return Number(rows[0]?.open ?? 1) === 1
}

/** A fresh helper table name in the target's schema: unique, so parallel pushes never meet. */
export function helperTable(push: Push, kind: 'stage' | 'new' | 'old'): string {
  return quoteQualified(
    'mysql',
    push.target.schema,
    `sluice_${kind}_${randomBytes(8).toString('hex')}`,
  )
}

/** Rows in the target now. */
export async function countTarget(push: Push): Promise<number> {
  const [rows] = await push.session.query<RowDataPacket[]>(
    `SELECT count(*) AS n FROM ${push.qualified}`,
  )
  return Number(rows[0]?.n ?? 0)
}

/** A few target rows, for a dry run's report. */
export async function targetSample(push: Push): Promise<Array<Record<string, unknown>>> {
  const [rows] = await push.session.query<RowDataPacket[]>(
    `SELECT * FROM ${push.qualified} LIMIT ${sampleRows}`,
  )
  return rows.map(jsonSafeRow)
}

/** A few input rows, for a dry run's report. */
export async function inputSample(push: Push): Promise<Array<Record<string, unknown>>> {
  return queryRows(
    push.request.duckdb,
    `SELECT * FROM ${push.request.input.ref} LIMIT ${sampleRows}`,
    push.request.signal,
  )
}
