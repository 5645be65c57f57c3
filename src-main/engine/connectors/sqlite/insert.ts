import { JSDuckDBValueConverter } from '@duckdb/node-api'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ColumnInfo } from '../../nodes/executor'
import type { WriteRequest } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { yieldToEvents } from './failures'
import type { SqliteDatabase } from './open'
import { bindableExpression } from './types'

/** Rows inserted between progress reports and turns of the event loop. */
const batchRows = 10_000

/**
 * Inserts every input row into `into` with one prepared statement. Rows stream out of DuckDB a
 * chunk at a time, converted there to values SQLite binds, so the input is never held in memory.
 * Runs inside the caller's transaction; a failing row throws `PUSH_FAILED` naming its number.
 */
export async function insertInput(
  request: WriteRequest,
  database: SqliteDatabase,
  into: string,
  columns: ColumnInfo[],
  tableName: string,
): Promise<number> {
  const names = columns.map((column) => quoteIdentifier('sqlite', column.name))
  const insert = database.prepare(
    `INSERT INTO ${into} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
  )
  const select = columns
    .map((column) => bindableExpression(quoteIdentifier('duckdb', column.name), column.type))
    .join(', ')
  const result = await request.duckdb.stream(`SELECT ${select} FROM ${request.input.ref}`)
  const total = request.input.rows
  let row = 0
  let reported = 0
  for (;;) {
    throwIfCancelled(request)
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) {
      break
    }
    for (const values of chunk.convertRows(JSDuckDBValueConverter)) {
      row += 1
      try {
        insert.run(values)
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown)
        throw new SluiceFailure(
          sluiceError(
            'PUSH_FAILED',
            { node: request.nodeId, table: tableName, reason: `input row ${row}: ${message}.` },
            { nodeId: request.nodeId, detail: message },
          ),
        )
      }
    }
    if (row - reported >= batchRows) {
      reported = row
      request.progress({
        rows: row,
        ...(total ? { percent: Math.min(100, (100 * row) / total) } : {}),
      })
      await yieldToEvents()
    }
  }
  request.progress({ rows: row })
  return row
}

/** Throws `CANCELLED` for the node once its run is cancelled. */
export function throwIfCancelled(request: { signal: AbortSignal; nodeId: string }): void {
  if (request.signal.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: request.nodeId }))
  }
}
