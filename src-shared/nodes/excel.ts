import { z } from 'zod'
import { defineNodeKind } from './spec'

/** The types a column of a sheet can be given instead of the one inferred from its cells. */
export const excelColumnTypes = [
  'VARCHAR',
  'BIGINT',
  'DOUBLE',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP',
] as const
export type ExcelColumnType = (typeof excelColumnTypes)[number]

/** The name of the column that says which sheet a row came from when all sheets are read. */
export const excelSheetColumn = '_sheet'

export const excelSourceConfig = z.strictObject({
  path: z.string().min(1, 'choose a file'),
  /** A sheet by name; empty means the sheet at `sheetIndex`. */
  sheet: z.string().default(''),
  /** A sheet by its position among the tabs, from 1. */
  sheetIndex: z.int().min(1).default(1),
  /** Every sheet into one table, with a `_sheet` column. */
  allSheets: z.boolean().default(false),
  /** The first header row, from 1; 0 means detect it, skipping notes above the table. */
  headerRow: z.int().min(0).default(0),
  /** How many rows make up the header; their texts are joined into one name per column. */
  headerRows: z.int().min(1).max(10).default(1),
  /** A cell range such as `B3:F200` holding the table, header first; empty means the whole sheet. */
  range: z
    .string()
    .regex(/^(?:[A-Za-z]{1,3}[1-9]\d*:[A-Za-z]{1,3}[1-9]\d*)?$/, 'give a range such as B3:F200')
    .default(''),
  /** Fill a merged cell's value into every cell of the merge. */
  fillMerged: z.boolean().default(false),
  /** Per-column types overriding the ones inferred from the cells. */
  columns: z
    .array(z.strictObject({ name: z.string().min(1), type: z.enum(excelColumnTypes) }))
    .default([]),
})

export const excelSource = defineNodeKind({
  kind: 'source.excel',
  family: 'source',
  title: 'Excel workbook',
  help:
    'Reads a sheet of an .xlsx workbook (or all of them), finding the header row below any notes. ' +
    'Column types come from the cells; formulas give their saved results.',
  config: excelSourceConfig,
  defaults: { path: '' },
  inputs: () => [],
  outputs: () => [{ name: 'out', required: false, help: 'The rows read.' }],
})

/** Excel's row limit less the header row: the most data rows one sheet can hold. */
export const excelMaxDataRows = 1_048_575

export const excelSinkConfig = z.strictObject({
  path: z.string().min(1, 'choose where to write'),
  sheet: z
    .string()
    .min(1, 'give the sheet a name')
    .max(31, 'Excel sheet names have at most 31 characters')
    .regex(/^[^\\/?*[\]:]+$/, 'a sheet name cannot hold \\ / ? * [ ] or :')
    .default('Data'),
  /** Data rows per sheet before the rest continues on a numbered sheet; Excel's limit by default. */
  rowsPerSheet: z.int().min(1).max(excelMaxDataRows).default(excelMaxDataRows),
})

export const excelSink = defineNodeKind({
  kind: 'sink.excel',
  family: 'sink',
  title: 'Write Excel',
  help:
    'Writes an .xlsx file with a styled, frozen header row and filters, number and date formats ' +
    'from the column types. Text is never run as a formula. Rows past Excel’s limit continue on ' +
    'numbered sheets.',
  config: excelSinkConfig,
  defaults: { path: '' },
  inputs: () => [{ name: 'in', required: true, help: 'The rows to write.' }],
  outputs: () => [],
})
