import type { DuckDBConnection } from '@duckdb/node-api'
import { JSDuckDBValueConverter } from '@duckdb/node-api'
import ExcelJS from 'exceljs'
import type { ColumnInfo } from '../../nodes/executor'
import { quoteIdent } from '../../duckdb/quote'
import { queryRows } from '../../duckdb/query'

/** Excel's last row is 1,048,576; one row is the header. */
export const maxDataRowsPerSheet = 1_048_575

/** Rows sampled to fit column widths, and the narrowest and widest width given. */
const widthSampleRows = 1000
const minWidth = 8
const maxWidth = 60

/** How one column is read out of DuckDB and shown in Excel. */
interface SheetColumn {
  name: string
  /** SQL giving a value exceljs writes as the right kind of cell. */
  select: string
  kind: 'number' | 'date' | 'boolean' | 'text'
  numFmt?: string
}

/** What to write: a relation, its columns, where, and how many data rows a sheet takes. */
export interface WorkbookWrite {
  connection: DuckDBConnection
  relation: string
  columns: ColumnInfo[]
  path: string
  sheetName: string
  rowsPerSheet: number
  signal: AbortSignal
  progress: (rows: number) => void
}

/**
 * Streams a relation into an .xlsx file with exceljs's `WorkbookWriter`: rows come out of DuckDB
 * a chunk at a time and each row is committed as it is added, so memory stays bounded. Text is
 * always written as a string cell, never a formula, so `=1+1` stays text (no formula injection).
 * Returns the rows written and the sheets used.
 */
export async function writeWorkbook(
  write: WorkbookWrite,
): Promise<{ rows: number; sheets: string[] }> {
  const columns = write.columns.map(sheetColumn)
  const widths = await sampleWidths(write, columns)
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: write.path,
    useStyles: true,
    useSharedStrings: false,
  })
  const sheets: string[] = []
  let sheet: ExcelJS.Worksheet | null = null
  let rowsInSheet = 0
  const startSheet = () => {
    const name = sheets.length === 0 ? write.sheetName : `${write.sheetName} (${sheets.length + 1})`
    sheets.push(name)
    const added = workbook.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    added.columns = columns.map((column, index) => ({
      header: column.name,
      key: `c${index}`,
      width: widths[index] ?? minWidth,
      ...(column.numFmt ? { style: { numFmt: column.numFmt } } : {}),
    }))
    added.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
    const header = added.getRow(1)
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } }
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF305496' } }
    header.commit()
    rowsInSheet = 0
    return added
  }
  sheet = startSheet()
  const select = columns.map((column) => column.select).join(', ')
  const result = await write.connection.stream(`SELECT ${select} FROM ${write.relation}`)
  let rows = 0
  for (;;) {
    write.signal.throwIfAborted()
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) {
      break
    }
    for (const values of chunk.convertRows(JSDuckDBValueConverter)) {
      if (rowsInSheet === write.rowsPerSheet) {
        sheet.commit()
        sheet = startSheet()
      }
      sheet.addRow(values.map((value, index) => cellValue(value, columns[index]?.kind))).commit()
      rowsInSheet += 1
      rows += 1
    }
    write.progress(rows)
  }
  sheet.commit()
  await workbook.commit()
  return { rows, sheets }
}

function sheetColumn(column: ColumnInfo): SheetColumn {
  const ref = quoteIdent(column.name)
  const type = column.type.toUpperCase()
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(
      type,
    )
  ) {
    return { name: column.name, select: `CAST(${ref} AS DOUBLE)`, kind: 'number', numFmt: '0' }
  }
  const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(type)
  if (decimal) {
    const scale = Number(decimal[1])
    const numFmt = scale > 0 ? `0.${'0'.repeat(scale)}` : '0'
    return { name: column.name, select: `CAST(${ref} AS DOUBLE)`, kind: 'number', numFmt }
  }
  if (type === 'DOUBLE' || type === 'FLOAT') {
    return { name: column.name, select: `CAST(${ref} AS DOUBLE)`, kind: 'number' }
  }
  if (type === 'DATE') {
    return {
      name: column.name,
      select: `CAST(epoch_ms(CAST(${ref} AS TIMESTAMP)) AS DOUBLE)`,
      kind: 'date',
      numFmt: 'yyyy-mm-dd',
    }
  }
  if (/^TIMESTAMP/.test(type)) {
    return {
      name: column.name,
      select: `CAST(epoch_ms(CAST(${ref} AS TIMESTAMP)) AS DOUBLE)`,
      kind: 'date',
      numFmt: 'yyyy-mm-dd hh:mm:ss',
    }
  }
  if (type === 'BOOLEAN') {
    return { name: column.name, select: ref, kind: 'boolean' }
  }
  return { name: column.name, select: `CAST(${ref} AS VARCHAR)`, kind: 'text' }
}

function cellValue(value: unknown, kind: SheetColumn['kind'] | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined) {
    return null
  }
  switch (kind) {
    case 'date':
      // Epoch milliseconds of the wall-clock time; exceljs writes a Date by its UTC fields.
      return new Date(Number(value))
    case 'number':
      return Number(value)
    case 'boolean':
      return Boolean(value)
    default:
      return String(value)
  }
}

/** Column widths fitted to the header and the longest text among the first rows. */
async function sampleWidths(write: WorkbookWrite, columns: SheetColumn[]): Promise<number[]> {
  if (columns.length === 0) {
    return []
  }
  const lengths = write.columns.map(
    (column, index) => `max(length(CAST(${quoteIdent(column.name)} AS VARCHAR))) AS w${index}`,
  )
  const [row] = await queryRows(
    write.connection,
    `SELECT ${lengths.join(', ')} FROM (SELECT * FROM ${write.relation} LIMIT ${widthSampleRows})`,
  )
  return columns.map((column, index) => {
    const longest = Math.max(column.name.length, Number(row?.[`w${index}`] ?? 0))
    return Math.min(maxWidth, Math.max(minWidth, longest + 2))
  })
}
