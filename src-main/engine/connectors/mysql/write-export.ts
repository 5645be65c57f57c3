import type { DuckDBConnection } from '@duckdb/node-api'
import { quoteIdent, quoteLiteral } from '../../duckdb/quote'
import { runStatement } from '../../duckdb/query'
import { isNestedDuckdbType } from './types'

/** An input column on its way out: its DuckDB type and whether it travels as hex. */
export interface ExportColumn {
  name: string
  type: string
  /** BLOBs travel as hex text and are decoded by the server (`UNHEX`). */
  hex: boolean
}

/**
 * The DuckDB expression that turns a value into the text MySQL reads back as the same value:
 * booleans as 0/1, TIMESTAMPTZ as UTC wall time (the session's zone; DuckDB would print its
 * own), nested values as JSON, BLOBs as hex.
 */
export function exportExpression(column: ExportColumn): string {
  const name = quoteIdent(column.name)
  const type = column.type.toUpperCase()
  if (column.hex) {
    return `hex(${name})`
  }
  if (type === 'BOOLEAN') {
    return `CAST(${name} AS TINYINT)`
  }
  if (type === 'TIMESTAMP WITH TIME ZONE' || type === 'TIMESTAMPTZ') {
    return `make_timestamp(epoch_us(${name}))`
  }
  if (type === 'TIMESTAMP_NS' || type === 'TIMESTAMP_MS' || type === 'TIMESTAMP_S') {
    return `CAST(${name} AS TIMESTAMP)`
  }
  if (isNestedDuckdbType(type)) {
    return `CAST(to_json(${name}) AS VARCHAR)`
  }
  return name
}

/** The export SELECT, with positional aliases so any column name is safe in the CSV step. */
export function exportSelect(relation: string, columns: ExportColumn[], asText = false): string {
  const expressions = columns.map((column, index) => {
    const expression = exportExpression(column)
    return `${asText ? `CAST(${expression} AS VARCHAR)` : expression} AS c${index}`
  })
  return `SELECT ${expressions.join(', ')} FROM ${relation}`
}

/**
 * Writes the rows as CSV that `LOAD DATA ... FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
 * ESCAPED BY ''` reads back exactly. A NULL is the unquoted word NULL; DuckDB quotes (doubling
 * quotes) every value that holds a comma, quote or line break or is the text `NULL` itself, so
 * tabs, backslashes and every other text stay text unquoted. There is no escape character, so
 * backslashes need no escaping. Quoting every value on top would only give the server more to
 * parse. Row order is the input's, so the server's "at row N" is the input's row N.
 */
export async function exportCsv(
  duckdb: DuckDBConnection,
  relation: string,
  columns: ExportColumn[],
  file: string,
  signal: AbortSignal,
): Promise<void> {
  const options = [
    'FORMAT CSV',
    'HEADER false',
    `DELIMITER ','`,
    `QUOTE '"'`,
    `ESCAPE '"'`,
    `NULLSTR 'NULL'`,
    `NEW_LINE '\\n'`,
  ]
  await runStatement(
    duckdb,
    `COPY (${exportSelect(relation, columns)}) TO ${quoteLiteral(file)} (${options.join(', ')})`,
    signal,
  )
}

/**
 * The LOAD DATA format clause matching `exportCsv`. The line end is a hex literal: `'\\n'` would
 * be two characters on a server running with NO_BACKSLASH_ESCAPES.
 */
export const loadDataFormat =
  `CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' ` +
  `LINES TERMINATED BY X'0A'`
