import { describe, expect, it } from 'vitest'
import { sourceForFile } from './file-drop'

describe('sourceForFile', () => {
  it('picks the source by extension, whatever its case, and sets the path', () => {
    expect(sourceForFile('Orders.CSV', '/data/Orders.CSV')).toEqual({
      kind: 'source.csv',
      config: { path: '/data/Orders.CSV' },
    })
    expect(sourceForFile('events.jsonl', 'events.jsonl')).toEqual({
      kind: 'source.json',
      config: { format: 'ndjson', path: 'events.jsonl' },
    })
    expect(sourceForFile('flights.parquet', 'flights.parquet')?.kind).toBe('source.parquet')
  })

  it('reads a TSV as a CSV separated by tabs', () => {
    expect(sourceForFile('a.tsv', 'a.tsv')?.config).toEqual({ delimiter: '\\t', path: 'a.tsv' })
  })

  it('offers Excel only once the catalogue has its source', () => {
    expect(sourceForFile('book.xlsx', 'book.xlsx', () => false)).toBeNull()
    expect(sourceForFile('book.xlsx', 'book.xlsx')?.kind).toBe('source.excel')
  })

  it('refuses files no source reads', () => {
    expect(sourceForFile('notes.txt', 'notes.txt')).toBeNull()
    expect(sourceForFile('README', 'README')).toBeNull()
  })
})
