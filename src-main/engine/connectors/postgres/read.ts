import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { quoteIdent, quoteLiteral } from '../../duckdb/quote'
import { queryRows, runStatement } from '../../duckdb/query'
import type { ReadOutcome, ReadRequest } from '../database/contract'
import { IdentifierError } from '../database/identifiers'
import { backendPid, cancelOnAbort } from './cancel'
import { closeClient, openClient } from './connect'
import { writeCsvChunks } from './csv-chunks'
import { describePostgresError, identifierFailure } from './server-errors'
import { planRead, type ReadPlan } from './read-query'
import { csvReadType, importExpression } from './types'

/**
 * DuckDB's reader holds a buffer of twice the longest line per thread, so a huge limit costs
 * memory on every read. Rows are read with DuckDB's defaults first (2 MB lines); only a spool
 * with longer rows is read again with room for them, up to 256 MB per row.
 */
const longLineLimits = [null, 32 * 1024 * 1024, 256 * 1024 * 1024] as const

/**
 * Reads a table or query into the DuckDB table `request.target`. The server streams CSV through
 * `COPY (...) TO STDOUT` into spool chunks, and DuckDB's parallel CSV reader loads each with the
 * exact column types while the next arrives; no row ever passes through JavaScript objects.
 */
export async function readFromPostgres(request: ReadRequest): Promise<ReadOutcome> {
  const { nodeId, signal } = request
  throwIfCancelled(signal)
  const spool = join(request.workDir, `postgres-read-${randomUUID()}`)
  let client: pg.Client | undefined
  let detach = (): void => undefined
  try {
    // The folder first: nothing is open yet if it cannot be made.
    await mkdir(request.workDir, { recursive: true })
    client = await openClient(request.connection, nodeId)
    // Cancel reaches the server from here on: planning runs the query (LIMIT 0), which can wait
    // as long as the read itself, on a lock or a slow function.
    const pid = await backendPid(client)
    detach = cancelOnAbort(request.connection, pid, signal)
    throwIfCancelled(signal)
    const plan = await planRead(client, request)
    throwIfCancelled(signal)
    const rows = await copyIntoDuckdb(client, plan, spool, request)
    request.progress({ rows })
    detach()
    return await outcome(request, plan)
  } catch (thrown) {
    // Chunks loaded before the failure must not pass for the whole result.
    await request.duckdb.run(`DROP TABLE IF EXISTS ${request.target}`).catch(() => undefined)
    throw readFailed(thrown, request)
  } finally {
    detach()
    if (client) {
      await closeClient(client)
    }
  }
}

/** Spool chunks of about this size are parsed while later ones still arrive. */
const chunkBytes = 16 * 1024 * 1024

/** How often, at most, progress is reported while bytes stream in. */
const progressIntervalMs = 250

/**
 * Streams COPY's CSV into chunk files and loads each into the target as soon as it is complete,
 * so DuckDB parses while the server sends; resolves to the row count the server reported.
 */
async function copyIntoDuckdb(
  client: pg.Client,
  plan: ReadPlan,
  spool: string,
  request: ReadRequest,
): Promise<number> {
  let loaded: Promise<void> = Promise.resolve()
  let chunks = 0
  const onChunk = (file: string): void => {
    const create = chunks === 0
    chunks += 1
    loaded = loaded
      .then(() => loadChunk(request, file, plan, create))
      .finally(() => rm(file, { force: true }))
    // Handled when awaited below; until then a failure must not count as unhandled.
    loaded.catch(() => undefined)
  }
  let reported = 0
  const onBytes = (bytes: number): void => {
    const now = Date.now()
    if (now - reported >= progressIntervalMs) {
      reported = now
      request.progress({ bytes })
    }
  }
  const copy = client.query(copyTo(plan.copySql))
  try {
    const bytes = await writeCsvChunks(
      copy,
      (index) => `${spool}-${index}.csv`,
      chunkBytes,
      onChunk,
      onBytes,
    )
    request.progress({ bytes })
  } finally {
    // Never leave a DuckDB statement running on the caller's connection.
    await loaded.catch(() => undefined)
  }
  await loaded
  return copy.rowCount
}

