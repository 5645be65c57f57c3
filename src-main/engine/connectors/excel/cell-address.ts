/** A rectangle of cells, rows and columns counted from 1 as Excel does, both ends included. */
export interface CellRange {
  top: number
  left: number
  bottom: number
  right: number
}

/** Column letters for a column number: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
  let letters = ''
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  }
  return letters
}

/** A cell's address in A1 style, with its sheet when given: `Sheet1!C7`. */
export function cellAddress(row: number, column: number, sheet?: string): string {
  const cell = `${columnLetters(column)}${row}`
  return sheet === undefined ? cell : `${sheet}!${cell}`
}

/** Parses `C7` into its row and column; null when it is not an A1 address. */
export function parseCell(text: string): { row: number; column: number } | null {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(text.trim())
  if (!match) {
    return null
  }
  const column = [...(match[1] as string).toUpperCase()].reduce(
    (total, letter) => total * 26 + letter.charCodeAt(0) - 64,
    0,
  )
  return { row: Number(match[2]), column }
}

/** Parses `B3:F200` (either corner first, or a single cell) into a range; null when invalid. */
export function parseRange(text: string): CellRange | null {
  const [first, second = first] = text.split(':')
  const a = parseCell(first ?? '')
  const b = parseCell(second ?? '')
  if (!a || !b || a.row < 1 || b.row < 1) {
    return null
  }
  return {
    top: Math.min(a.row, b.row),
    bottom: Math.max(a.row, b.row),
    left: Math.min(a.column, b.column),
    right: Math.max(a.column, b.column),
  }
}
