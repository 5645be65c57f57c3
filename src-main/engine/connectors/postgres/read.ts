import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { quoteIdent, quoteLiteral } from '../../duckdb/quote'
import { queryRows, runStatement } from '../../duckdb/query'
import type { Activity, ReadOutcome, ReadRequest } from '../database/contract'
import { IdentifierError } from '../database/identifiers'
import { backendPid, cancelOnAbort } from './cancel'
import { closeClient, openClient } from './connect'
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
 * `COPY (...) TO STDOUT` into a spool file, and DuckDB's parallel CSV reader loads it with the
 * exact column types; no row ever passes through JavaScript objects.
 */
export async function readFromPostgres(request: ReadRequest): Promise<ReadOutcome> {
  const { nodeId, signal } = request
  throwIfCancelled(signal)
  const client = await openClient(request.connection, nodeId)
  await mkdir(request.workDir, { recursive: true })
  const spool = join(request.workDir, `postgres-read-${randomUUID()}.csv`)
  try {
    const plan = await planRead(client, request)
    const pid = await backendPid(client)
    let copy: pg.Submittable & NodeJS.ReadableStream & { destroy(): void }
    const detach = cancelOnAbort(request.connection, pid, signal)
    try {
      throwIfCancelled(signal)
      copy = client.query(copyTo(plan.copySql))
      const rows = await spoolCopy(copy, spool, request)
      request.progress({ rows })
    } finally {
      detach()
    }
    throwIfCancelled(signal)
    await loadSpool(request, spool, plan)
    return await outcome(request, plan)
  } catch (thrown) {
    throw readFailed(thrown, request)
  } finally {
    await closeClient(client)
    await rm(spool, { force: true })
  }
}

/** How often, at most, progress is reported while bytes stream in. */
const progressIntervalMs = 250

/** Streams COPY's bytes into `file`, reporting bytes as they come; resolves to the row count. */
async function spoolCopy(
  copy: NodeJS.ReadableStream & { rowCount?: number },
  file: string,
  activity: Activity,
): Promise<number> {
  let bytes = 0
  let reported = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      const now = Date.now()
      if (now - reported >= progressIntervalMs) {
        reported = now
        activity.progress({ bytes })
      }
      callback(null, chunk)
    },
  })
  await pipeline(copy, counter, createWriteStream(file, { highWaterMark: 1 << 20 }))
  activity.progress({ bytes })
  return copy.rowCount ?? 0
}

/** Parses the spool into the target, giving DuckDB room for longer rows only when it needs it. */
async function loadSpool(request: ReadRequest, spool: string, plan: ReadPlan): Promise<void> {
  for (const [attempt, limit] of longLineLimits.entries()) {
    try {
      await runStatement(
        request.duckdb,
        loadSpoolSql(spool, plan, request.target, limit),
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

/** The DuckDB statement that parses the spool with the planned types into the target table. */
function loadSpoolSql(
  spool: string,
  plan: ReadPlan,
  target: string,
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
  return `CREATE OR REPLACE TABLE ${target} AS SELECT ${select} FROM read_csv(${quoteLiteral(spool)}, ${options.join(', ')})`
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
