import type { DuckDBConnection } from '@duckdb/node-api'
import type { CellRange } from './cell-address'
import type { CellValue } from './cell-values'
import { detectHeaderRow, headerNames, type SheetRow } from './header'
import { RawSheetTable } from './raw-table'

/** Where a sheet's table is: its header row (0 = detect), header depth and an optional range. */
export interface TableLayout {
  headerRow: number
  headerRows: number
  range: CellRange | null
}

/** A sheet staged into a raw table, with one name per column. */
export interface StagedSheet {
  raw: RawSheetTable
  names: string[]
  rows: number
  /** Non-empty cells right of the table's columns, which were left out. */
  cellsOutside: number
}

/** Rows looked at before the header and the table's columns are decided. */
const lookaheadRows = 100

interface BufferedRow {
  number: number
  cells: SheetRow
}

/**
 * Turns a sheet's rows, arriving in order, into a raw staging table. The first rows are held
 * until the header is found and the table's columns are known (from the header and the rows
 * under it, so notes above do not widen it); after that each row is appended as it comes. Empty
 * rows are held back and written only when a later row has values, so trailing ones vanish.
 */
export class SheetStager {
  private readonly buffered: BufferedRow[] = []
  private raw: RawSheetTable | null = null
  private names: string[] = []
  private left = 0
  private width = 0
  private firstDataRow = 0
  private pendingEmptyRows = 0
  private cellsOutside = 0

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly rawTableName: string,
    private readonly layout: TableLayout,
  ) {}

  /**
   * Takes the next row (1-based number, cells by column from A). Returns a promise only while the
   * layout is being decided; once rows go straight to the appender there is nothing to await,
   * which keeps a microtask per row out of the read loop.
   */
  addRow(number: number, cells: SheetRow): Promise<void> | undefined {
    const { range } = this.layout
    if (range && (number < range.top || number > range.bottom)) {
      return undefined
    }
    const inRange = range ? clipToRange(cells, range) : cells
    if (this.raw === null) {
      this.buffered.push({ number, cells: inRange })
      return this.buffered.length >= lookaheadRows ? this.decideLayout() : undefined
    }
    this.appendDataRow(number, inRange)
    return undefined
  }

  /** Ends the sheet; null when it holds no values at all. */
  async finish(): Promise<StagedSheet | null> {
    if (this.raw === null) {
      if (!this.buffered.some((row) => row.cells.some((cell) => cell !== null))) {
        return null
      }
      await this.decideLayout()
    }
    const raw = this.raw as RawSheetTable
    return { raw, names: this.names, rows: raw.close(), cellsOutside: this.cellsOutside }
  }

  private async decideLayout(): Promise<void> {
    const rows = this.buffered.filter((row) => row.cells.some((cell) => cell !== null))
    const headerNumber = this.headerRowNumber(rows)
    const lastHeaderNumber = headerNumber + this.layout.headerRows - 1
    const headerRows = Array.from(
      { length: this.layout.headerRows },
      (_, offset) => rows.find((row) => row.number === headerNumber + offset)?.cells ?? [],
    )
    const tableRows = rows.filter((row) => row.number >= headerNumber).map((row) => row.cells)
    const columns = tableRows.flatMap((cells) =>
      cells.flatMap((cell, index) => (cell === null ? [] : [index])),
    )
    this.left = columns.length > 0 ? Math.min(...columns) : 0
    const right = columns.length > 0 ? Math.max(...columns) : -1
    this.width = right - this.left + 1
    this.names = headerNames(headerRows, this.left, this.width)
    this.firstDataRow = lastHeaderNumber + 1
    this.raw = await RawSheetTable.create(this.connection, this.rawTableName, this.width)
    for (const row of this.buffered) {
      this.appendDataRow(row.number, row.cells)
    }
    this.buffered.length = 0
  }

  private headerRowNumber(rows: BufferedRow[]): number {
    if (this.layout.range) {
      return this.layout.range.top
    }
    if (this.layout.headerRow > 0) {
      return this.layout.headerRow
    }
    return rows[detectHeaderRow(rows.map((row) => row.cells))]?.number ?? 1
  }

  private appendDataRow(number: number, cells: SheetRow): void {
    if (number < this.firstDataRow) {
      return
    }
    const end = this.left + this.width
    const tableCells: Array<CellValue | null> =
      this.left === 0 && cells.length <= end ? cells : cells.slice(this.left, end)
    if (tableCells !== cells) {
      this.cellsOutside += cells.filter(
        (cell, index) => cell != null && (index < this.left || index >= end),
      ).length
    }
    if (!tableCells.some((cell) => cell != null)) {
      this.pendingEmptyRows += 1
      return
    }
    const raw = this.raw as RawSheetTable
    for (; this.pendingEmptyRows > 0; this.pendingEmptyRows -= 1) {
      raw.append(number - this.pendingEmptyRows, [])
    }
    raw.append(number, tableCells)
  }
}

function clipToRange(cells: SheetRow, range: CellRange): SheetRow {
  return cells.map((cell, index) =>
    index + 1 < range.left || index + 1 > range.right ? null : cell,
  )
}
