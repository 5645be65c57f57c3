import { randomUUID } from 'node:crypto'
import type { DuckDBAppender } from '@duckdb/node-api'
import type { Connection as CoreConnection, FieldPacket, QueryError } from 'mysql2'
import type { Connection } from 'mysql2/promise'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ReadOutcome, ReadRequest } from '../database/contract'
import { quoteIdent } from '../../duckdb/quote'
import { queryRows, runStatement } from '../../duckdb/query'
import { closeSession, killQuery, openSession } from './connect'
import { serverMessage } from './failures'
import {
  castSelect,
  lossCountQuery,
  rawTableDdl,
  stagedColumn,
  targetTableDdl,
  type StagedColumn,
} from './read-staging'
import { readStatement, sourceName } from './read-sql'
import { fieldType } from './types'

/** How often progress is reported, in rows: often enough for a live count, rare enough to be free. */
const progressEveryRows = 50_000

/**
 * mysql2's promise wrapper hides the callback connection, whose queries emit rows one at a time
 * instead of collecting them; the wrapper keeps it as `connection`.
 */
function coreOf(session: Connection): CoreConnection {
  return (session as unknown as { connection: CoreConnection }).connection
}

/**
 * Reads a table or query into `request.target`. Rows stream from the server (never collected in
 * JavaScript) into a raw DuckDB table through the Appender, one call per value; DuckDB then casts
 * them to the mapped types in one pass. A cancel kills the query on the server.
 */
export async function readMysql(request: ReadRequest): Promise<ReadOutcome> {
  const { nodeId } = request
  const failed = (thrown: unknown): SluiceFailure => {
    if (thrown instanceof SluiceFailure) {
      return thrown
    }
    if (request.signal.aborted) {
      return new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId }))
    }
    const reason = serverMessage(thrown)
    return new SluiceFailure(
      sluiceError(
        'SOURCE_READ_FAILED',
        { node: nodeId, source: sourceName(request), reason },
        { nodeId, detail: reason },
      ),
    )
  }
  if (request.signal.aborted) {
    throw failed(null)
  }
  let statement
  try {
    statement = readStatement(request)
  } catch (thrown) {
    throw failed(thrown)
  }
  const session = await openSession(request.connection, {}, nodeId)
  const rawName = `sluice_raw_${randomUUID().replaceAll('-', '')}`
  const rawTable = quoteIdent(rawName)
  const created = { target: false }
  try {
    const columns = await streamIntoRaw(request, session, statement, rawName, created)
    await runStatement(
      request.duckdb,
      `INSERT INTO ${request.target} ${castSelect(rawTable, columns)}`,
      request.signal,
    )
    const warnings = await countLosses(request, rawTable, columns)
    const rows = await countRows(request)
    const outcome: ReadOutcome = { rows, warnings }
    if (request.incremental) {
      outcome.watermark = await newWatermark(request, columns, rows)
    }
    return outcome
  } catch (thrown) {
    // A failed read leaves no half-filled target behind, so a retry can create it again.
    if (created.target) {
      await request.duckdb.run(`DROP TABLE IF EXISTS ${request.target}`)
    }
    throw failed(thrown)
  } finally {
    await closeSession(session)
    await request.duckdb.run(`DROP TABLE IF EXISTS ${rawTable}`)
  }
}

/**
 * Runs the SELECT and appends every row to the raw table as it arrives. The typed target is
 * created as soon as the server describes the columns, so an empty result still has them.
 */
