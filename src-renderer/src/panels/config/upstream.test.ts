import { describe, expect, it } from 'vitest'
import type { Pipeline } from '../../../../src-shared/pipeline'
import { quoteIdentifier, sqlSuggestions } from './sql-completion'
import { mergeColumns, upstreamFingerprint, upstreamNodeIds } from './upstream'

function pipeline(where: string, sinkPath: string): Pipeline {
  return {
    formatVersion: 1,
    name: 'p',
    parameters: {},
    nodes: [
      { id: 'csv_1', kind: 'source.csv', position: { x: 0, y: 0 }, config: { path: 'a.csv' } },
      { id: 'filter_1', kind: 'transform.filter', position: { x: 0, y: 0 }, config: { where } },
      { id: 'sink_1', kind: 'sink.csv', position: { x: 0, y: 0 }, config: { path: sinkPath } },
    ],
    edges: [
      { from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } },
      { from: { node: 'filter_1', port: 'out' }, to: { node: 'sink_1', port: 'in' } },
    ],
  }
}

describe('upstream', () => {
  it('finds the nodes feeding a node', () => {
    expect(upstreamNodeIds(pipeline('x', 'o.csv'), 'filter_1')).toEqual(['csv_1'])
    expect(upstreamNodeIds(pipeline('x', 'o.csv'), 'csv_1')).toEqual([])
  })

  it('changes the fingerprint only when something upstream changes', () => {
    const before = pipeline('a > 1', 'o.csv')
    expect(upstreamFingerprint(before, 'filter_1')).toBe(
      upstreamFingerprint(pipeline('a > 1', 'other.csv'), 'filter_1'),
    )
    expect(upstreamFingerprint(before, 'csv_1')).toBe(
      upstreamFingerprint(pipeline('b > 2', 'o.csv'), 'csv_1'),
    )
    expect(upstreamFingerprint(before, 'filter_1')).not.toBe(
      upstreamFingerprint(pipeline('b > 2', 'o.csv'), 'filter_1'),
    )
  })

  it('merges the columns of several inputs by name', () => {
    expect(
      mergeColumns([
        [
          { name: 'id', type: 'BIGINT' },
          { name: 'amount', type: 'DOUBLE' },
        ],
        [
          { name: 'id', type: 'VARCHAR' },
          { name: 'name', type: 'VARCHAR' },
        ],
      ]),
    ).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'name', type: 'VARCHAR' },
    ])
  })
})

describe('sql completion', () => {
  it('quotes column names that SQL would not read bare', () => {
    expect(quoteIdentifier('amount')).toBe('amount')
    expect(quoteIdentifier('Order Date')).toBe('"Order Date"')
    expect(quoteIdentifier('order')).toBe('"order"')
    expect(quoteIdentifier('say "hi"')).toBe('"say ""hi"""')
    expect(quoteIdentifier('金额')).toBe('"金额"')
  })

  it('suggests the columns with their types before keywords', () => {
    const suggestions = sqlSuggestions([{ name: 'Unit Price', type: 'DOUBLE' }])
    expect(suggestions[0]).toEqual({
      label: 'Unit Price',
      insertText: '"Unit Price"',
      detail: 'DOUBLE',
      kind: 'column',
      sortText: '00000',
    })
    expect(suggestions.slice(1).every((suggestion) => suggestion.kind === 'keyword')).toBe(true)
  })
})
