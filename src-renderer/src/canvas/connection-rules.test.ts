import { describe, expect, it } from 'vitest'
import type { Pipeline, PipelineNode } from '../../../src-shared/pipeline'
import { checkConnection } from './connection-rules'

const node = (id: string, kind: string): PipelineNode => ({
  id,
  kind,
  position: { x: 0, y: 0 },
  config: {},
})

/** csv_1 → filter_1 → sort_1, plus an unconnected sink and a SQL node with two inputs. */
const document: Pipeline = {
  formatVersion: 1,
  name: 'rules',
  parameters: {},
  nodes: [
    node('csv_1', 'source.csv'),
    node('csv_2', 'source.csv'),
    node('filter_1', 'transform.filter'),
    node('sort_1', 'transform.sort'),
    node('out_1', 'sink.csv'),
    { ...node('sql_1', 'transform.sql'), config: { inputs: ['orders', 'customers'], sql: 'x' } },
  ],
  edges: [
    { from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } },
    { from: { node: 'filter_1', port: 'out' }, to: { node: 'sort_1', port: 'in' } },
  ],
}

describe('checkConnection', () => {
  it('accepts an output into a free input and returns the edge', () => {
    expect(
      checkConnection(document, {
        source: 'sort_1',
        sourceHandle: 'out',
        target: 'out_1',
        targetHandle: 'in',
      }),
    ).toEqual({
      ok: true,
      edge: { from: { node: 'sort_1', port: 'out' }, to: { node: 'out_1', port: 'in' } },
    })
  })

  it('accepts the rejects output of a CSV source and the named inputs of custom SQL', () => {
    const check = checkConnection(document, {
      source: 'csv_2',
      sourceHandle: 'rejects',
      target: 'sql_1',
      targetHandle: 'customers',
    })
    expect(check.ok).toBe(true)
  })

  it('refuses a node connected to itself', () => {
    expect(
      checkConnection(document, {
        source: 'filter_1',
        sourceHandle: 'out',
        target: 'filter_1',
        targetHandle: 'in',
      }),
    ).toEqual({ ok: false, reason: 'same-node', node: 'filter_1', port: 'in' })
  })

  it('refuses a second edge into an input that is taken', () => {
    expect(
      checkConnection(document, {
        source: 'csv_2',
        sourceHandle: 'out',
        target: 'filter_1',
        targetHandle: 'in',
      }),
    ).toEqual({ ok: false, reason: 'input-taken', node: 'filter_1', port: 'in' })
  })

  it('refuses an edge that closes a cycle', () => {
    expect(
      checkConnection(document, {
        source: 'sort_1',
        sourceHandle: 'out',
        target: 'filter_1',
        targetHandle: 'in',
      }).ok,
    ).toBe(false)
    const freeInput: Pipeline = { ...document, edges: document.edges.slice(1) }
    expect(
      checkConnection(freeInput, {
        source: 'sort_1',
        sourceHandle: 'out',
        target: 'filter_1',
        targetHandle: 'in',
      }),
    ).toEqual({ ok: false, reason: 'cycle', node: 'filter_1', port: 'in' })
  })

  it('refuses an output drawn to another output, naming the node that has no such input', () => {
    expect(
      checkConnection(document, {
        source: 'filter_1',
        sourceHandle: 'out',
        target: 'csv_2',
        targetHandle: 'out',
      }),
    ).toEqual({ ok: false, reason: 'wrong-direction', node: 'csv_2', port: 'out' })
  })

  it('refuses an input drawn to another input', () => {
    expect(
      checkConnection(document, {
        source: 'out_1',
        sourceHandle: 'in',
        target: 'sort_1',
        targetHandle: 'in',
      }),
    ).toEqual({ ok: false, reason: 'wrong-direction', node: 'out_1', port: 'in' })
  })

  it('refuses ports and nodes that do not exist', () => {
    expect(
      checkConnection(document, {
        source: 'csv_1',
        sourceHandle: 'nope',
        target: 'out_1',
        targetHandle: 'in',
      }),
    ).toEqual({ ok: false, reason: 'unknown-port', node: 'csv_1', port: 'nope' })
    expect(
      checkConnection(document, { source: 'csv_1', sourceHandle: 'out', target: 'gone_1' }),
    ).toEqual({ ok: false, reason: 'unknown-port', node: 'gone_1', port: '' })
  })

  it('takes the only port when Vue Flow reports no handle', () => {
    const check = checkConnection(document, { source: 'sort_1', target: 'out_1' })
    expect(check.ok && check.edge.to).toEqual({ node: 'out_1', port: 'in' })
  })
})
