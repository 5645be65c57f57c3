import { randomUUID } from 'node:crypto'
import type { DuckDBAppender } from '@duckdb/node-api'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { queryRows } from '../../duckdb/query'
import type { ReadOutcome, ReadRequest } from '../database/contract'
import { caseCollisions, quoteIdentifier } from '../database/identifiers'
import { sqliteSchema } from './browse'
import { failure, quoteFor, sourceName, yieldToEvents } from './failures'
import { openSqlite, type SqliteDatabase } from './open'
import { stagedTypeOf, type StagedType } from './types'
import {
  appendValue,
  inferStagedType,
  sqliteLess,
  watermarkText,
  widen,
  type ReadColumn,
  type Widening,
} from './values'

/** Rows appended between cancel checks, progress reports and turns of the event loop. */
const batchRows = 10_000

/**
 * Reads a SQLite table or query into a new DuckDB table. Rows are iterated from SQLite and
 * appended through DuckDB's Appender in batches, so the result is never held in memory; typed
 * columns (dates, booleans, decimals) are cast in DuckDB afterwards, set-based.
 */
export async function readSqlite(request: ReadRequest): Promise<ReadOutcome> {
  const database = openSqlite(request.connection, { readonly: true, nodeId: request.nodeId })
  try {
    const overrides = new Map<number, StagedType>()
    const warnings: string[] = []
    // SQLite lets any column hold any storage class. A value that does not fit the column's
    // type widens that column (INTEGER to DOUBLE, to VARCHAR, to BLOB) and the read starts over:
    // rare, and simpler than rewriting what was already appended.
    for (;;) {
      const attempt = await readOnce(request, database, overrides)
      if ('rows' in attempt) {
        return { ...attempt, warnings: [...warnings, ...attempt.warnings] }
      }
      overrides.set(attempt.index, attempt.staged)
      warnings.push(attempt.warning)
      request.log('warn', attempt.warning)
    }
  } finally {
    database.close()
  }
}

async function readOnce(
  request: ReadRequest,
  database: SqliteDatabase,
  overrides: Map<number, StagedType>,
): Promise<ReadOutcome | Widening> {
  const source = sourceName(request.source)
  const plan = planSelect(request, database, overrides)
  const statement = prepare(request, database, plan.sql)
  statement.raw(true)
  statement.safeIntegers(true)
  const rows = statement.iterate(...plan.params) as IterableIterator<unknown[]>
  const rawName = `sluice_sqlite_read_${randomUUID().replaceAll('-', '')}`
  const raw = quoteIdentifier('duckdb', rawName)
  const duckdb = request.duckdb
  let appender: DuckDBAppender | undefined
  try {
    // Typeless columns take their type from the first batch, read before the table exists.
    const first = takeRows(request, rows, batchRows)
    const columns = plan.columns.map((column, index) => ({
      ...column,
      staged: column.staged ?? inferStagedType(first, index),
    }))
    await duckdb.run(
      `CREATE TABLE ${raw} (${columns
        .map((column) => `${quoteIdentifier('duckdb', column.name)} ${column.staged.raw}`)
        .join(', ')})`,
    )
    appender = await duckdb.createAppender(rawName)
    const kinds = columns.map((column) => column.staged.raw)
    let count = 0
    // The mark never goes back: a look-back re-reads rows below it.
    const previous = request.incremental?.after ?? null
    let watermark: unknown = previous === null ? null : watermarkParameter(previous)
    const watermarkIndex = plan.watermark ? columns.length : -1
    for (let batch = first; batch.length > 0; batch = takeRows(request, rows, batchRows)) {
      for (const row of batch) {
        count += 1
        for (let index = 0; index < kinds.length; index += 1) {
          const value = row[index]
          if (!appendValue(appender, kinds[index] as StagedType['raw'], value)) {
            return widen(columns[index] as ReadColumn, index, value, count)
          }
        }
        appender.endRow()
        if (watermarkIndex >= 0 && sqliteLess(watermark, row[watermarkIndex])) {
          watermark = row[watermarkIndex]
        }
      }
      appender.flushSync()
      request.progress({ rows: count })
      if (request.signal.aborted) {
        throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
      }
      await yieldToEvents()
      if (request.signal.aborted) {
        throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
      }
    }
    appender.closeSync()
    appender = undefined
    const warnings = await castColumns(request, raw, columns)
    return {
      rows: count,
      warnings,
      ...(plan.watermark
        ? {
            watermark: watermark === null ? null : watermarkText(watermark),
          }
        : {}),
    }
  } catch (thrown) {
    throw failure(thrown, () =>
      sluiceError(
        'SOURCE_READ_FAILED',
        { node: request.nodeId, source, reason: reasonOf(thrown) },
        { nodeId: request.nodeId, detail: String(thrown) },
      ),
    )
  } finally {
    rows.return?.()
    try {
      appender?.closeSync()
    } catch {
      // An appender left mid-row cannot flush; the table it fed is dropped below anyway.
    }
    await duckdb.run(`DROP TABLE IF EXISTS ${raw}`)
  }
}

