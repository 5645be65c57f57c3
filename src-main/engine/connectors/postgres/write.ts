import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { quoteIdent } from '../../duckdb/quote'
import { queryNumber, queryRows } from '../../duckdb/query'
import type { WriteOutcome, WriteRequest } from '../database/contract'
import {
  columnNameProblems,
  IdentifierError,
  identifierProblem,
  normalizeIdentifier,
} from '../database/identifiers'
import { backendPid, cancelOnAbort } from './cancel'
import { closeClient, openClient } from './connect'
import { copyInSql } from './merge-sql'
import { copyFileIn, exportPushCsv, type RunningCopy } from './push-csv'
import { copyWhileExporting } from './push-follow'
import { pushInTransaction, tableLabel, type PushCounts } from './push-transaction'
import { describePostgresError, identifierFailure } from './server-errors'

/**
 * Pushes the input into a PostgreSQL table. DuckDB writes the rows as CSV, the bytes stream
 * through `COPY ... FROM STDIN`, and everything (pre-SQL, DDL, load, merge, post-SQL) happens in
 * one transaction: on any error or cancel it rolls back and the table is exactly as before. A dry
 * run does all of it, counts, and rolls back.
 */
export async function writeToPostgres(
  request: WriteRequest,
  options: Partial<PushOptions> = {},
): Promise<WriteOutcome> {
  const { follow = process.platform !== 'win32', merge = true } = options
  throwIfCancelled(request)
  checkNames(request)
  const keys = request.keys.map(normalizeIdentifier)
  await checkKeys(request, keys)
  const csv = join(request.workDir, `postgres-push-${randomUUID()}.csv`)
  try {
    await mkdir(request.workDir, { recursive: true })
    // The server loads the CSV while DuckDB is still writing it; where a file being written may
    // not be shared for reading (Windows), it is written whole first.
    const source: PushSource = follow
      ? { following: csv, rows: request.input.rows ?? (await countInput(request)) }
      : { file: csv }
    if ('file' in source) {
      await exportPushCsv(
        request.duckdb,
        request.input.ref,
        request.input.columns,
        csv,
        request.signal,
      )
    }
    const counts = await pushFile(request, keys, source, merge)
    const { schema, ...outcome } = counts
    return {
      ...outcome,
      warnings: [],
      written: `postgres "${request.connection.name}".${schema}.${request.table}`,
    }
  } catch (thrown) {
    throw pushFailed(thrown, request)
  } finally {
    await rm(csv, { force: true })
  }
}

/**
 * How a push may go, for the tests to reach every path: `follow: false` writes the CSV file
 * whole first, as on Windows; `merge: false` upserts as on servers before PostgreSQL 15, which
 * have no MERGE.
 */
export interface PushOptions {
  follow: boolean
  merge: boolean
}

/**
 * Where the pushed CSV comes from: a file DuckDB has written, or one it is still writing while
 * the server reads. A push loads it exactly once.
 */
type PushSource = { file: string } | { following: string; rows: number }

async function countInput(request: WriteRequest): Promise<number> {
  return queryNumber(request.duckdb, `SELECT count(*) FROM ${request.input.ref}`, request.signal)
}

/** Runs the transaction on one connection, cancelling the server's work when the run is. */
async function pushFile(
  request: WriteRequest,
  keys: string[],
  source: PushSource,
  merge: boolean,
): Promise<PushCounts> {
  const client = await openClient(request.connection, request.nodeId)
  let running: RunningCopy | undefined
  let detach = (): void => undefined
  try {
    const pid = await backendPid(client)
    detach = cancelOnAbort(request.connection, pid, request.signal, () => running?.stop())
    await client.query('BEGIN')
    const transaction = await transactionId(client)
    await runHook(client, request, 'pre', transaction)
    const counts = await pushInTransaction({
      client,
      request,
      keys,
      merge,
      copyInto: async (table, columns) => {
        throwIfCancelled(request)
        const sql = copyInSql(table, columns)
        running =
          'file' in source
            ? copyFileIn(client, sql, source.file, request)
            : copyWhileExporting(client, sql, source.following, request, source.rows)
        try {
          return await running.done
        } finally {
          running = undefined
        }
      },
    })
    await runHook(client, request, 'post', transaction)
    throwIfCancelled(request)
    await client.query(request.dryRun ? 'ROLLBACK' : 'COMMIT')
    return counts
  } catch (thrown) {
    await rollBack(client)
    throw thrown
  } finally {
    detach()
    await closeClient(client)
  }
}

/** The id of the open transaction, assigning one if it has none yet. */
async function transactionId(client: pg.Client): Promise<string> {
  const result = await client.query<{ id: string }>('SELECT txid_current()::text AS id')
  return result.rows[0]?.id ?? ''
}

/**
 * Runs the pre- or post-SQL inside the push's transaction; a failure says which it was. A hook
 * that ends the transaction (COMMIT or ROLLBACK) would leave the rest of the push running in
 * autocommit, one statement at a time, so the push stops there; the transaction id before and
 * after tells, as `pg` does not expose the server's transaction status.
 */