/** Parses a chunk into the target, giving DuckDB room for longer rows only when it needs it. */
async function loadChunk(
  request: ReadRequest,
  file: string,
  plan: ReadPlan,
  create: boolean,
): Promise<void> {
  for (const [attempt, limit] of longLineLimits.entries()) {
    try {
      // One statement, so a failed attempt leaves the target as it was for the next one.
      await runStatement(
        request.duckdb,
        loadChunkSql(file, plan, request.target, create, limit),
        request.signal,
      )
      return
    } catch (thrown) {
      const tooLong = /maximum line size/i.test(String(thrown))
      if (!tooLong || attempt === longLineLimits.length - 1) {
        throw thrown
      }
    }
  }
}

/** The DuckDB statement that parses one chunk with the planned types into the target table. */
function loadChunkSql(
  file: string,
  plan: ReadPlan,
  target: string,
  create: boolean,
  maxLineBytes: number | null,
): string {
  const csvNames = plan.columns.map((_, index) => `c${index + 1}`)
  const columns = plan.columns
    .map(
      (column, index) =>
        `${quoteLiteral(csvNames[index] ?? '')}: ${quoteLiteral(csvReadType(column.mapping))}`,
    )
    .join(', ')
  const select = plan.columns
    .map(
      (column, index) =>
        `${importExpression(quoteIdent(csvNames[index] ?? ''), column.mapping)} AS ${quoteIdent(column.name)}`,
    )
    .join(', ')
  // An unquoted empty field is NULL and a quoted one an empty string, as PostgreSQL writes them;
  // allow_quoted_nulls must be off for DuckDB to keep that difference.
  const options = [
    'header = false',
    `delim = ','`,
    `quote = '"'`,
    `escape = '"'`,
    'auto_detect = false',
    'allow_quoted_nulls = false',
    ...(maxLineBytes === null
      ? []
      : [`max_line_size = ${maxLineBytes}`, `buffer_size = ${maxLineBytes * 2}`]),
    `columns = {${columns}}`,
  ]
  const rows = `SELECT ${select} FROM read_csv(${quoteLiteral(file)}, ${options.join(', ')})`
  return create ? `CREATE OR REPLACE TABLE ${target} AS ${rows}` : `INSERT INTO ${target} ${rows}`
}

/** The row count and, for incremental reads, the new watermark from the staged rows. */
async function outcome(request: ReadRequest, plan: ReadPlan): Promise<ReadOutcome> {
  const incremental = request.incremental
  const watermarkColumn = incremental
    ? plan.columns.find((column) => column.serverName === incremental.column)
    : undefined
  const mark = watermarkColumn ? `, max(${quoteIdent(watermarkColumn.name)})::VARCHAR` : ''
  const [row] = await queryRows(
    request.duckdb,
    `SELECT count(*) AS rows${mark ? `${mark} AS mark` : ''} FROM ${request.target}`,
  )
  const rows = Number(row?.rows ?? 0)
  const result: ReadOutcome = { rows, warnings: plan.warnings }
  if (incremental) {
    const mark = row?.mark
    result.watermark = typeof mark === 'string' ? mark : incremental.after
  }
  return result
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED'))
  }
}

/** Any failure as `SOURCE_READ_FAILED` naming the node and what was read; cancel stays CANCELLED. */
function readFailed(thrown: unknown, request: ReadRequest): SluiceFailure {
  if (request.signal.aborted) {
    return new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
  }
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  const source =
    'query' in request.source
      ? 'its query'
      : `table ${[request.source.schema, request.source.table].filter(Boolean).join('.')}`
  if (thrown instanceof IdentifierError) {
    return identifierFailure(thrown, request.nodeId, 'table or column')
  }
  const described = describePostgresError(thrown)
  return new SluiceFailure(
    sluiceError(
      'SOURCE_READ_FAILED',
      { node: request.nodeId, source, reason: described.reason },
      { nodeId: request.nodeId, detail: described.detail },
    ),
  )
}
