/**
 * A cell's value as the Excel source stages it: its kind, a number for numbers, dates (epoch
 * milliseconds of the wall-clock time) and booleans, and the text a user sees in Excel, which a
 * column mixing kinds keeps.
 */
export type CellValue =
  | { kind: 'number'; number: number; text: string }
  | { kind: 'date'; number: number; text: string }
  | { kind: 'boolean'; number: number; text: string }
  | { kind: 'text'; text: string }

/** Codes of the kinds in the staging table. */
export const kindCodes = { number: 1, date: 2, boolean: 3, text: 4 } as const

/** Cells that could not give a value, named like `Sheet1!C7`, for the node's warnings. */
export interface CellProblems {
  formulasWithoutResult: string[]
  errorValues: string[]
}

const millisecondsPerDay = 86_400_000
/** Days from each date system's day 0 to 1970-01-01. */
const epochSerial1900 = 25569
const epochSerial1904 = 24107

/** An Excel serial day number as epoch milliseconds of the same wall-clock time. */
export function serialToEpochMs(serial: number, date1904: boolean): number {
  return Math.round((serial - (date1904 ? epochSerial1904 : epochSerial1900)) * millisecondsPerDay)
}

/** Whether a number format shows a date or time (day, month, year, hour or second codes). */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) {
    return false
  }
  const codes = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, '')
  return /[dmyhs]/i.test(codes) && !/^general$/i.test(codes)
}

/** A number as Excel shows it in General format: at most 15 significant digits. */
export function numberText(value: number): string {
  return String(Number(value.toPrecision(15)))
}

/** A date as ISO text, without the time when it is midnight. */
export function dateText(epochMs: number): string {
  const iso = new Date(epochMs).toISOString()
  return iso.endsWith('T00:00:00.000Z')
    ? iso.slice(0, 10)
    : iso.slice(0, 19).replace('T', ' ') + (iso.endsWith('.000Z') ? '' : iso.slice(19, 23))
}

/** What the streaming reader hands over for one cell. */
export interface RawCell {
  value: unknown
  numFmt?: string
}

/**
 * Turns a cell from exceljs's streaming reader into a `CellValue`: rich text becomes its plain
 * text, a formula gives its cached result (noted in `problems` when it has none) and an error
 * value such as `#DIV/0!` becomes empty (noted too). `address` names the cell, e.g. `Sheet1!C7`,
 * and is only called for a problem cell.
 */
export function readCell(
  cell: RawCell,
  address: () => string,
  date1904: boolean,
  problems: CellProblems,
): CellValue | null {
  const { value } = cell
  if (value === null || value === undefined) {
    return null
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? numberValue(value) : null
  }
  if (typeof value === 'string') {
    return textValue(value)
  }
  if (typeof value === 'boolean') {
    return { kind: 'boolean', number: value ? 1 : 0, text: value ? 'TRUE' : 'FALSE' }
  }
  if (value instanceof Date) {
    return dateValue(value.getTime())
  }
  if (typeof value !== 'object') {
    return null
  }
  if ('richText' in value && Array.isArray(value.richText)) {
    return textValue(
      value.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join(''),
    )
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return formulaResult(value, cell.numFmt, address, date1904, problems)
  }
  if ('error' in value) {
    problems.errorValues.push(address())
    return null
  }
  if ('text' in value) {
    return textValue(String(value.text))
  }
  return null
}

function formulaResult(
  value: object,
  numFmt: string | undefined,
  address: () => string,
  date1904: boolean,
  problems: CellProblems,
): CellValue | null {
  const result: unknown = 'result' in value ? value.result : undefined
  if (result === undefined || result === null) {
    problems.formulasWithoutResult.push(address())
    return null
  }
  if (typeof result === 'number') {
    if (Number.isNaN(result)) {
      // The streaming reader parses an error result such as #N/A as a number.
      problems.errorValues.push(address())
      return null
    }
    return isDateFormat(numFmt) ? dateValue(serialToEpochMs(result, date1904)) : numberValue(result)
  }
  if (result instanceof Date) {
    return dateValue(result.getTime())
  }
  if (typeof result === 'object' && 'error' in result) {
    problems.errorValues.push(address())
    return null
  }
  return textValue(String(result))
}

function numberValue(number: number): CellValue {
  return { kind: 'number', number, text: numberText(number) }
}

function dateValue(epochMs: number): CellValue {
  return { kind: 'date', number: epochMs, text: dateText(epochMs) }
}

function textValue(text: string): CellValue | null {
  return text === '' ? null : { kind: 'text', text }
}
