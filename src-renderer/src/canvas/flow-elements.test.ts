import { describe, expect, it } from 'vitest'
import type { Pipeline } from '../../../src-shared/pipeline'
import { toFlowEdges, toFlowNodes } from './flow-elements'

const document: Pipeline = {
  formatVersion: 1,
  name: 'flow',
  parameters: {},
  nodes: [
    { id: 'csv_1', kind: 'source.csv', position: { x: 10, y: 20 }, config: { path: 'a.csv' } },
    {
      id: 'filter_1',
      kind: 'transform.filter',
      label: 'Paid',
      position: { x: 300, y: 20 },
      config: {},
    },
  ],
  edges: [{ from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } }],
}

describe('toFlowNodes', () => {
  it('draws each node with its ports, selection and accessible name', () => {
    const [csv, filter] = toFlowNodes(document, new Set(['filter_1']))
    expect(csv).toMatchObject({ id: 'csv_1', type: 'sluice', selected: false, ariaLabel: 'csv_1' })
    expect(csv?.data?.ports.outputs.map((port) => port.name)).toEqual(['out', 'rejects'])
    expect(filter).toMatchObject({ selected: true, ariaLabel: 'Paid', position: { x: 300, y: 20 } })
    expect(filter?.data?.ports.inputs.map((port) => port.name)).toEqual(['in'])
  })

  it('keeps the data of nodes whose settings did not change, as after a move', () => {
    const before = toFlowNodes(document, new Set())
    const previous = new Map(
      before.map((node) => [node.id, node.data as NonNullable<typeof node.data>]),
    )
    const moved = structuredClone(document)
    moved.nodes[0]!.position = { x: 99, y: 99 }
    moved.nodes[1]!.config = { condition: 'amount > 0' }
    const [csv, filter] = toFlowNodes(moved, new Set(), previous)
    expect(csv?.data).toBe(before[0]?.data)
    expect(csv?.position).toEqual({ x: 99, y: 99 })
    expect(filter?.data).not.toBe(before[1]?.data)
  })
})

describe('toFlowEdges', () => {
  it('names edges as the store does, so selecting one selects it in the store', () => {
    expect(toFlowEdges(document, new Set(['csv_1:out → filter_1:in']))).toEqual([
      {
        id: 'csv_1:out → filter_1:in',
        source: 'csv_1',
        sourceHandle: 'out',
        target: 'filter_1',
        targetHandle: 'in',
        selected: true,
        ariaLabel: 'csv_1:out → filter_1:in',
      },
    ])
  })
})
