import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'
import type { ExcelColumnType } from '../../../../src-shared/nodes/excel'
import { quoteIdent } from '../../duckdb/quote'
import { kindCodes, type CellValue } from './cell-values'

const rowsPerFlush = 20_000

/**
 * A sheet's cells staged as they stream in, before their types are known: each column is three
 * raw columns, the cell's kind (`k<i>`), its number (`n<i>`: numbers, dates as epoch ms,
 * booleans as 0/1) and the text Excel shows (`t<i>`). Appending needs one call per value and no
 * decision; the column types are then inferred and cast in one set-based pass.
 */
export class RawSheetTable {
  private rows = 0
  /** Per column, how many cells of each kind it holds, counted as they are appended. */
  readonly kinds: KindCounts[]

  private constructor(
    readonly name: string,
    readonly width: number,
    private readonly appender: DuckDBAppender,
  ) {
    this.kinds = Array.from({ length: width }, () => ({ ...noKinds }))
  }

  /** Creates the raw table `name` (unquoted) for `width` columns. */
  static async create(
    connection: DuckDBConnection,
    name: string,
    width: number,
  ): Promise<RawSheetTable> {
    const columns = Array.from(
      { length: width },
      (_, index) => `k${index} UTINYINT, n${index} DOUBLE, t${index} VARCHAR`,
    )
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (_row BIGINT${width > 0 ? ', ' : ''}${columns.join(', ')})`,
    )
    return new RawSheetTable(name, width, await connection.createAppender(name))
  }

  /** Appends one row: the cells of the table's columns, in order, and the sheet row number. */
  append(rowNumber: number, cells: ReadonlyArray<CellValue | null>): void {
    const appender = this.appender
    appender.appendBigInt(BigInt(rowNumber))
    for (let index = 0; index < this.width; index += 1) {
      const cell = cells[index] ?? null
      if (cell === null) {
        appender.appendNull()
        appender.appendNull()
        appender.appendNull()
        continue
      }
      appender.appendUTinyInt(kindCodes[cell.kind])
      countKind(this.kinds[index] as KindCounts, cell)
      if (cell.kind === 'text') {
        appender.appendNull()
      } else {
        appender.appendDouble(cell.number)
      }
      appender.appendVarchar(cell.text)
    }
    appender.endRow()
    this.rows += 1
    if (this.rows % rowsPerFlush === 0) {
      appender.flushSync()
    }
  }

  /** Flushes and closes the appender; the table keeps the rows. */
  close(): number {
    this.appender.closeSync()
    return this.rows
  }
}

/** How many cells of a column hold each kind of value. */
export interface KindCounts {
  numbers: number
  /** Numbers that are not whole, or too large for a BIGINT to hold exactly. */
  fractional: number
  dates: number
  /** Dates with a time of day. */
  timed: number
  booleans: number
  texts: number
}

const noKinds: KindCounts = {
  numbers: 0,
  fractional: 0,
  dates: 0,
  timed: 0,
  booleans: 0,
  texts: 0,
}
const millisecondsPerDay = 86_400_000

function countKind(counts: KindCounts, cell: CellValue): void {
  switch (cell.kind) {
    case 'number':
      counts.numbers += 1
      if (!Number.isSafeInteger(cell.number)) {
        counts.fractional += 1
      }
      return
    case 'date':
      counts.dates += 1
      if (cell.number % millisecondsPerDay !== 0) {
        counts.timed += 1
      }
      return
    case 'boolean':
      counts.booleans += 1
      return
    case 'text':
      counts.texts += 1
  }
}

/** A staged column's name, its type and the SQL turning its raw columns into that type. */
export interface TypedColumn {
  name: string
  type: ExcelColumnType
  expression: string
  /** For a type the user chose: SQL true for a value that did not convert. */
  lost?: string
}

/**
 * Infers each column's type from the kinds of its cells: only numbers → BIGINT when all whole,
 * else DOUBLE; only dates → DATE when all at midnight, else TIMESTAMP; only booleans → BOOLEAN;
 * anything else, mixed kinds included, → VARCHAR holding the text Excel shows. A type in
 * `overrides` wins, converting each value from its own kind.
 */
export function typedColumns(
  names: string[],
  kinds: readonly KindCounts[],
  overrides: ReadonlyMap<string, ExcelColumnType>,
): TypedColumn[] {
  return names.map((name, index) => {
    const override = overrides.get(name)
    if (override) {
      return overriddenColumn(name, index, override)
    }
    const type = inferredType(kinds[index] ?? noKinds)
    return { name, type, expression: naturalExpression(index, type) }
  })
}

function inferredType(counts: KindCounts): ExcelColumnType {
  const { numbers, fractional, dates, timed, booleans, texts } = counts
  const kindsPresent = [numbers, dates, booleans, texts].filter((count) => count > 0).length
  if (kindsPresent !== 1 || texts > 0) {
    return 'VARCHAR'
  }
  if (numbers > 0) {
    return fractional > 0 ? 'DOUBLE' : 'BIGINT'
  }
  if (dates > 0) {
    return timed > 0 ? 'TIMESTAMP' : 'DATE'
  }
  return 'BOOLEAN'
}

function naturalExpression(index: number, type: ExcelColumnType): string {
  const n = `n${index}`
  switch (type) {
    case 'BIGINT':
      return `CAST(${n} AS BIGINT)`
    case 'DOUBLE':
      return n
    case 'TIMESTAMP':
      return `epoch_ms(CAST(${n} AS BIGINT))`
    case 'DATE':
      return `CAST(epoch_ms(CAST(${n} AS BIGINT)) AS DATE)`
    case 'BOOLEAN':
      return `${n} <> 0`
    case 'VARCHAR':
      return `t${index}`
  }
}

function overriddenColumn(name: string, index: number, type: ExcelColumnType): TypedColumn {
  if (type === 'VARCHAR') {
    return { name, type, expression: `t${index}` }
  }
  const n = `n${index}`
  const expression =
    `CASE k${index} WHEN 1 THEN TRY_CAST(${n} AS ${type}) ` +
    `WHEN 2 THEN TRY_CAST(epoch_ms(CAST(${n} AS BIGINT)) AS ${type}) ` +
    `WHEN 3 THEN TRY_CAST(${n} <> 0 AS ${type}) ELSE TRY_CAST(trim(t${index}) AS ${type}) END`
  return { name, type, expression, lost: `k${index} IS NOT NULL AND (${expression}) IS NULL` }
}
