import { describe, expect, it } from 'vitest'
import type { CellValue } from './cell-values'
import { detectHeaderRow, headerNames, type SheetRow } from './header'

const text = (value: string): CellValue => ({ kind: 'text', text: value })
const number = (value: number): CellValue => ({
  kind: 'number',
  number: value,
  text: String(value),
})
const row = (...cells: Array<string | number | null>): SheetRow =>
  cells.map((cell) => (cell === null ? null : typeof cell === 'number' ? number(cell) : text(cell)))

describe('detectHeaderRow', () => {
  it('skips a title and notes narrower than the table', () => {
    const rows = [
      row('Quarterly report'),
      row('Source: finance', 'draft'),
      row(),
      row('id', 'name', 'amount', 'region'),
      row(1, 'Ann', 3, 'N'),
    ]
    expect(detectHeaderRow(rows)).toBe(3)
  })

  it('does not take a row of numbers for the header', () => {
    expect(detectHeaderRow([row(1, 2, 3), row(4, 5, 6)])).toBe(0)
    expect(detectHeaderRow([row(null, null), row(1, 2, 3), row('a', 'b', 'c'), row(7, 8, 9)])).toBe(
      2,
    )
  })
})

describe('headerNames', () => {
  it('joins header rows, carrying a group title over the columns it spans', () => {
    const rows = [
      row('Region', 'Q1', null, 'Q2', null),
      row(null, 'Sales', 'Cost', 'Sales', 'Cost'),
    ]
    expect(headerNames(rows, 0, 5)).toEqual([
      'Region',
      'Q1 Sales',
      'Q1 Cost',
      'Q2 Sales',
      'Q2 Cost',
    ])
  })

  it('names blank headers by position and makes repeated names distinct', () => {
    expect(headerNames([row('a', null, 'A', 'a')], 0, 4)).toEqual(['a', 'column_2', 'A_2', 'a_3'])
  })
})