interface SelectPlan {
  sql: string
  params: unknown[]
  /** `staged` is null for columns whose type comes from their values. */
  columns: Array<Omit<ReadColumn, 'staged'> & { staged: StagedType | null }>
  /** The watermark column is selected once more, last, as stored. */
  watermark: boolean
}

/** The SELECT sent to SQLite: chosen columns, the user's WHERE, the incremental condition. */
function planSelect(
  request: ReadRequest,
  database: SqliteDatabase,
  overrides: Map<number, StagedType>,
): SelectPlan {
  const quote = (what: string, name: string) => quoteFor('sqlite', request.nodeId, what, name)
  let from: string
  if ('query' in request.source) {
    from = `(${request.source.query.trim().replace(/;+\s*$/, '')}) AS sluice_query`
  } else {
    if (request.source.schema !== '' && request.source.schema !== sqliteSchema) {
      throw new SluiceFailure(
        sluiceError(
          'SOURCE_READ_FAILED',
          {
            node: request.nodeId,
            source: sourceName(request.source),
            reason: `a SQLite file has one schema, "${sqliteSchema}", not "${request.source.schema}"`,
          },
          { nodeId: request.nodeId },
        ),
      )
    }
    from = `main.${quote('table', request.source.table)}`
  }
  const list =
    request.columns.length > 0
      ? request.columns.map((name) => quote('column', name)).join(', ')
      : '*'
  const probe = prepare(request, database, `SELECT ${list} FROM ${from}`).columns()
  const [collision] = caseCollisions(probe.map((column) => column.name))
  if (collision) {
    throw new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        {
          node: request.nodeId,
          what: 'column',
          name: collision.join('", "'),
          reason: 'the columns read would share one name; give each its own name (AS) in a query',
        },
        { nodeId: request.nodeId },
      ),
    )
  }
  const columns = probe.map((column, index) => ({
    name: column.name,
    declared: column.type,
    staged: overrides.get(index) ?? stagedTypeOf(column.type),
  }))
  const expressions = columns.map((column) =>
    timeExpression(quote('column', column.name), column.staged),
  )
  const conditions: string[] = []
  const params: unknown[] = []
  if (request.where.trim() !== '') {
    conditions.push(`(${request.where})`)
  }
  const incremental = request.incremental
  if (incremental) {
    const watermarkColumn = quote('column', incremental.column)
    expressions.push(watermarkColumn)
    if (incremental.after !== null) {
      conditions.push(incrementalCondition(watermarkColumn, incremental, params))
    }
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  return {
    sql: `SELECT ${expressions.join(', ')} FROM ${from}${where}`,
    params,
    columns,
    watermark: incremental !== null,
  }
}

/**
 * Dates and timestamps stored as numbers follow SQLite's own conventions: INTEGER is Unix time
 * and REAL is a Julian day number. They become text here so DuckDB parses one format.
 */
