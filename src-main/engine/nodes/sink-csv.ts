import { delimiterCharacter } from '../connectors/files/delimiter'
import type { z } from 'zod'
import type { csvSinkConfig } from '../../../src-shared/nodes/sinks'
import { quoteIdent, quoteLiteral } from '../duckdb/quote'
import { onlyInput, type ColumnInfo, type NodeExecutor } from './executor'
import { compressionFor, copyToFile } from './sink-file'

/**
 * Text a spreadsheet would run as a formula (OWASP's CSV injection list) gets a leading
 * apostrophe, which Excel and LibreOffice show as text. Text that is just a number (`-7`,
 * `+1.5e3`, common when a file is read as all text) cannot run anything and is left as it is, so
 * negative amounts survive a round trip. The same patterns serve DuckDB (cells) and JavaScript
 * (header names).
 */
const formulaStart = '^[=+\\-@\\t\\r]'
const plainNumber = '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?'

function looksLikeFormula(text: string): boolean {
  return new RegExp(formulaStart).test(text) && !new RegExp(`^(${plainNumber})$`).test(text)
}

/**
 * A SELECT that escapes formula-like text cells, and header names, which come from the input
 * file and are as much in the attacker's hands as the cells. Other types are written as they are.
 */
export function escapeFormulas(ref: string, columns: readonly ColumnInfo[]): string {
  const projection = columns.map(({ name, type }) => {
    const column = quoteIdent(name)
    const header = quoteIdent(looksLikeFormula(name) ? `'${name}` : name)
    if (type !== 'VARCHAR') {
      return `${column} AS ${header}`
    }
    const risky = `regexp_matches(${column}, ${quoteLiteral(formulaStart)}) AND NOT regexp_full_match(${column}, ${quoteLiteral(plainNumber)})`
    return `CASE WHEN ${risky} THEN '''' || ${column} ELSE ${column} END AS ${header}`
  })
  return `SELECT ${projection.join(', ')} FROM ${ref}`
}

/** Writes UTF-8 CSV with DuckDB's writer, compressed when the file name ends in .gz or .zst. */
export const csvSinkExecutor: NodeExecutor<z.output<typeof csvSinkConfig>> = {
  role: 'sink',
  run: async (context) => {
    const { config } = context
    const input = onlyInput(context.inputs)
    // The schema allows one ASCII character or `\\t`; DuckDB's writer takes nothing else.
    const delimiter = delimiterCharacter(config.delimiter)
    const select = config.escapeFormulas
      ? escapeFormulas(input.ref, input.columns)
      : `SELECT * FROM ${input.ref}`
    const options = [
      'FORMAT csv',
      `HEADER ${config.header}`,
      `DELIMITER ${quoteLiteral(delimiter)}`,
      `COMPRESSION ${compressionFor(config.path)}`,
    ]
    return copyToFile(context, config.path, select, options.join(', '))
  },
}
