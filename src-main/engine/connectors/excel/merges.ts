import { parseRange, type CellRange } from './cell-address'
import type { CellValue } from './cell-values'
import { streamZipEntry, type ZipEntry } from './zip-directory'

const mergeCellPattern = /<(?:\w+:)?mergeCell\s[^>]*ref="([^"]+)"/g

/**
 * The merged ranges of one sheet, read from its XML. exceljs's streaming reader skips
 * `<mergeCell>` elements, and they follow the rows, so the sheet's XML is scanned for them
 * before its rows are read.
 */
export async function readMergedRanges(file: string, entry: ZipEntry): Promise<CellRange[]> {
  const ranges: CellRange[] = []
  let carry = ''
  for await (const chunk of await streamZipEntry(file, entry)) {
    const text = carry + (chunk as Buffer).toString('utf8')
    let lastEnd = 0
    for (const match of text.matchAll(mergeCellPattern)) {
      const range = parseRange(match[1] ?? '')
      if (range) {
        ranges.push(range)
      }
      lastEnd = (match.index ?? 0) + match[0].length
    }
    // Keep the tail that may hold the start of an element cut by the chunk boundary.
    carry = text.slice(Math.max(lastEnd, text.length - 200))
  }
  return ranges
}

/**
 * Fills merged cells from their top-left cell as rows arrive in order: the top-left value is
 * remembered when its row passes, and copied into the merge's other cells.
 */
export class MergeFiller {
  private readonly anchors = new Map<CellRange, CellValue | null>()

  constructor(private readonly ranges: CellRange[]) {}

  /** Fills one row (cells by column from index 0) in place. */
  fill(rowNumber: number, cells: Array<CellValue | null>): void {
    for (const range of this.ranges) {
      if (rowNumber < range.top || rowNumber > range.bottom) {
        continue
      }
      if (rowNumber === range.top) {
        this.anchors.set(range, cells[range.left - 1] ?? null)
      }
      const value = this.anchors.get(range) ?? null
      for (let column = range.left; column <= range.right; column += 1) {
        cells[column - 1] = value
      }
    }
  }
}
