import type { z } from 'zod'
import type { csvSinkConfig } from '../../../src-shared/nodes/sinks'
import { quoteIdent, quoteLiteral } from '../duckdb/quote'
import { onlyInput, type ColumnInfo, type NodeExecutor } from './executor'
import { copyToFile } from './sink-file'

/**
 * Text cells a spreadsheet would run as a formula (OWASP's CSV injection list): they get a
 * leading apostrophe, which Excel and LibreOffice show as text.
 */
const formulaStart = "^[=+\\-@\\t\\r]"

/** A SELECT that escapes formula-like text cells; other types are written as they are. */
export function escapeFormulas(ref: string, columns: readonly ColumnInfo[]): string {
  const textColumns = columns.filter((column) => column.type === 'VARCHAR')
  if (textColumns.length === 0) {
    return `SELECT * FROM ${ref}`
  }
  const replaced = textColumns.map(({ name }) => {
    const column = quoteIdent(name)
    return `CASE WHEN regexp_matches(${column}, ${quoteLiteral(formulaStart)}) THEN '''' || ${column} ELSE ${column} END AS ${column}`
  })
  return `SELECT * REPLACE (${replaced.join(', ')}) FROM ${ref}`
}

/** Writes UTF-8 CSV with DuckDB's writer. */
export const csvSinkExecutor: NodeExecutor<z.output<typeof csvSinkConfig>> = {
  role: 'sink',
  run: async (context) => {
    const { config } = context
    const input = onlyInput(context.inputs)
    const select = config.escapeFormulas ? escapeFormulas(input.ref, input.columns) : `SELECT * FROM ${input.ref}`
    const delimiter = config.delimiter === '\\t' ? '\t' : config.delimiter
    return copyToFile(context, config.path, select, `FORMAT csv, HEADER ${config.header}, DELIMITER ${quoteLiteral(delimiter)}`)
  },
}