async function runHook(
  client: pg.Client,
  request: WriteRequest,
  which: 'pre' | 'post',
  transaction: string,
): Promise<void> {
  const sql = which === 'pre' ? request.preSql : request.postSql
  if (sql.trim() === '') {
    return
  }
  try {
    await client.query(sql)
  } catch (thrown) {
    const described = describePostgresError(thrown)
    throw new SluiceFailure(
      sluiceError(
        'PUSH_FAILED',
        {
          node: request.nodeId,
          table: tableLabel(request),
          reason: `the ${which}-SQL failed: ${described.reason}`,
        },
        { nodeId: request.nodeId, detail: described.detail },
      ),
    )
  }
  if ((await transactionId(client)) === transaction) {
    return
  }
  const status = await client.query<{ status: string | null }>(
    'SELECT txid_status($1::bigint) AS status',
    [transaction],
  )
  const committed = status.rows[0]?.status === 'committed'
  // Whatever ran before the hook's own COMMIT is saved, and the user must hear it.
  const saved =
    which === 'pre'
      ? 'What the pre-SQL did before its COMMIT is saved; the push wrote nothing'
      : "Its COMMIT saved the push's changes"
  throw new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      {
        node: request.nodeId,
        table: tableLabel(request),
        reason:
          `the ${which}-SQL ended the push's transaction (COMMIT or ROLLBACK); hooks run inside ` +
          `it and must leave it open. ${committed ? saved : 'Nothing was written'}`,
      },
      { nodeId: request.nodeId, field: which === 'pre' ? 'config.preSql' : 'config.postSql' },
    ),
  )
}

/**
 * Rolls back, never failing: on a lost connection there is nothing to roll back here, and the
 * server discards the open transaction itself.
 */
async function rollBack(client: pg.Client): Promise<void> {
  try {
    await client.query('ROLLBACK')
  } catch {
    // See above: closing the connection ends the transaction on the server.
  }
}

/** The schema, table and column names must all be usable PostgreSQL names. */
function checkNames(request: WriteRequest): void {
  for (const [what, name] of [
    ['schema', request.schema],
    ['table', request.table],
  ] as const) {
    const problem = what === 'schema' && name === '' ? null : identifierProblem('postgres', name)
    if (problem) {
      throw identifierFailure(new IdentifierError(name, problem), request.nodeId, what)
    }
  }
  const problems = columnNameProblems(
    'postgres',
    request.input.columns.map((column) => column.name),
  )
  const first = problems[0]
  if (first) {
    const name = /"([^"]*)"/.exec(first)?.[1] ?? ''
    throw new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        { node: request.nodeId, what: 'column', name, reason: problems.join('; ') },
        { nodeId: request.nodeId, detail: problems.join('\n') },
      ),
    )
  }
}

/**
 * Upsert and mirror match rows on their keys, so every key must be an input column, never NULL,
 * and unique in the input; checked in DuckDB before anything reaches the server.
 */
async function checkKeys(request: WriteRequest, keys: string[]): Promise<void> {
  if (request.mode !== 'upsert' && request.mode !== 'mirror') {
    return
  }
  const fail = (reason: string): never => {
    throw new SluiceFailure(
      sluiceError(
        'PUSH_FAILED',
        { node: request.nodeId, table: tableLabel(request), reason },
        { nodeId: request.nodeId, field: 'config.keys' },
      ),
    )
  }
  if (keys.length === 0) {
    fail(`mode "${request.mode}" needs key columns to match rows on`)
  }
  const inputNames = new Map(
    request.input.columns.map((column) => [normalizeIdentifier(column.name), column.name]),
  )
  const keyColumns = keys.map((key) => {
    const name = inputNames.get(key)
    return name === undefined
      ? fail(`the key column "${key}" is not in the input`)
      : quoteIdent(name)
  })
  const list = keyColumns.join(', ')
  const [problem] = await queryRows(
    request.duckdb,
    `SELECT (SELECT count(*) FROM ${request.input.ref} WHERE ${keyColumns.map((key) => `${key} IS NULL`).join(' OR ')}) AS nulls,
            (SELECT to_json(d) FROM (SELECT ${list}, count(*) AS sluice_rows FROM ${request.input.ref}
              GROUP BY ${list} HAVING count(*) > 1 LIMIT 1) AS d)::VARCHAR AS duplicate`,
    request.signal,
  )
  if (Number(problem?.nulls ?? 0) > 0) {
    fail(`${String(problem?.nulls)} input rows have an empty (NULL) key`)
  }
  if (typeof problem?.duplicate === 'string') {
    fail(`the input has several rows with the same key: ${problem.duplicate}`)
  }
}

function throwIfCancelled(request: WriteRequest): void {
  if (request.signal.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
  }
}

/** Any failure as `PUSH_FAILED` naming node, table and the server's cause; cancel stays CANCELLED. */
function pushFailed(thrown: unknown, request: WriteRequest): SluiceFailure {
  if (request.signal.aborted) {
    return new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
  }
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  if (thrown instanceof IdentifierError) {
    return identifierFailure(thrown, request.nodeId, 'column')
  }
  const described = describePostgresError(thrown)
  return new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      { node: request.nodeId, table: tableLabel(request), reason: described.reason },
      { nodeId: request.nodeId, detail: described.detail },
    ),
  )
}
