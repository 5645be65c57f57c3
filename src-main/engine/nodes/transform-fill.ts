import type { z } from 'zod'
import type { fillConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type ColumnInfo, type NodeExecutor } from './executor'
import { numberRows, rowOrderColumn } from './input-order'

/**
 * Fills NULLs per column. Mean and mode are window aggregates over the whole input, so the fill
 * is one pass; "previous" carries the last non-null value forward in the chosen order.
 */
export const fillExecutor: NodeExecutor<z.output<typeof fillConfig>> = {
  role: 'transform',
  blocking: true,
  preservesRows: true,
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    // A trailing `-- comment` in the user's SQL must not swallow the rest of the query.
    const order = config.orderBy.trim() ? `${config.orderBy}\n` : rowOrderColumn
    const replaced = config.columns.map(({ name, strategy, value }) => {
      const { name: actual, type } = findColumn(input.columns, name)
      const column = quoteIdent(actual)
      const fill = {
        constant: `CAST((${value ?? 'NULL'}\n) AS ${type})`,
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

/**
 * The input column a configured name refers to. DuckDB matches names case-insensitively, so the
 * type lookup does too; the column keeps its own spelling. An unknown name is left for DuckDB to
 * report.
 */
function findColumn(columns: readonly ColumnInfo[], name: string): ColumnInfo {
  const exact = columns.find((column) => column.name === name)
  const loose = columns.find((column) => column.name.toLowerCase() === name.toLowerCase())
  return exact ?? loose ?? { name, type: 'VARCHAR' }
}
