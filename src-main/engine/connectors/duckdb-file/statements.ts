import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'

/** How often a running statement's progress is read. */
const progressIntervalMs = 250

/**
 * Runs one statement with bound values, interrupting it when `signal` aborts (it then fails
 * with `CANCELLED`). Returns the rows as JSON values: a DML statement's one row is its count.
 */
export async function rowsOf(
  duckdb: DuckDBConnection,
  sql: string,
  values: DuckDBValue[] = [],
  activity?: {
    signal: AbortSignal
    nodeId: string
    progress?: (update: { rows?: number; percent?: number }) => void
  },
): Promise<Array<Record<string, unknown>>> {
  const signal = activity?.signal
  const cancelled = () =>
    new SluiceFailure(sluiceError('CANCELLED', {}, activity ? { nodeId: activity.nodeId } : {}))
  if (signal?.aborted) {
    throw cancelled()
  }
  const interrupt = () => duckdb.interrupt()
  signal?.addEventListener('abort', interrupt, { once: true })
  // DuckDB's own progress, polled while a long statement runs (the staging connection has the
  // progress bar enabled); statements that finish sooner never report.
  const report = activity?.progress
  const timer = report
    ? setInterval(() => {
        const progress = duckdb.progress
        if (progress.percentage >= 0) {
          report({ percent: progress.percentage })
        }
      }, progressIntervalMs)
    : undefined
  try {
    const reader = await duckdb.runAndReadAll(sql, values)
    const names = reader.columnNames()
    return reader.getRowsJson().map((row) => {
      const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>
      names.forEach((name, index) => {
        record[name] = row[index]
      })
      return record
    })
  } catch (thrown) {
    if (signal?.aborted) {
      throw cancelled()
    }
    throw thrown
  } finally {
    clearInterval(timer)
    signal?.removeEventListener('abort', interrupt)
  }
}

/** The number of rows a DML statement changed. */
export async function changedRows(
  duckdb: DuckDBConnection,
  sql: string,
  activity: Parameters<typeof rowsOf>[3],
): Promise<number> {
  const [row] = await rowsOf(duckdb, sql, [], activity)
  return Number(row ? (Object.values(row)[0] ?? 0) : 0)
}

/** The connection's current catalog and schema, quoted, to go back to after a `USE`. */
export async function currentPlace(duckdb: DuckDBConnection): Promise<string> {
  const [row] = await rowsOf(duckdb, 'SELECT current_database() AS d, current_schema() AS s')
  const quote = (name: unknown) => `"${String(name).replaceAll('"', '""')}"`
  return `${quote(row?.d)}.${quote(row?.s)}`
}
