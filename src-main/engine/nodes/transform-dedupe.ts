import type { z } from 'zod'
import type { dedupeConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'
import { numberRows, rowOrderColumn } from './input-order'

/** Keeps the first (or last) row of each key, in input order unless an order column is given. */
export const dedupeExecutor: NodeExecutor<z.output<typeof dedupeConfig>> = {
  role: 'transform',
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    const keys = config.keys.length > 0 ? config.keys : input.columns.map((column) => column.name)
    const direction = config.keep === 'first' ? 'ASC' : 'DESC'
    // In parentheses so the direction applies to all of the user's order (a list such as
    // `day, seq` becomes one row value compared left to right), and ended by a line break so a
    // trailing `-- comment` cannot swallow the rest of the query.
    const order = config.orderBy.trim()
      ? `(${config.orderBy}\n) ${direction}, ${rowOrderColumn} ${direction}`
      : `${rowOrderColumn} ${direction}`
    const partition = keys.map(quoteIdent).join(', ')
    return (
      `SELECT * EXCLUDE (${rowOrderColumn}) FROM (${numberRows(input.ref)}) ` +
      `QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY ${order}) = 1 ` +
      `ORDER BY ${rowOrderColumn}`
    )
  },
}
