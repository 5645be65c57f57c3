import type { DuckDBAppender } from '@duckdb/node-api'
import { quoteIdent } from '../../duckdb/quote'
import { duckdbTypeFor, wireKindFor, type MysqlType } from './types'

/**
 * How one source column is staged. Rows arrive as text, numbers or bytes and are appended as
 * they come into a raw table with only three column types, so the per-value work in JavaScript
 * is one call; DuckDB then casts the raw table into the typed target in one set-based pass,
 * where zero dates and out-of-range times become NULL and are counted.
 */
export interface StagedColumn {
  name: string
  /** The DuckDB type of the target column. */
  type: string
  /** The raw table's column type: DOUBLE, VARCHAR or BLOB. */
  rawType: 'DOUBLE' | 'VARCHAR' | 'BLOB'
  /** Appends one non-null value to the raw table. */
  append: (appender: DuckDBAppender, value: unknown) => void
}

const appendNumber = (appender: DuckDBAppender, value: unknown): void =>
  appender.appendDouble(value as number)
const appendText = (appender: DuckDBAppender, value: unknown): void =>
  appender.appendVarchar(value as string)
const appendBytes = (appender: DuckDBAppender, value: unknown): void =>
  appender.appendBlob(value as Uint8Array)
// BIT(n) arrives as big-endian bytes; up to 64 bits, so a BigInt holds it exactly.
const appendBits = (appender: DuckDBAppender, value: unknown): void =>
  appender.appendVarchar(BigInt(`0x${(value as Buffer).toString('hex') || '0'}`).toString())

/** Plans a column's staging from its server type. */
export function stagedColumn(name: string, type: MysqlType): StagedColumn {
  const duckdbType = duckdbTypeFor(type)
  switch (wireKindFor(type)) {
    case 'number':
      return { name, type: duckdbType, rawType: 'DOUBLE', append: appendNumber }
    case 'bytes':
      return { name, type: duckdbType, rawType: 'BLOB', append: appendBytes }
    case 'bits':
      return { name, type: duckdbType, rawType: 'VARCHAR', append: appendBits }
    case 'text':
      return { name, type: duckdbType, rawType: 'VARCHAR', append: appendText }
  }
}

/** Raw column names are positional, so any source name is safe in the raw table. */
export function rawName(index: number): string {
  return `c${index}`
}

/** `CREATE TABLE` for the raw table. */
export function rawTableDdl(rawTable: string, columns: StagedColumn[]): string {
  const definitions = columns.map((column, index) => `${rawName(index)} ${column.rawType}`)
  return `CREATE TABLE ${rawTable} (${definitions.join(', ')})`
}

/** `CREATE TABLE` for the typed target. */
export function targetTableDdl(target: string, columns: StagedColumn[]): string {
  const definitions = columns.map((column) => `${quoteIdent(column.name)} ${column.type}`)
  return `CREATE TABLE ${target} (${definitions.join(', ')})`
}

/** Values MySQL can hold that DuckDB's type cannot; each becomes NULL and is counted. */
interface LossyCast {
  /** The cast, NULL where the value does not fit. */
  expression: string
  /** The warning, with `{count}` for how many values it hit. */
  warning: string
}

function lossyCast(column: StagedColumn, raw: string): LossyCast | null {
  const label = `column "${column.name}"`
  switch (column.type) {
    case 'DATE':
    case 'TIMESTAMP':
      return {
        expression: `TRY_CAST(${raw} AS ${column.type})`,
        warning: `${label}: {count} zero or invalid dates (such as 0000-00-00) were read as NULL`,
      }
    case 'TIMESTAMPTZ':
      // The session runs in UTC, so the server's text is UTC; say so, or DuckDB would read it
      // in its own time zone.
      return {
        expression: `TRY_CAST(${raw} || '+00' AS TIMESTAMPTZ)`,
        warning: `${label}: {count} zero or invalid timestamps (such as 0000-00-00 00:00:00) were read as NULL`,
      }
    case 'TIME':
      return {
        expression: `TRY_CAST(${raw} AS TIME)`,
        warning: `${label}: {count} times outside 00:00:00–24:00:00 (MySQL TIME is also a duration) were read as NULL; read CAST(${column.name} AS CHAR) in a query to keep them as text`,
      }
    default:
      return null
  }
}

/** The SELECT that casts the raw table into the target's types. */
export function castSelect(rawTable: string, columns: StagedColumn[]): string {
  const expressions = columns.map((column, index) => {
    const raw = rawName(index)
    const lossy = lossyCast(column, raw)
    if (lossy) {
      return lossy.expression
    }
    return column.rawType === 'VARCHAR' && column.type === 'VARCHAR'
      ? raw
      : `CAST(${raw} AS ${column.type})`
  })
  return `SELECT ${expressions.join(', ')} FROM ${rawTable}`
}

/**
 * One query counting the values each lossy cast turned into NULL, with the warning to give for
 * each; null when no column can lose values.
 */
export function lossCountQuery(
  rawTable: string,
  columns: StagedColumn[],
): { sql: string; warnings: string[] } | null {
  const counts: string[] = []
  const warnings: string[] = []
  columns.forEach((column, index) => {
    const raw = rawName(index)
    const lossy = lossyCast(column, raw)
    if (lossy) {
      counts.push(`count(*) FILTER (WHERE ${raw} IS NOT NULL AND ${lossy.expression} IS NULL)`)
      warnings.push(lossy.warning)
    }
  })
  return counts.length === 0
    ? null
    : { sql: `SELECT ${counts.join(', ')} FROM ${rawTable}`, warnings }
}
