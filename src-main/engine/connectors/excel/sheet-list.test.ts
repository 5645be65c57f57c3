import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { listExcelSheets } from './sheet-list'
import { manySheetsWorkbook, wideWorkbook } from './test-workbooks'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sheets-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('lists every sheet in tab order with its used range', async () => {
  const path = await manySheetsWorkbook(join(dir, 'many.xlsx'))
  expect(await listExcelSheets(path)).toEqual([
    { name: 'Jan', position: 1, dimension: 'A1:B3', rows: 3, columns: 2, hidden: false },
    // An empty sheet records A1 as its used range, as Excel does.
    { name: 'Empty', position: 2, dimension: 'A1:A1', rows: 1, columns: 1, hidden: false },
    { name: 'Feb', position: 3, dimension: 'A1:C3', rows: 3, columns: 3, hidden: false },
  ])
})

it('reads names with XML entities, hidden sheets and wide sheets', async () => {
  const workbook = new ExcelJS.Workbook()
  workbook.addWorksheet('R&D <2024>').addRow(['a'])
  workbook.addWorksheet('Secret', { state: 'hidden' }).addRow(['b'])
  await workbook.xlsx.writeFile(join(dir, 'names.xlsx'))
  const sheets = await listExcelSheets(join(dir, 'names.xlsx'))
  expect(sheets.map(({ name, hidden }) => ({ name, hidden }))).toEqual([
    { name: 'R&D <2024>', hidden: false },
    { name: 'Secret', hidden: true },
  ])
  const wide = await listExcelSheets(await wideWorkbook(join(dir, 'wide.xlsx'), 300))
  expect(wide[0]).toMatchObject({ dimension: 'A1:KN4', rows: 4, columns: 300 })
})
