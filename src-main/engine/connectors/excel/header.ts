import type { CellValue } from './cell-values'

/** A sheet row's cells by column, from column A at index 0; gaps are null. */
export type SheetRow = Array<CellValue | null>

const filled = (row: SheetRow): number => row.filter((cell) => cell !== null).length
const texts = (row: SheetRow): number => row.filter((cell) => cell?.kind === 'text').length

/**
 * The index of the header among the first rows of a sheet: the first row whose cells are mostly
 * text, which is more than half as wide as the widest row, and which is followed by a row of
 * similar width. Titles and notes above a table are narrower, so they are skipped. Falls back to
 * the first row with any value.
 */
export function detectHeaderRow(rows: SheetRow[]): number {
  const widest = Math.max(0, ...rows.map(filled))
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] ?? []
    const width = filled(row)
    if (width === 0 || width <= widest / 2 || texts(row) <= width / 2) {
      continue
    }
    const next = rows.slice(index + 1).find((candidate) => filled(candidate) > 0)
    if (next === undefined || filled(next) >= width / 2) {
      return index
    }
  }
  const first = rows.findIndex((row) => filled(row) > 0)
  return first === -1 ? 0 : first
}

/**
 * One name per column from one or more header rows: each column's texts top to bottom, joined
 * with a space. In a multi-row header an upper row's empty cell takes the text to its left, as a
 * merged group title ("Q1" over "Sales" and "Cost") does. Blank names become `column_<n>` and
 * repeated ones get a suffix, so every name is usable.
 */
export function headerNames(rows: SheetRow[], left: number, width: number): string[] {
  const names: string[][] = Array.from({ length: width }, () => [])
  rows.forEach((row, rowIndex) => {
    const isUpper = rowIndex < rows.length - 1
    let carried = ''
    for (let column = 0; column < width; column += 1) {
      const text = row[left + column]?.text.trim() ?? ''
      if (text !== '') {
        carried = text
      }
      const part = text !== '' ? text : isUpper ? carried : ''
      const parts = names[column] as string[]
      if (part !== '' && parts[parts.length - 1] !== part) {
        parts.push(part)
      }
    }
  })
  return uniqueNames(names.map((parts, column) => parts.join(' ') || `column_${column + 1}`))
}

/** Names made distinct by appending `_2`, `_3` … to repeats, case-insensitively as DuckDB does. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>()
  return names.map((name) => {
    let candidate = name
    for (let suffix = 2; seen.has(candidate.toLowerCase()); suffix += 1) {
      candidate = `${name}_${suffix}`
    }
    seen.add(candidate.toLowerCase())
    return candidate
  })
}
