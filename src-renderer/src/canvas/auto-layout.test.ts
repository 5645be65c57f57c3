import { describe, expect, it } from 'vitest'
import type { Pipeline, PipelineNode } from '../../../src-shared/pipeline'
import { defaultNodeSize, layoutLeftToRight } from './auto-layout'

const node = (id: string, kind: string): PipelineNode => ({
  id,
  kind,
  position: { x: 500, y: 500 },
  config: {},
})

describe('layoutLeftToRight', () => {
  it('puts every node to the right of its inputs, without overlaps', () => {
    const document: Pipeline = {
      formatVersion: 1,
      name: 'layout',
      parameters: {},
      nodes: [
        node('out_1', 'sink.csv'),
        node('filter_1', 'transform.filter'),
        node('csv_1', 'source.csv'),
        node('csv_2', 'source.csv'),
        node('sql_1', 'transform.sql'),
      ],
      edges: [
        { from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } },
        { from: { node: 'filter_1', port: 'out' }, to: { node: 'sql_1', port: 'a' } },
        { from: { node: 'csv_2', port: 'out' }, to: { node: 'sql_1', port: 'b' } },
        { from: { node: 'sql_1', port: 'out' }, to: { node: 'out_1', port: 'in' } },
      ],
    }
    const at = layoutLeftToRight(document)
    expect(Object.keys(at).sort()).toEqual(['csv_1', 'csv_2', 'filter_1', 'out_1', 'sql_1'])
    for (const edge of document.edges) {
      expect(at[edge.to.node]?.x).toBeGreaterThan(
        (at[edge.from.node]?.x ?? 0) + defaultNodeSize.width,
      )
    }
    const boxes = Object.values(at)
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const apart =
          Math.abs(a.x - b.x) >= defaultNodeSize.width ||
          Math.abs(a.y - b.y) >= defaultNodeSize.height
        expect(apart).toBe(true)
      }),
    )
  })

  it('lays out 200 nodes quickly', () => {
    const nodes = Array.from({ length: 200 }, (_, index) => node(`n_${index}`, 'transform.limit'))
    const edges = nodes.slice(1).map((target, index) => ({
      from: { node: `n_${Math.floor(index / 2)}`, port: 'out' },
      to: { node: target.id, port: 'in' },
    }))
    const started = performance.now()
    const at = layoutLeftToRight({ formatVersion: 1, name: 'big', parameters: {}, nodes, edges })
    expect(Object.keys(at)).toHaveLength(200)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
