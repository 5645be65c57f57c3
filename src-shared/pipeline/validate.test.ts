import { describe, expect, it } from 'vitest'
import type { SluiceError } from '../errors'
import { validatePipeline, type ValidationOptions } from './validate'

interface TestNode {
  id: string
  kind: string
  config?: Record<string, unknown>
}
interface TestEdge {
  from: [string, string]
  to: [string, string]
}

/** A format-1 document from nodes and `[node, port]` edges. */
function pipeline(
  nodes: TestNode[],
  edges: TestEdge[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    formatVersion: 1,
    name: 'validation test',
    nodes: nodes.map((node) => ({ config: {}, ...node })),
    edges: edges.map(({ from, to }) => ({
      from: { node: from[0], port: from[1] },
      to: { node: to[0], port: to[1] },
    })),
    ...extra,
  }
}

const csv = (id: string, path = 'in.csv'): TestNode => ({
  id,
  kind: 'source.csv',
  config: { path },
})
const filter = (id: string, where = 'x > 0'): TestNode => ({
  id,
  kind: 'transform.filter',
  config: { where },
})
const link = (from: string, to: string, toPort = 'in', fromPort = 'out'): TestEdge => ({
  from: [from, fromPort],
  to: [to, toPort],
})

/** The errors of a document that must fail validation. */
function errorsOf(document: unknown, options?: ValidationOptions): SluiceError[] {
  const result = validatePipeline(document, options)
  if (result.ok) {
    throw new Error('expected the pipeline to be invalid')
  }
  return result.errors
}

/** The config a node ended up with in a document that must pass validation. */
function validConfig(document: unknown, nodeId: string, options?: ValidationOptions) {
  const result = validatePipeline(document, options)
  if (!result.ok) {
    throw new Error(result.errors.map((error) => error.message).join('\n'))
  }
  return result.pipeline.nodes.find((node) => node.id === nodeId)?.config
}

