import type { z } from 'zod'
import type { fillConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'
import { numberRows, rowOrderColumn } from './input-order'

/**
 * Fills NULLs per column. Mean and mode are window aggregates over the whole input, so the fill
 * is one pass; "previous" carries the last non-null value forward in the chosen order.
 */
export const fillExecutor: NodeExecutor<z.output<typeof fillConfig>> = {
  role: 'transform',
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    const typeOf = new Map(input.columns.map((column) => [column.name, column.type]))
    const order = config.orderBy.trim() || rowOrderColumn
    const replaced = config.columns.map(({ name, strategy, value }) => {
      const column = quoteIdent(name)
      const type = typeOf.get(name) ?? 'VARCHAR'
      const fill = {
        constant: `CAST((${value ?? 'NULL'}) AS ${type})`,
        previous: `last_value(${column} IGNORE NULLS) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`,
        mean: `CAST(avg(${column}) OVER () AS ${type})`,
        mode: `mode(${column}) OVER ()`,
      }[strategy]
      return `coalesce(${column}, ${fill}) AS ${column}`
    })
    return (
      `SELECT * EXCLUDE (${rowOrderColumn}) REPLACE (${replaced.join(', ')}) ` +
      `FROM (${numberRows(input.ref)}) ORDER BY ${rowOrderColumn}`
    )
  },
}