function timeExpression(column: string, staged: StagedType | null): string {
  if (staged?.time === 'date') {
    return `CASE typeof(${column}) WHEN 'integer' THEN date(${column}, 'unixepoch') WHEN 'real' THEN date(${column}) ELSE ${column} END`
  }
  if (staged?.time === 'timestamp') {
    return `CASE typeof(${column}) WHEN 'integer' THEN datetime(${column}, 'unixepoch') WHEN 'real' THEN strftime('%Y-%m-%d %H:%M:%f', ${column}) ELSE ${column} END`
  }
  return column
}

/** `column > previous mark` (less the look-back), with the values bound. */
function incrementalCondition(
  column: string,
  incremental: { after: string | null; lookback: string },
  params: unknown[],
): string {
  const after = incremental.after ?? ''
  const lookback = incremental.lookback.trim()
  params.push(watermarkParameter(after))
  if (lookback === '') {
    return `${column} > ?`
  }
  if (/^\d+(\.\d+)?$/.test(lookback)) {
    params.push(/^\d+$/.test(lookback) ? BigInt(lookback) : Number(lookback))
    return `${column} > ? - ?`
  }
  // An interval such as "2 hours" is a SQLite date modifier once negated. An integer mark is
  // Unix time (SQLite's convention), so the window is taken in seconds and compared as one.
  params.push(`-${lookback}`)
  if (/^-?\d+$/.test(after)) {
    return `${column} > CAST(strftime('%s', ?, 'unixepoch', ?) AS INTEGER)`
  }
  return `${column} > datetime(?, ?)`
}

/** Integer marks are bound as integers so they compare as numbers, whatever the affinity. */
function watermarkParameter(after: string): unknown {
  if (/^-?\d+$/.test(after)) {
    return BigInt(after)
  }
  if (/^-?\d*\.\d+(e[+-]?\d+)?$/i.test(after)) {
    return Number(after)
  }
  return after
}

function prepare(request: ReadRequest, database: SqliteDatabase, sql: string) {
  try {
    return database.prepare(sql)
  } catch (thrown) {
    throw new SluiceFailure(
      sluiceError(
        'SOURCE_READ_FAILED',
        { node: request.nodeId, source: sourceName(request.source), reason: reasonOf(thrown) },
        { nodeId: request.nodeId, detail: `${String(thrown)}\n${sql}` },
      ),
    )
  }
}

function takeRows(
  request: ReadRequest,
  rows: IterableIterator<unknown[]>,
  limit: number,
): unknown[][] {
  const batch: unknown[][] = []
  while (batch.length < limit) {
    const next = rows.next()
    if (next.done) {
      break
    }
    batch.push(next.value)
  }
  return batch
}

/** Casts the typed columns set-based into the target; values that do not parse become NULL. */
async function castColumns(
  request: ReadRequest,
  raw: string,
  columns: ReadColumn[],
): Promise<string[]> {
  const quoted = columns.map((column) => quoteIdentifier('duckdb', column.name))
  const select = columns.map((column, index) => {
    const name = quoted[index] as string
    return column.staged.cast ? `TRY_CAST(${name} AS ${column.staged.cast}) AS ${name}` : name
  })
  await request.duckdb.run(
    `CREATE TABLE ${request.target} AS SELECT ${select.join(', ')} FROM ${raw}`,
  )
  const cast = columns.flatMap((column, index) =>
    column.staged.cast ? [{ column, name: quoted[index] as string }] : [],
  )
  if (cast.length === 0) {
    return []
  }
  const [failures] = await queryRows(
    request.duckdb,
    `SELECT ${cast
      .map(
        ({ column, name }, index) =>
          `count(*) FILTER (WHERE ${name} IS NOT NULL AND TRY_CAST(${name} AS ${column.staged.cast}) IS NULL) AS "${index}"`,
      )
      .join(', ')} FROM ${raw}`,
  )
  return cast.flatMap(({ column }, index) => {
    const failed = Number(failures?.[String(index)] ?? 0)
    return failed > 0
      ? [
          `${failed} value(s) in column "${column.name}" (declared ${column.declared}) could not be read as ${column.staged.cast} and became NULL.`,
        ]
      : []
  })
}

function reasonOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}
