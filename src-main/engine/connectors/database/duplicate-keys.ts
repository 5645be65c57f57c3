import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../../duckdb/query'
import { quoteIdentifier } from './identifiers'

/** A key that several input rows share. */
export interface DuplicateKey {
  /** Key column → value, JSON-safe. */
  key: Record<string, unknown>
  rows: number
}

/**
 * The first key that more than one input row shares, or null when every key is unique. Upsert
 * and mirror need one row per key: which of two rows would win is otherwise a guess. DuckDB
 * answers it over the staged input, before anything reaches the target.
 */
export async function firstDuplicateKey(
  duckdb: DuckDBConnection,
  inputRef: string,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<DuplicateKey | null> {
  const quoted = keys.map((key) => quoteIdentifier('duckdb', key)).join(', ')
  const [found] = await queryRows(
    duckdb,
    `SELECT ${quoted}, count(*) AS sluice_rows FROM ${inputRef}
     GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
    signal,
  )
  if (!found) {
    return null
  }
  const { sluice_rows: rows, ...key } = found
  return { key, rows: Number(rows) }
}
