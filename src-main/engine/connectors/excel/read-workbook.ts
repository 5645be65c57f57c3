import type { DuckDBConnection } from '@duckdb/node-api'
import ExcelJS from 'exceljs'
import { cellAddress, type CellRange } from './cell-address'
import { readCell, type CellProblems } from './cell-values'
import type { SheetRow } from './header'
import { MergeFiller, readMergedRanges } from './merges'
import { SheetStager, type StagedSheet, type TableLayout } from './sheet-stager'
import type { ZipEntry } from './zip-directory'

/** Which sheets to read and how their tables are laid out. */
export interface WorkbookReadOptions {
  /** A sheet by name; empty means by `sheetIndex`. */
  sheet: string
  sheetIndex: number
  allSheets: boolean
  fillMerged: boolean
  layout: TableLayout
}

/** What reading a workbook gave: each sheet read (null when it was empty) and problem cells. */
export interface WorkbookRead {
  sheets: Array<{ name: string; staged: StagedSheet | null }>
  /** Every sheet in tab order, to name them when the one asked for is missing. */
  sheetNames: string[]
  problems: CellProblems
}

/** The parts of exceljs's streaming workbook reader its typings leave out. */
interface ReaderInternals {
  model?: { sheets?: Array<{ name: string; rId: string }> }
  workbookRels?: Array<{ Id: string; Target: string }>
  properties?: { model?: { date1904?: boolean } }
}

/** The parts of a streamed row used here (exceljs types rows of both readers alike). */
interface StreamedRow {
  number: number
  eachCell(callback: (cell: ExcelJS.Cell, column: number) => void): void
}

/**
 * Streams the chosen sheets of a workbook through exceljs's `WorkbookReader` into raw staging
 * tables named `<rawPrefix><n>`, one row at a time into DuckDB's appender; memory holds only the
 * shared strings, the styles and the first rows of the sheet being read.
 */
export async function readWorkbook(
  connection: DuckDBConnection,
  file: string,
  entries: ZipEntry[],
  options: WorkbookReadOptions,
  rawPrefix: string,
  signal: AbortSignal,
): Promise<WorkbookRead> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  const internals = reader as unknown as ReaderInternals
  const read: WorkbookRead = {
    sheets: [],
    sheetNames: [],
    problems: { formulasWithoutResult: [], errorValues: [] },
  }
  for await (const worksheet of reader) {
    signal.throwIfAborted()
    const sheets = internals.model?.sheets ?? []
    read.sheetNames = sheets.map((sheet) => sheet.name)
    const name = (worksheet as unknown as { name: string }).name
    const position = sheets.findIndex((sheet) => sheet.name === name) + 1
    const wanted = options.allSheets
      ? true
      : options.sheet !== ''
        ? options.sheet === name
        : options.sheetIndex === position
    if (!wanted) {
      continue
    }
    const merges = options.fillMerged ? await mergedRangesOf(file, entries, internals, name) : []
    const stager = new SheetStager(connection, `${rawPrefix}${read.sheets.length}`, options.layout)
    await streamSheetRows(
      worksheet as AsyncIterable<StreamedRow>,
      name,
      internals.properties?.model?.date1904 === true,
      merges,
      stager,
      read.problems,
      signal,
    )
    read.sheets.push({ name, staged: await stager.finish() })
    if (!options.allSheets) {
      break
    }
  }
  return read
}

async function streamSheetRows(
  rows: AsyncIterable<StreamedRow>,
  sheet: string,
  date1904: boolean,
  merges: CellRange[],
  stager: SheetStager,
  problems: CellProblems,
  signal: AbortSignal,
): Promise<void> {
  const filler = merges.length > 0 ? new MergeFiller(merges) : null
  let previous = 0
  let count = 0
  for await (const row of rows) {
    for (let gap = previous + 1; gap < row.number; gap += 1) {
      const cells: SheetRow = []
      filler?.fill(gap, cells)
      await stager.addRow(gap, cells)
    }
    previous = row.number
    const cells: SheetRow = []
    row.eachCell((cell, column) => {
      const address = () => cellAddress(row.number, column, sheet)
      cells[column - 1] = readCell(cell, address, date1904, problems)
    })
    // eachCell leaves holes for empty cells, which the stager and the appender take as nulls.
    filler?.fill(row.number, cells)
    const pending = stager.addRow(row.number, cells)
    if (pending) {
      await pending
    }
    count += 1
    if (count % 10_000 === 0) {
      signal.throwIfAborted()
    }
  }
}

async function mergedRangesOf(
  file: string,
  entries: ZipEntry[],
  internals: ReaderInternals,
  sheet: string,
): Promise<CellRange[]> {
  const rId = internals.model?.sheets?.find((candidate) => candidate.name === sheet)?.rId
  const target = internals.workbookRels?.find((rel) => rel.Id === rId)?.Target
  if (target === undefined) {
    return []
  }
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`
  const entry = entries.find((candidate) => candidate.name === path)
  return entry ? readMergedRanges(file, entry) : []
}