describe('validatePipeline', () => {
  it('accepts a valid chain and fills config defaults', () => {
    const config = validConfig(pipeline([csv('src'), filter('f')], [link('src', 'f')]), 'src')
    expect(config).toMatchObject({ path: 'in.csv', header: true, encoding: 'auto', delimiter: '' })
  })

  it('rejects an unknown node kind, naming the node and the kind', () => {
    const errors = errorsOf(pipeline([{ id: 'mystery', kind: 'transform.teleport' }]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_KIND',
        nodeId: 'mystery',
        field: 'kind',
        message: 'Node "mystery" has an unknown kind "transform.teleport".',
      }),
    ])
  })

  it('rejects a bad config value, naming the node and the field', () => {
    const errors = errorsOf(pipeline([csv('src'), filter('keep', '   ')], [link('src', 'keep')]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'BAD_CONFIG',
        nodeId: 'keep',
        field: 'config.where',
        message: 'Node "keep", field "config.where": write an expression.',
      }),
    ])
  })

  it('names the nested field of a bad list entry', () => {
    const sort = { id: 'order', kind: 'transform.sort', config: { by: [{ column: '' }] } }
    const errors = errorsOf(pipeline([csv('src'), sort], [link('src', 'order')]))
    expect(errors).toEqual([
      expect.objectContaining({ code: 'BAD_CONFIG', nodeId: 'order', field: 'config.by.0.column' }),
    ])
    expect(errors[0]?.message).toBe('Node "order", field "config.by.0.column": name a column.')
  })

  it('rejects a config key the kind does not have', () => {
    const node = { id: 'src', kind: 'source.csv', config: { path: 'a.csv', delimeter: ';' } }
    const errors = errorsOf(pipeline([node]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'BAD_CONFIG',
        nodeId: 'src',
        field: 'config.delimeter',
        message: 'Node "src", field "config.delimeter": unknown setting delimeter.',
      }),
    ])
  })

  it('rejects a cycle, listing the nodes in it', () => {
    const document = pipeline(
      [csv('src'), filter('a'), filter('b'), filter('c')],
      [link('src', 'a'), link('a', 'b'), link('b', 'c'), link('c', 'a')],
    )
    const errors = errorsOf(document)
    const cycles = errors.filter((error) => error.code === 'CYCLE')
    expect(cycles).toHaveLength(1)
    expect(cycles[0]?.message).toBe(
      'Nodes "a" → "b" → "c" form a cycle; a pipeline must flow one way.',
    )
  })

  it('rejects a node feeding itself', () => {
    const errors = errorsOf(pipeline([filter('loop')], [link('loop', 'loop')]))
    expect(errors.map((error) => error.message)).toContain(
      'Nodes "loop" form a cycle; a pipeline must flow one way.',
    )
  })

  it('rejects a required input that is not connected', () => {
    const errors = errorsOf(pipeline([csv('src'), filter('keep')]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'INPUT_NOT_CONNECTED',
        nodeId: 'keep',
        field: 'inputs.in',
        message: 'Input "in" of node "keep" is required but not connected.',
      }),
    ])
  })

  it('rejects every unconnected input of a custom SQL node by its own name', () => {
    const sql = {
      id: 'join',
      kind: 'transform.sql',
      config: { inputs: ['orders', 'customers'], sql: 'SELECT * FROM orders' },
    }
    const errors = errorsOf(pipeline([csv('o'), sql], [link('o', 'join', 'orders')]))
    expect(errors.map((error) => error.message)).toEqual([
      'Input "customers" of node "join" is required but not connected.',
    ])
  })

  it('rejects two edges into one input', () => {
    const document = pipeline(
      [csv('a', 'a.csv'), csv('b', 'b.csv'), filter('keep')],
      [link('a', 'keep'), link('b', 'keep')],
    )
    expect(errorsOf(document)).toEqual([
      expect.objectContaining({
        code: 'INPUT_CONNECTED_TWICE',
        nodeId: 'keep',
        message: 'Input "in" of node "keep" has 2 edges; an input takes one.',
      }),
    ])
  })

  it('rejects an edge from an output port the node does not have', () => {
    const document = pipeline([csv('src'), filter('keep')], [link('src', 'keep', 'in', 'errors')])
    expect(errorsOf(document)).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_PORT',
        nodeId: 'src',
        field: 'edges.0.from',
        message: 'Node "src" has no output port "errors".',
      }),
    ])
  })

  it('rejects an edge into an input port the node does not have', () => {
    const document = pipeline([csv('src'), filter('keep')], [link('src', 'keep', 'input')])
    const errors = errorsOf(document)
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'UNKNOWN_PORT',
        nodeId: 'keep',
        field: 'edges.0.to',
        message: 'Node "keep" has no input port "input".',
      }),
    )
    // The real input is still unconnected, and is reported too.
    expect(errors.map((error) => error.code).sort()).toEqual([
      'INPUT_NOT_CONNECTED',
      'UNKNOWN_PORT',
    ])
  })

  it('rejects two nodes with the same id', () => {
    const errors = errorsOf(pipeline([csv('src', 'a.csv'), csv('src', 'b.csv')]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_ID',
        nodeId: 'src',
        message: 'Two nodes share the id "src"; give each node its own id.',
      }),
    ])
  })

  it('rejects an edge to a node that is not in the pipeline', () => {
    const errors = errorsOf(pipeline([csv('src')], [link('src', 'ghost')]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_NODE',
        field: 'edges.0.to',
        message: 'An edge refers to node "ghost", which is not in the pipeline.',
      }),
    ])
  })

  it('rejects an unknown ${param}, naming the node and the field', () => {
    const document = pipeline([csv('src', '${inbox}/orders.csv')])
    expect(errorsOf(document)).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_PARAMETER',
        nodeId: 'src',
        field: 'config.path',
        message: 'Node "src", field "config.path" uses parameter "${inbox}", which is not defined.',
      }),
    ])
  })

  it('names the nested field of an unknown ${param} as config errors name fields', () => {
    const derive = {
      id: 'd',
      kind: 'transform.derive',
      config: { columns: [{ name: 'region', expression: "'${region}'" }] },
    }
    const errors = errorsOf(pipeline([csv('src'), derive], [link('src', 'd')]))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_PARAMETER',
        nodeId: 'd',
        field: 'config.columns.0.expression',
      }),
    ])
  })

  it('substitutes parameters from the document, and run-time overrides win', () => {
    const document = pipeline([csv('src', '${inbox}/${month}.csv')], [], {
      parameters: { inbox: '/data/in', month: '2024-01' },
    })
    expect(validConfig(document, 'src')).toMatchObject({ path: '/data/in/2024-01.csv' })
    const overridden = validConfig(document, 'src', { parameters: { month: '2024-02' } })
    expect(overridden).toMatchObject({ path: '/data/in/2024-02.csv' })
  })

  it('substitutes parameters inside lists and nested objects', () => {
    const derive = {
      id: 'd',
      kind: 'transform.derive',
      config: { columns: [{ name: 'region', expression: "'${region}'" }] },
    }
    const document = pipeline([csv('src'), derive], [link('src', 'd')], {
      parameters: { region: 'EU' },
    })
    expect(validConfig(document, 'd')).toEqual({
      columns: [{ name: 'region', expression: "'EU'" }],
    })
  })

  it('rejects a document from a newer Sluice', () => {
    const errors = errorsOf({ ...pipeline([csv('src')]), formatVersion: 7 })
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'FORMAT_TOO_NEW',
        message: 'This pipeline was saved by a newer Sluice (format 7); update Sluice to open it.',
      }),
    ])
  })

  it.each([
    ['an array', []],
    ['a string', 'pipeline'],
    ['null', null],
  ])('rejects %s as not a pipeline', (_label, raw) => {
    expect(errorsOf(raw)).toEqual([
      expect.objectContaining({
        code: 'FORMAT_UNKNOWN',
        message: 'This file is not a Sluice pipeline: it is not a JSON object.',
      }),
    ])
  })

  it('rejects an object without a format version', () => {
    const { formatVersion: _dropped, ...document } = pipeline([csv('src')])
    expect(errorsOf(document).map((error) => error.message)).toEqual([
      'This file is not a Sluice pipeline: it has no whole-number "formatVersion".',
    ])
  })

  it('lists every problem of a document, not just the first', () => {
    const document = pipeline(
      [
        csv('src'),
        csv('src', 'other.csv'),
        { id: 'odd', kind: 'transform.unknown' },
        filter('blank', ''),
        { id: 'typo', kind: 'transform.limit', config: { rows: 5, row: 5 } },
        filter('orphan'),
        csv('late', '${missing}.csv'),
        filter('a'),
        filter('b'),
      ],
      [link('src', 'ghost'), link('a', 'b'), link('b', 'a')],
    )
    const errors = errorsOf(document)
    expect(errors.map((error) => [error.code, error.nodeId ?? error.field])).toEqual(
      expect.arrayContaining([
        ['DUPLICATE_ID', 'src'],
        ['UNKNOWN_KIND', 'odd'],
        ['BAD_CONFIG', 'blank'],
        ['BAD_CONFIG', 'typo'],
        ['UNKNOWN_PARAMETER', 'late'],
        ['UNKNOWN_NODE', 'edges.0.to'],
        ['INPUT_NOT_CONNECTED', 'orphan'],
        ['CYCLE', 'a'],
      ]),
    )
    expect(errors).toHaveLength(8)
  })
})