function streamIntoRaw(
  request: ReadRequest,
  session: Connection,
  statement: { sql: string; values: string[] },
  rawName: string,
  created: { target: boolean },
): Promise<StagedColumn[]> {
  const core = coreOf(session)
  return new Promise<StagedColumn[]>((resolve, reject) => {
    let columns: StagedColumn[] = []
    let appender: DuckDBAppender | undefined
    let rows = 0
    let settled = false
    const finish = (error: unknown): void => {
      if (settled) {
        return
      }
      settled = true
      request.signal.removeEventListener('abort', cancel)
      try {
        appender?.closeSync()
      } catch (closeError) {
        error ??= closeError
      }
      if (error) {
        reject(error)
      } else {
        resolve(columns)
      }
    }
    const cancel = (): void => {
      void killQuery(request.connection, session.threadId).finally(() => {
        session.destroy()
        finish(new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId })))
      })
    }
    request.signal.addEventListener('abort', cancel, { once: true })
    const options = { sql: statement.sql, rowsAsArray: true }
    // Placeholders only when there are values: mysql2 would otherwise treat a `?` inside the
    // user's own SQL (a string literal, say) as one. Bound values go as a prepared statement.
    const query =
      statement.values.length > 0
        ? core.execute({ ...options, values: statement.values })
        : core.query(options)
    query.on('fields', (fields: FieldPacket[]) => {
      core.pause()
      columns = fields.map((field) => stagedColumn(field.name, fieldType(field)))
      void prepareTables(request, rawName, columns, created).then(
        (created) => {
          appender = created
          core.resume()
        },
        (error: unknown) => {
          session.destroy()
          finish(error)
        },
      )
    })
    query.on('result', (row: unknown) => {
      if (!appender || settled) {
        return
      }
      const values = row as unknown[]
      for (let index = 0; index < values.length; index += 1) {
        const value = values[index]
        if (value === null) {
          appender.appendNull()
        } else {
          ;(columns[index] as StagedColumn).append(appender, value)
        }
      }
      appender.endRow()
      rows += 1
      if (rows % progressEveryRows === 0) {
        request.progress({ rows })
      }
    })
    query.on('error', (error: QueryError) => finish(error))
    query.on('end', () => {
      if (settled) {
        return
      }
      try {
        appender?.flushSync()
      } catch (error) {
        finish(error)
        return
      }
      request.progress({ rows })
      finish(undefined)
    })
  })
}

async function prepareTables(
  request: ReadRequest,
  rawName: string,
  columns: StagedColumn[],
  created: { target: boolean },
): Promise<DuckDBAppender> {
  await request.duckdb.run(targetTableDdl(request.target, columns))
  created.target = true
  await request.duckdb.run(rawTableDdl(quoteIdent(rawName), columns))
  return request.duckdb.createAppender(rawName)
}

async function countLosses(
  request: ReadRequest,
  rawTable: string,
  columns: StagedColumn[],
): Promise<string[]> {
  const query = lossCountQuery(rawTable, columns)
  if (!query) {
    return []
  }
  const [counts] = await queryRows(request.duckdb, query.sql, request.signal)
  const values = Object.values(counts ?? {}).map(Number)
  const warnings: string[] = []
  values.forEach((count, index) => {
    if (count > 0) {
      const warning = (query.warnings[index] ?? '').replace('{count}', String(count))
      warnings.push(warning)
      request.log('warn', warning)
    }
  })
  return warnings
}

async function countRows(request: ReadRequest): Promise<number> {
  const [row] = await queryRows(request.duckdb, `SELECT count(*) AS n FROM ${request.target}`)
  return Number(row?.n ?? 0)
}

/**
 * The largest watermark value staged, as text the server reads back in the next run's
 * condition; the previous mark when no rows came. TIMESTAMPTZ values are written in UTC, the
 * session's zone, since DuckDB would print them in its own.
 */
async function newWatermark(
  request: ReadRequest,
  columns: StagedColumn[],
  rows: number,
): Promise<string | null> {
  const incremental = request.incremental
  if (!incremental) {
    return null
  }
  const wanted = incremental.column.normalize('NFC').toLowerCase()
  const column = columns.find((candidate) => candidate.name.toLowerCase() === wanted)
  if (!column) {
    throw new Error(
      `the watermark column "${incremental.column}" is not among the columns read; add it to the columns`,
    )
  }
  if (rows === 0) {
    return incremental.after
  }
  const quoted = quoteIdent(column.name)
  const value =
    column.type === 'TIMESTAMPTZ'
      ? `CAST(make_timestamp(epoch_us(max(${quoted}))) AS VARCHAR)`
      : `CAST(max(${quoted}) AS VARCHAR)`
  const [row] = await queryRows(request.duckdb, `SELECT ${value} AS mark FROM ${request.target}`)
  const mark = row?.mark
  return mark === null || mark === undefined ? incremental.after : String(mark)
}
