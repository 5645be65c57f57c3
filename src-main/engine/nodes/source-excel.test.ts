import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src-shared/run'
import {
  dates1904Workbook,
  encryptedWorkbook,
  formulasWorkbook,
  manySheetsWorkbook,
  mergedWorkbook,
  notesAboveWorkbook,
  oldBinaryWorkbook,
  truncatedWorkbook,
  wideWorkbook,
} from '../connectors/excel/test-workbooks'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

async function read(config: Record<string, unknown>): Promise<RunResult> {
  const { result } = await sandbox.run(chain({ id: 'src', kind: 'source.excel', config }))
  return result
}

const staged = () => sandbox.rows('SELECT * FROM "src__out"')
const types = async () =>
  Object.fromEntries(
    (await sandbox.rows('SELECT column_name, column_type FROM (DESCRIBE "src__out")')).map(
      (row) => [row.column_name, row.column_type],
    ),
  )
const file = (name: string) => join(sandbox.dir, name)

/** Values as openpyxl, an independent reader, sees them: dates as ISO text. */
function openpyxlValues(path: string, sheet: string): unknown[][] {
  const script = [
    'import json, sys, datetime, openpyxl',
    'wb = openpyxl.load_workbook(sys.argv[1], data_only=True)',
    'ws = wb[sys.argv[2]]',
    'conv = lambda v: v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v',
    'print(json.dumps([[conv(v) for v in row] for row in ws.iter_rows(values_only=True)]))',
  ].join('\n')
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, path, sheet]).toString(),
  ) as unknown[][]
}

