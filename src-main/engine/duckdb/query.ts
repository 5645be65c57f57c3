import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'

export interface QueryProgressSample {
  percent: number
  rows: number
}

/** How often a running query's progress is read; fast enough for a live bar, cheap enough to ignore. */
const progressIntervalMs = 250

/**
 * Runs one statement, reporting DuckDB's own progress while it runs, and interrupting it when
 * `signal` aborts (the statement then fails with `CANCELLED` and changes nothing).
 */
export async function runStatement(
  connection: DuckDBConnection,
  sql: string,
  signal?: AbortSignal,
  onProgress?: (sample: QueryProgressSample) => void,
): Promise<void> {
  await withInterrupt(connection, signal, onProgress, () => connection.run(sql))
}

/** Runs a query and returns its rows as JSON-safe objects. */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
  signal?: AbortSignal,
): Promise<Array<Record<string, unknown>>> {
  const reader = await withInterrupt(connection, signal, undefined, () =>
    connection.runAndReadAll(sql),
  )
  return readRows(reader)
}

/** Reads a single number, e.g. a count. */
export async function queryNumber(
  connection: DuckDBConnection,
  sql: string,
  signal?: AbortSignal,
): Promise<number> {
  const rows = await queryRows(connection, sql, signal)
  const first = rows[0]
  return first ? Number(Object.values(first)[0] ?? 0) : 0
}

async function withInterrupt<T>(
  connection: DuckDBConnection,
  signal: AbortSignal | undefined,
  onProgress: ((sample: QueryProgressSample) => void) | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal?.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED'))
  }
  const interrupt = (): void => connection.interrupt()
  signal?.addEventListener('abort', interrupt, { once: true })
  const timer = onProgress
    ? setInterval(() => {
        const progress = connection.progress
        if (progress.percentage >= 0) {
          onProgress({ percent: progress.percentage, rows: Number(progress.rows_processed) })
        }
      }, progressIntervalMs)
    : undefined
  try {
    return await work()
  } catch (thrown) {
    if (signal?.aborted) {
      throw new SluiceFailure(sluiceError('CANCELLED'))
    }
    throw thrown
  } finally {
    clearInterval(timer)
    signal?.removeEventListener('abort', interrupt)
  }
}

const bigIntegerTypes = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT'])

/** JSON-safe rows: dates as ISO text, decimals as exact text, big integers as numbers when exact. */
function readRows(reader: DuckDBResultReader): Array<Record<string, unknown>> {
  const names = reader.columnNames()
  const bigIntegerColumns = reader
    .columnTypes()
    .map((type, index) => (bigIntegerTypes.has(String(type)) ? names[index] : undefined))
    .filter((name): name is string => name !== undefined)
  // Rows are built on null-prototype objects: a column named "__proto__" must be a value,
  // not the row's prototype.
  const rows = reader.getRowsJson().map((values) => {
    const row: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    names.forEach((name, index) => {
      row[name] = values[index]
    })
    return row
  })
  if (bigIntegerColumns.length > 0) {
    for (const row of rows) {
      for (const name of bigIntegerColumns) {
        const value = row[name]
        if (typeof value === 'string' && Number.isSafeInteger(Number(value))) {
          row[name] = Number(value)
        }
      }
    }
  }
  return rows
}
