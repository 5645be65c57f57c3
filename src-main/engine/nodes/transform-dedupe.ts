import type { z } from 'zod'
import type { dedupeConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'
import { numberRows, rowOrderColumn } from './input-order'

/**
 * Keeps the first (or last) row of each key, in input order unless an order is given.
 *
 * The winning row number of each key is found first and the rows kept by a semi-join, rather
 * than by a partitioned window over whole rows: DuckDB's hash aggregate and join spill to disk,
 * while that window ran out of memory on 10M rows under a 1 GiB limit.
 */
export const dedupeExecutor: NodeExecutor<z.output<typeof dedupeConfig>> = {
  role: 'transform',
  blocking: true,
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    const keys = config.keys.length > 0 ? config.keys : input.columns.map((column) => column.name)
    const groups = keys.map(quoteIdent).join(', ')
    const direction = config.keep === 'first' ? 'ASC' : 'DESC'
    // The user's order (a list such as `day, seq` becomes one row value compared left to right,
    // ties broken by input order), ended by a line break so a trailing `-- comment` cannot
    // swallow the rest of the query. The window sees only the keys, the order and the row
    // number, so it stays small; without an order a plain grouped min/max does.
    const winners = config.orderBy.trim()
      ? `SELECT ${rowOrderColumn} FROM numbered QUALIFY row_number() OVER (PARTITION BY ${groups} ` +
        `ORDER BY (${config.orderBy}\n) ${direction} NULLS LAST, ${rowOrderColumn} ${direction}) = 1`
      : `SELECT ${config.keep === 'first' ? 'min' : 'max'}(${rowOrderColumn}) FROM numbered GROUP BY ${groups}`
    return (
      `WITH numbered AS (${numberRows(input.ref)}) ` +
      `SELECT * EXCLUDE (${rowOrderColumn}) FROM numbered ` +
      `WHERE ${rowOrderColumn} IN (${winners}) ` +
      `ORDER BY ${rowOrderColumn}`
    )
  },
}