describe('Excel source', () => {
  it('reads dates of the 1904 date system as the dates Excel shows, as openpyxl does', async () => {
    const path = await dates1904Workbook(file('dates.xlsx'))
    const result = await read({ path })
    expect(result.errors).toEqual([])
    expect(await types()).toEqual({ Day: 'DATE', At: 'TIMESTAMP' })
    expect(
      await sandbox.rows(
        'SELECT CAST("Day" AS VARCHAR) AS day, CAST("At" AS VARCHAR) AS at FROM "src__out"',
      ),
    ).toEqual([
      { day: '2024-01-31', at: '2024-02-29 08:30:00' },
      { day: '1999-12-31', at: '2000-01-01 23:59:59' },
    ])
    expect(openpyxlValues(path, 'Dates').slice(1)).toEqual([
      ['2024-01-31 00:00:00', '2024-02-29 08:30:00'],
      ['1999-12-31 00:00:00', '2000-01-01 23:59:59'],
    ])
  })

  it('joins a two-row header into one name per column and fills merged cells when asked', async () => {
    const path = await mergedWorkbook(file('merged.xlsx'))
    const result = await read({ path, headerRows: 2, fillMerged: true })
    expect(result.errors).toEqual([])
    expect(await types()).toEqual({
      Region: 'VARCHAR',
      'Q1 Sales': 'BIGINT',
      'Q1 Cost': 'BIGINT',
      'Q2 Sales': 'BIGINT',
      'Q2 Cost': 'BIGINT',
    })
    expect((await staged()).map((row) => row.Region)).toEqual(['North', 'North', 'South'])
    await read({ path, headerRows: 2 })
    expect((await staged()).map((row) => row.Region)).toEqual(['North', null, 'South'])
  })

  it('uses cached formula results and names a formula cell that has none', async () => {
    const path = await formulasWorkbook(file('formulas.xlsx'))
    const result = await read({ path })
    expect(result.errors).toEqual([])
    expect(await staged()).toEqual([
      { Base: 2, Double: 4, Later: null, Due: null },
      { Base: 3, Double: 6, Later: 4, Due: '2024-03-01' },
    ])
    expect(await types()).toMatchObject({ Double: 'BIGINT', Due: 'DATE' })
    expect(result.nodes[0]?.warnings.join('\n')).toMatch(
      /Calc!C2 hold a formula with no saved result/,
    )
  })

  it('skips notes above the table, keeps leading zeros and ignores empty trailing cells', async () => {
    const path = await notesAboveWorkbook(file('notes.xlsx'))
    const result = await read({ path })
    expect(result.errors).toEqual([])
    expect(await types()).toEqual({
      Code: 'VARCHAR',
      Name: 'VARCHAR',
      Amount: 'DOUBLE',
      Paid: 'BOOLEAN',
    })
    expect(await staged()).toEqual([
      { Code: '00123', Name: 'Ann', Amount: 10.5, Paid: true },
      { Code: '007', Name: 'Bob', Amount: 3, Paid: false },
      { Code: '42', Name: 'Cy', Amount: 7.25, Paid: true },
    ])
    expect(openpyxlValues(path, 'Report')[4]?.slice(1, 3)).toEqual(['00123', 'Ann'])
  })

  it('reads an explicit header row, a cell range and per-column type overrides', async () => {
    const path = await notesAboveWorkbook(file('notes.xlsx'))
    await read({
      path,
      range: 'B4:C6',
      columns: [{ name: 'Code', type: 'BIGINT' }],
    })
    expect(await staged()).toEqual([
      { Code: 123, Name: 'Ann' },
      { Code: 7, Name: 'Bob' },
    ])
    await read({ path, headerRow: 4 })
    expect((await staged()).length).toBe(3)
  })

  it('reads a sheet 300 columns wide', async () => {
    const path = await wideWorkbook(file('wide.xlsx'), 300)
    const result = await read({ path })
    expect(result.errors).toEqual([])
    const rows = await staged()
    expect(rows).toHaveLength(3)
    expect(Object.keys(rows[0] ?? {})).toHaveLength(300)
    expect(rows[2]?.c300).toBe(3299)
    expect(Object.values(await types()).every((type) => type === 'BIGINT')).toBe(true)
  })

  it('reads every sheet into one table with a _sheet column, skipping empty sheets', async () => {
    const path = await manySheetsWorkbook(file('many.xlsx'))
    const result = await read({ path, allSheets: true })
    expect(result.errors).toEqual([])
    expect(await staged()).toEqual([
      { _sheet: 'Jan', id: 1, note: 'first', mixed: null },
      { _sheet: 'Jan', id: 2, note: 'second', mixed: null },
      { _sheet: 'Feb', id: 3, note: 'third', mixed: '5' },
      { _sheet: 'Feb', id: 4, note: 'fourth', mixed: 'n/a' },
    ])
  })

  it('chooses a sheet by name or by position, and names the sheets when one is missing', async () => {
    const path = await manySheetsWorkbook(file('many.xlsx'))
    await read({ path, sheet: 'Feb' })
    expect((await staged()).map((row) => row.id)).toEqual([3, 4])
    await read({ path, sheetIndex: 1 })
    expect((await staged()).map((row) => row.id)).toEqual([1, 2])
    const missing = await read({ path, sheet: 'Mar' })
    expect(missing.errors[0]).toMatchObject({
      code: 'EXCEL_SHEET_NOT_FOUND',
      message: `${path} has no sheet "Mar"; its sheets are "Jan", "Empty", "Feb".`,
    })
  })

  it('refuses files that are not .xlsx workbooks with a message saying what to do', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [await truncatedWorkbook(file('cut.xlsx')), 'EXCEL_CORRUPT', /damaged or incomplete/],
      [
        sandbox.write('data.xlsx', 'id,name\n1,Ann\n'),
        'EXCEL_NOT_WORKBOOK',
        /plain text.*CSV source/,
      ],
      [oldBinaryWorkbook(file('old.xlsx')), 'EXCEL_OLD_FORMAT', /save it as \.xlsx/],
      [encryptedWorkbook(file('locked.xlsx')), 'EXCEL_ENCRYPTED', /password-protected/],
    ]
    for (const [path, code, message] of cases) {
      const result = await read({ path })
      expect(result.errors[0]?.code, path).toBe(code)
      expect(result.errors[0]?.message).toContain(path)
      expect(result.errors[0]?.message).toMatch(message)
    }
  })
})
