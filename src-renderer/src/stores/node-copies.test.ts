import { describe, expect, it } from 'vitest'
import type { Pipeline } from '../../../src-shared/pipeline'
import { copyNodes, newNodeId, pastedNodes } from './node-copies'

const document: Pipeline = {
  formatVersion: 1,
  name: 'copies',
  parameters: {},
  nodes: [
    { id: 'csv_1', kind: 'source.csv', position: { x: 0, y: 0 }, config: { path: 'a.csv' } },
    {
      id: 'filter_1',
      kind: 'transform.filter',
      position: { x: 200, y: 0 },
      config: { where: 'x > 1' },
    },
    { id: 'write_csv_1', kind: 'sink.csv', position: { x: 400, y: 0 }, config: { path: 'o.csv' } },
  ],
  edges: [
    { from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } },
    { from: { node: 'filter_1', port: 'out' }, to: { node: 'write_csv_1', port: 'in' } },
  ],
}

describe('node ids', () => {
  it('names sources, transforms and sinks apart and skips taken ids', () => {
    const taken = new Set(document.nodes.map((node) => node.id))
    expect(newNodeId('source.csv', taken)).toBe('csv_2')
    expect(newNodeId('transform.filter', taken)).toBe('filter_2')
    expect(newNodeId('sink.csv', taken)).toBe('write_csv_2')
    expect(newNodeId('sink.parquet', taken)).toBe('write_parquet_1')
  })
})

describe('copy and paste', () => {
  it('copies the chosen nodes with their configs and only the edges among them', () => {
    const copied = copyNodes(document, new Set(['filter_1', 'write_csv_1']))
    expect(copied?.nodes.map((node) => node.id)).toEqual(['filter_1', 'write_csv_1'])
    expect(copied?.edges).toEqual([document.edges[1]])
    expect(copyNodes(document, new Set())).toBeNull()
  })

  it('pastes under fresh ids, shifted, with the edges renamed and the original untouched', () => {
    const copied = copyNodes(document, new Set(['filter_1', 'write_csv_1']))!
    const pasted = pastedNodes(document, copied, { x: 40, y: 40 })
    expect(pasted.nodes.map((node) => [node.id, node.position, node.config])).toEqual([
      ['filter_2', { x: 240, y: 40 }, { where: 'x > 1' }],
      ['write_csv_2', { x: 440, y: 40 }, { path: 'o.csv' }],
    ])
    expect(pasted.edges).toEqual([
      { from: { node: 'filter_2', port: 'out' }, to: { node: 'write_csv_2', port: 'in' } },
    ])
    expect(copied.nodes[0]?.id).toBe('filter_1')
  })
})
