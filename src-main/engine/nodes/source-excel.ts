import type { z } from 'zod'
import { engineSentence, sluiceError, SluiceFailure } from '../../../src-shared/errors'
import {
  excelSheetColumn,
  type ExcelColumnType,
  type excelSourceConfig,
} from '../../../src-shared/nodes/excel'
import { parseRange } from '../connectors/excel/cell-address'
import { readWorkbook, type WorkbookRead } from '../connectors/excel/read-workbook'
import { typedColumns } from '../connectors/excel/raw-table'
import { checkWorkbookFormat } from '../connectors/excel/workbook-format'
import { fileIdentity, resolvePath } from '../connectors/files/file-identity'
import { quoteIdent, quoteLiteral } from '../duckdb/quote'
import { queryRows, runStatement } from '../duckdb/query'
import type { NodeContext, NodeExecutor, NodeOutcome } from './executor'

type ExcelConfig = z.output<typeof excelSourceConfig>

/** Cells named in one warning before the rest are only counted. */
const cellsNamed = 5

/**
 * Reads sheets of an .xlsx workbook through exceljs's streaming reader into the staging
 * database, inferring column types from the cells. No `peek`: the header and the types need the
 * sheet staged.
 */
export const excelSourceExecutor: NodeExecutor<ExcelConfig> = {
  role: 'source',
  identify: async (config, baseDir) => fileIdentity(resolvePath(baseDir, config.path)),
  run: stageExcel,
}

async function stageExcel(context: NodeContext<ExcelConfig>): Promise<NodeOutcome> {
  const { config, node, connection, signal } = context
  const file = resolvePath(context.baseDir, config.path)
  const entries = await checkWorkbookFormat(file, node.id)
  const read = await readWorkbook(
    connection,
    file,
    entries,
    {
      sheet: config.sheet,
      sheetIndex: config.sheetIndex,
      allSheets: config.allSheets,
      fillMerged: config.fillMerged,
      layout: {
        headerRow: config.headerRow,
        headerRows: config.headerRows,
        range: config.range === '' ? null : parseRange(config.range),
      },
    },
    `${node.id}__excel_raw_`,
    signal,
  ).catch((thrown: unknown) => {
    throw readFailure(thrown, file, node.id)
  })
  try {
    return await stageSheets(context, file, read)
  } finally {
    for (const { staged } of read.sheets) {
      if (staged) {
        await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(staged.raw.name)}`)
      }
    }
  }
}

async function stageSheets(
  context: NodeContext<ExcelConfig>,
  file: string,
  read: WorkbookRead,
): Promise<NodeOutcome> {
  const { config, node, connection, signal } = context
  const out = context.outputs.out as string
  if (read.sheets.length === 0) {
    const sheet = config.sheet !== '' ? `"${config.sheet}"` : `number ${config.sheetIndex}`
    const sheets = read.sheetNames.map((name) => `"${name}"`).join(', ') || 'none'
    throw new SluiceFailure(
      sluiceError(
        'EXCEL_SHEET_NOT_FOUND',
        { file, sheet, sheets },
        { nodeId: node.id, field: 'config.sheet' },
      ),
    )
  }
  const filled = read.sheets.flatMap(({ name, staged }) => (staged ? [{ name, staged }] : []))
  const first = read.sheets[0]?.name ?? ''
  if (filled.length === 0) {
    throw noData(file, first, 'it has no values', node.id)
  }
  if (!config.allSheets && filled[0]?.staged.rows === 0) {
    throw noData(file, first, 'it has a header but no data rows below it', node.id)
  }
  const overrides = new Map<string, ExcelColumnType>(
    config.columns.map((column) => [column.name, column.type]),
  )
  const warnings: string[] = []
  const selects: string[] = []
  const lostCounts: string[] = []
  const lostLabels: string[] = []
  const seen = new Set<string>()
  for (const [position, { name, staged }] of filled.entries()) {
    const columns = typedColumns(staged.names, staged.raw.kinds, overrides)
    columns.forEach((column) => seen.add(column.name))
    const rawTable = quoteIdent(staged.raw.name)
    const expressions = columns.map(
      (column) => `${column.expression} AS ${quoteIdent(column.name)}`,
    )
    if (config.allSheets) {
      expressions.unshift(
        `${position} AS _sheet_position`,
        `_row`,
        `${quoteLiteral(name)} AS ${quoteIdent(excelSheetColumn)}`,
      )
    }
    selects.push(`SELECT ${expressions.join(', ')} FROM ${rawTable}`)
    for (const column of columns.filter((candidate) => candidate.lost !== undefined)) {
      lostCounts.push(`(SELECT count(*) FROM ${rawTable} WHERE ${column.lost})`)
      lostLabels.push(
        `sheet "${name}", column "${column.name}": {count} value(s) could not be read as ${column.type} and became empty`,
      )
    }
    if (staged.cellsOutside > 0) {
      warnings.push(
        `${file}, sheet "${name}": ${staged.cellsOutside} value(s) right or left of the table's columns were left out`,
      )
    }
  }
  const body = config.allSheets
    ? `SELECT * EXCLUDE (_sheet_position, _row) FROM (${selects.join(' UNION ALL BY NAME ')}) ORDER BY _sheet_position, _row`
    : `${selects[0] ?? ''} ORDER BY _row`
  await runStatement(connection, `CREATE OR REPLACE TABLE ${out} AS ${body}`, signal)
  if (lostCounts.length > 0) {
    const [row] = await queryRows(connection, `SELECT [${lostCounts.join(', ')}] AS lost`)
    ;(row?.lost as unknown[]).map(Number).forEach((count, index) => {
      if (count > 0) {
        warnings.push(`${file}, ${(lostLabels[index] ?? '').replace('{count}', String(count))}`)
      }
    })
  }
  for (const name of overrides.keys()) {
    if (!seen.has(name)) {
      warnings.push(
        `${file}: the type override names column "${name}", which the sheet does not have`,
      )
    }
  }
  const { formulasWithoutResult, errorValues } = read.problems
  if (formulasWithoutResult.length > 0) {
    warnings.push(
      `${file}: ${cellList(formulasWithoutResult)} hold a formula with no saved result and were read as empty; open the workbook in Excel and save it so the results are stored`,
    )
  }
  if (errorValues.length > 0) {
    warnings.push(
      `${file}: ${cellList(errorValues)} hold an error value (such as #DIV/0!) and were read as empty`,
    )
  }
  const rows = filled.reduce((total, sheet) => total + sheet.staged.rows, 0)
  return { warnings, portRows: { out: rows } }
}

function cellList(cells: string[]): string {
  const named = cells.slice(0, cellsNamed).join(', ')
  return cells.length > cellsNamed ? `${named} and ${cells.length - cellsNamed} more cells` : named
}

function noData(file: string, sheet: string, reason: string, nodeId: string): SluiceFailure {
  return new SluiceFailure(sluiceError('EXCEL_NO_DATA', { file, sheet, reason }, { nodeId }))
}

/** exceljs's own errors on a damaged archive or XML become a clear error naming the file. */
function readFailure(thrown: unknown, file: string, nodeId: string): unknown {
  if (
    thrown instanceof SluiceFailure ||
    (thrown instanceof Error && thrown.name === 'AbortError')
  ) {
    return thrown
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return new SluiceFailure(
    sluiceError(
      'EXCEL_CORRUPT',
      { file, reason: engineSentence(message).replace(/\.+$/, '') },
      { nodeId, detail: thrown instanceof Error ? (thrown.stack ?? message) : message },
    ),
  )
}
