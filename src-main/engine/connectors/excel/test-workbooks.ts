import { readFileSync, writeFileSync } from 'node:fs'
import ExcelJS from 'exceljs'

/**
 * Workbooks built by the Excel tests with exceljs's (non-streaming) writer, each holding one of
 * the things real workbooks do to a reader: 1904 dates, merges, formulas, notes above the table.
 */

async function save(workbook: ExcelJS.Workbook, path: string): Promise<string> {
  await workbook.xlsx.writeFile(path)
  return path
}

/** Dates in the 1904 date system (old Mac Excel), a date-only and a date-time column. */
export async function dates1904Workbook(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  workbook.properties.date1904 = true
  const sheet = workbook.addWorksheet('Dates')
  sheet.addRow(['Day', 'At'])
  sheet.addRow([new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 1, 29, 8, 30))])
  sheet.addRow([new Date(Date.UTC(1999, 11, 31)), new Date(Date.UTC(2000, 0, 1, 23, 59, 59))])
  sheet.getColumn(1).numFmt = 'yyyy-mm-dd'
  sheet.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm:ss'
  return save(workbook, path)
}

/** A two-row header with merged group titles, and a region merged down two data rows. */
export async function mergedWorkbook(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sales')
  sheet.addRow(['Region', 'Q1', null, 'Q2', null])
  sheet.addRow([null, 'Sales', 'Cost', 'Sales', 'Cost'])
  sheet.addRow(['North', 10, 4, 12, 5])
  sheet.addRow([null, 11, 6, 13, 7])
  sheet.addRow(['South', 20, 8, 22, 9])
  sheet.mergeCells('A1:A2')
  sheet.mergeCells('B1:C1')
  sheet.mergeCells('D1:E1')
  sheet.mergeCells('A3:A4')
  return save(workbook, path)
}

/** Formulas with cached results (a number and a date), and one saved without a result. */
export async function formulasWorkbook(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Calc')
  sheet.addRow(['Base', 'Double', 'Later', 'Due'])
  sheet.addRow([2, { formula: 'A2*2', result: 4 }, { formula: 'A2+1' }, null])
  sheet.addRow([
    3,
    { formula: 'A3*2', result: 6 },
    { formula: 'A3+1', result: 4 },
    { formula: 'DATE(2024,3,1)', result: 45352 },
  ])
  sheet.getCell('D3').numFmt = 'yyyy-mm-dd'
  return save(workbook, path)
}

/** A title and notes above a table that starts at B4, with a blank row between. */
export async function notesAboveWorkbook(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Report')
  sheet.getCell('A1').value = 'Monthly sales report'
  sheet.getCell('A2').value = 'Generated 2024-05-01 by finance'
  sheet.getRow(4).values = [null, 'Code', 'Name', 'Amount', 'Paid']
  sheet.getRow(5).values = [null, '00123', 'Ann', 10.5, true]
  sheet.getRow(6).values = [
    null,
    '007',
    { richText: [{ text: 'Bo' }, { font: { bold: true }, text: 'b' }] },
    3,
    false,
  ]
  sheet.getRow(7).values = [null, '42', 'Cy', 7.25, true]
  // Styled but empty cells below and to the right: trailing rows and columns to ignore.
  sheet.getCell('H20').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } }
  sheet.getCell('B21').border = { top: { style: 'thin' } }
  return save(workbook, path)
}

/** One sheet `columns` wide and three rows deep: `c1`…`cN` over whole numbers. */
export async function wideWorkbook(path: string, columns: number): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Wide')
  sheet.addRow(Array.from({ length: columns }, (_, index) => `c${index + 1}`))
  for (let row = 1; row <= 3; row += 1) {
    sheet.addRow(Array.from({ length: columns }, (_, index) => row * 1000 + index))
  }
  return save(workbook, path)
}

/** Three sheets with overlapping columns, the middle one empty, and a mixed-kind column. */
export async function manySheetsWorkbook(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const jan = workbook.addWorksheet('Jan')
  jan.addRow(['id', 'note'])
  jan.addRow([1, 'first'])
  jan.addRow([2, 'second'])
  workbook.addWorksheet('Empty')
  const feb = workbook.addWorksheet('Feb')
  feb.addRow(['id', 'note', 'mixed'])
  feb.addRow([3, 'third', 5])
  feb.addRow([4, 'fourth', 'n/a'])
  return save(workbook, path)
}

/** The first half of a good workbook, as a broken download leaves it. */
export async function truncatedWorkbook(path: string): Promise<string> {
  await wideWorkbook(path, 20)
  const bytes = readFileSync(path)
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)))
  return path
}

/** The signature of an OLE compound file (old .xls), without any encryption stream. */
export function oldBinaryWorkbook(path: string): string {
  const bytes = Buffer.alloc(4096)
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes)
  writeFileSync(path, bytes)
  return path
}

/** A compound file holding an `EncryptionInfo` stream, as Excel writes a password-protected file. */
export function encryptedWorkbook(path: string): string {
  const bytes = Buffer.alloc(4096)
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes)
  Buffer.from('EncryptionInfo', 'utf16le').copy(bytes, 1024)
  writeFileSync(path, bytes)
  return path
}
