import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const csv = [
  'id,name,amount,day,at,ok,code',
  '1,Ann,10.5,2024-01-31,2024-02-29 08:30:00,true,=1+1',
  '2,Bob,3.25,1999-12-31,2000-01-01 23:59:59,false,007',
  '3,"+cmd|x",,2024-03-01,2024-03-01 00:00:00,,@SUM(A1)',
].join('\n')
const sourceConfig = { columnTypes: { code: 'VARCHAR' } }

/** Every sheet's values as openpyxl reads them, with each cell's data type. */
function openpyxlSheets(path: string): Record<string, Array<Array<[unknown, string]>>> {
  const script = [
    'import json, sys, datetime, openpyxl',
    'wb = openpyxl.load_workbook(sys.argv[1])',
    'conv = lambda v: v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v',
    'print(json.dumps({ws.title: [[[conv(c.value), c.data_type] for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}))',
  ].join('\n')
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path]).toString()) as Record<
    string,
    Array<Array<[unknown, string]>>
  >
}

/** Every sheet's values as exceljs's (non-streaming) reader reads them, dates as ISO text. */
async function exceljsSheets(path: string): Promise<Record<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const sheets: Record<string, unknown[][]> = {}
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = []
    sheet.eachRow((row) => {
      rows.push(
        Array.from({ length: sheet.columnCount }, (_, index) => {
          const value = row.getCell(index + 1).value
          return value instanceof Date
            ? value.toISOString().slice(0, 19).replace('T', ' ')
            : (value ?? null)
        }),
      )
    })
    sheets[sheet.name] = rows
  })
  return sheets
}

describe('Excel sink', () => {
  it('writes typed cells that exceljs and openpyxl read back alike, formulas as text', async () => {
    const result = await sandbox.runOn(
      csv,
      [{ id: 'xl', kind: 'sink.excel', config: { path: 'out.xlsx' } }],
      {
        sourceConfig,
      },
    )
    expect(result.errors).toEqual([])
    const path = join(sandbox.dir, 'out.xlsx')
    const expected = [
      ['id', 'name', 'amount', 'day', 'at', 'ok', 'code'],
      [1, 'Ann', 10.5, '2024-01-31 00:00:00', '2024-02-29 08:30:00', true, '=1+1'],
      [2, 'Bob', 3.25, '1999-12-31 00:00:00', '2000-01-01 23:59:59', false, '007'],
      [3, '+cmd|x', null, '2024-03-01 00:00:00', '2024-03-01 00:00:00', null, '@SUM(A1)'],
    ]
    expect((await exceljsSheets(path)).Data).toEqual(expected)
    const fromOpenpyxl = openpyxlSheets(path).Data ?? []
    expect(fromOpenpyxl.map((row) => row.map(([value]) => value))).toEqual(expected)
    // data_type 's' is a string cell: Excel shows the text and never evaluates it.
    expect(fromOpenpyxl.map((row) => row[6]?.[1])).toEqual(['s', 's', 's', 's'])
    expect(fromOpenpyxl[1]?.map(([, type]) => type)).toEqual(['n', 's', 'n', 'd', 'd', 'b', 's'])
  })

  it('freezes and styles the header, adds a filter and formats numbers and dates', async () => {
    await sandbox.runOn(csv, [{ id: 'xl', kind: 'sink.excel', config: { path: 'out.xlsx' } }], {
      sourceConfig,
    })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(join(sandbox.dir, 'out.xlsx'))
    const sheet = workbook.getWorksheet('Data')
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(sheet?.autoFilter).toBe('A1:G1')
    expect(sheet?.getCell('A1').font?.bold).toBe(true)
    expect(sheet?.getCell('A2').numFmt).toBe('0')
    expect(sheet?.getCell('D2').numFmt).toBe('yyyy-mm-dd')
    expect(sheet?.getCell('E2').numFmt).toBe('yyyy-mm-dd hh:mm:ss')
    expect(sheet?.getColumn(2).width).toBe(8)
  })

  it('continues rows past the per-sheet limit on numbered sheets, with a warning', async () => {
    const result = await sandbox.runOn(
      csv,
      [
        {
          id: 'xl',
          kind: 'sink.excel',
          config: { path: 'out.xlsx', rowsPerSheet: 2, sheet: 'Rows' },
        },
      ],
      { sourceConfig },
    )
    expect(result.errors).toEqual([])
    const sheets = await exceljsSheets(join(sandbox.dir, 'out.xlsx'))
    expect(Object.keys(sheets)).toEqual(['Rows', 'Rows (2)'])
    expect(sheets.Rows?.map((row) => row[0])).toEqual(['id', 1, 2])
    expect(sheets['Rows (2)']?.map((row) => row[0])).toEqual(['id', 3])
    const sink = result.nodes.find((node) => node.nodeId === 'xl')
    expect(sink?.warnings.join('\n')).toMatch(/3 rows do not fit one sheet.*"Rows \(2\)"/)
  })

  it('writes a workbook the Excel source reads back to the same rows', async () => {
    await sandbox.runOn(csv, [{ id: 'xl', kind: 'sink.excel', config: { path: 'out.xlsx' } }], {
      sourceConfig,
    })
    const { result } = await sandbox.run({
      formatVersion: 1,
      name: 'back',
      nodes: [
        {
          id: 'back',
          kind: 'source.excel',
          config: { path: join(sandbox.dir, 'out.xlsx') },
          position: { x: 0, y: 0 },
        },
      ],
      edges: [],
    })
    expect(result.errors).toEqual([])
    expect(
      await sandbox.rows(
        'SELECT id, name, amount, CAST(day AS VARCHAR) AS day, ok, code FROM "back__out"',
      ),
    ).toEqual([
      { id: 1, name: 'Ann', amount: 10.5, day: '2024-01-31', ok: true, code: '=1+1' },
      { id: 2, name: 'Bob', amount: 3.25, day: '1999-12-31', ok: false, code: '007' },
      { id: 3, name: '+cmd|x', amount: null, day: '2024-03-01', ok: null, code: '@SUM(A1)' },
    ])
  })
})
