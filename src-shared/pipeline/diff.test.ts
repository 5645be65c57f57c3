import { describe, expect, it } from 'vitest'
import sample from '../../resources/samples/orders/pipeline.json'
import { describeDiff, diffPipelines } from './diff'
import { pipelineSchema, type Pipeline, type PipelineNode } from './document'

const orders: Pipeline = pipelineSchema.parse(sample)

/** A fresh copy of the orders sample to edit. */
function copy(): Pipeline {
  return structuredClone(orders)
}

function node(pipeline: Pipeline, id: string): PipelineNode {
  const found = pipeline.nodes.find((candidate) => candidate.id === id)
  if (found === undefined) {
    throw new Error(`the orders sample has no node ${id}`)
  }
  return found
}

describe('diffPipelines', () => {
  it('finds nothing between identical documents', () => {
    const diff = diffPipelines(orders, copy())

    expect(diff).toEqual({
      nodesAdded: [],
      nodesRemoved: [],
      nodesChanged: [],
      edgesAdded: [],
      edgesRemoved: [],
      pipelineChanges: [],
    })
    expect(describeDiff(diff)).toEqual([])
  })

  it('reports an added node with its kind and the edges that reach it', () => {
    const after = copy()
    after.nodes.push({
      id: 'dedupe_customers',
      kind: 'transform.dedupe',
      position: { x: 1125, y: 150 },
      config: { keys: ['email'], keep: 'first' },
    })
    after.edges.push({
      from: { node: 'new_customers', port: 'out' },
      to: { node: 'dedupe_customers', port: 'in' },
    })

    const diff = diffPipelines(orders, after)

    expect(diff.nodesAdded).toEqual([{ id: 'dedupe_customers', kind: 'transform.dedupe' }])
    expect(diff.nodesRemoved).toEqual([])
    expect(diff.nodesChanged).toEqual([])
    expect(diff.edgesAdded).toEqual(['new_customers:out → dedupe_customers:in'])
    expect(describeDiff(diff)).toEqual([
      'added node "dedupe_customers" (transform.dedupe)',
      'added edge new_customers:out → dedupe_customers:in',
    ])
  })

  it('reports a removed node with its kind and its edges', () => {
    const after = copy()
    after.nodes = after.nodes.filter((candidate) => candidate.id !== 'write_leads_parquet')
    after.edges = after.edges.filter((edge) => edge.to.node !== 'write_leads_parquet')

    const diff = diffPipelines(orders, after)

    expect(diff.nodesRemoved).toEqual([{ id: 'write_leads_parquet', kind: 'sink.parquet' }])
    expect(diff.edgesRemoved).toEqual(['sales_leads:out → write_leads_parquet:in'])
    expect(describeDiff(diff)).toEqual([
      'removed node "write_leads_parquet" (sink.parquet)',
      'removed edge sales_leads:out → write_leads_parquet:in',
    ])
  })

  it('lists a changed config field with its old and new values', () => {
    const after = copy()
    node(after, 'unique_orders').config['keep'] = 'last'
    node(after, 'valid_orders').config['where'] = 'customer_email IS NOT NULL'

    const diff = diffPipelines(orders, after)

    expect(diff.nodesChanged).toEqual([
      {
        id: 'unique_orders',
        kind: 'transform.dedupe',
        changes: [{ field: 'config.keep', before: 'first', after: 'last' }],
      },
      {
        id: 'valid_orders',
        kind: 'transform.filter',
        changes: [
          {
            field: 'config.where',
            before: 'customer_email IS NOT NULL AND order_date IS NOT NULL',
            after: 'customer_email IS NOT NULL',
          },
        ],
      },
    ])
    expect(describeDiff(diff)).toEqual([
      'node "unique_orders" config.keep: "first" → "last"',
      'node "valid_orders" config.where: "customer_email IS NOT NULL AND order_date IS NOT NULL" → "customer_email IS NOT NULL"',
    ])
  })

  it('points into nested arrays and objects by index and key', () => {
    const after = copy()
    const clean = node(after, 'clean_orders')
    const columns = clean.config['columns'] as Array<{ name: string; expression: string }>
    columns[1] = { name: 'customer_name', expression: 'upper(trim(customer_name))' }
    columns.push({ name: 'city', expression: 'trim(city)' })
    const raw = node(after, 'raw_orders')
    ;(raw.config['columnTypes'] as Record<string, string>)['amount'] = 'DOUBLE'

    const diff = diffPipelines(orders, after)

    expect(diff.nodesChanged).toEqual([
      {
        id: 'clean_orders',
        kind: 'transform.derive',
        changes: [
          {
            field: 'config.columns.1.expression',
            before: 'trim(customer_name)',
            after: 'upper(trim(customer_name))',
          },
          {
            field: 'config.columns.4',
            before: undefined,
            after: { name: 'city', expression: 'trim(city)' },
          },
        ],
      },
      {
        id: 'raw_orders',
        kind: 'source.csv',
        changes: [{ field: 'config.columnTypes.amount', before: 'DECIMAL(12,2)', after: 'DOUBLE' }],
      },
    ])
    expect(describeDiff(diff)).toEqual([
      'node "clean_orders" config.columns.1.expression: "trim(customer_name)" → "upper(trim(customer_name))"',
      'node "clean_orders" config.columns.4: (none) → {"name":"city","expression":"trim(city)"}',
      'node "raw_orders" config.columnTypes.amount: "DECIMAL(12,2)" → "DOUBLE"',
    ])
  })

  it('shows a removed array element with after undefined', () => {
    const after = copy()
    node(after, 'sales_leads').config['inputs'] = ['orders']

    const diff = diffPipelines(orders, after)

    expect(diff.nodesChanged).toEqual([
      {
        id: 'sales_leads',
        kind: 'transform.sql',
        changes: [{ field: 'config.inputs.1', before: 'leads', after: undefined }],
      },
    ])
  })

  it('reports moves, labels, notes and kind as their own fields, sorted by field', () => {
    const after = copy()
    const sink = node(after, 'write_orders')
    sink.position = { x: 1000, y: -50 }
    sink.label = 'Cleaned orders'
    sink.notes = 'For the finance team.'
    sink.kind = 'sink.parquet'
    const clean = node(after, 'clean_orders')
    delete clean.notes

    const diff = diffPipelines(orders, after)

    expect(diff.nodesChanged).toEqual([
      {
        id: 'clean_orders',
        kind: 'transform.derive',
        changes: [
          {
            field: 'notes',
            before:
              'Emails and order types are trimmed and lower-cased; dates that do not parse become NULL.',
            after: undefined,
          },
        ],
      },
      {
        id: 'write_orders',
        kind: 'sink.parquet',
        changes: [
          { field: 'kind', before: 'sink.csv', after: 'sink.parquet' },
          { field: 'label', before: undefined, after: 'Cleaned orders' },
          { field: 'notes', before: undefined, after: 'For the finance team.' },
          { field: 'position.y', before: -100, after: -50 },
        ],
      },
    ])
    expect(describeDiff(diff)).toContain('node "write_orders" position.y: -100 → -50')
  })

  it('reports a rewired edge as one removed and one added', () => {
    const after = copy()
    const edge = after.edges.find(
      (candidate) =>
        candidate.from.node === 'unique_orders' && candidate.to.node === 'write_orders',
    )
    if (edge === undefined) {
      throw new Error('the orders sample has no unique_orders → write_orders edge')
    }
    edge.from = { node: 'valid_orders', port: 'out' }

    const diff = diffPipelines(orders, after)

    expect(diff.edgesRemoved).toEqual(['unique_orders:out → write_orders:in'])
    expect(diff.edgesAdded).toEqual(['valid_orders:out → write_orders:in'])
    expect(diff.nodesChanged).toEqual([])
    expect(describeDiff(diff)).toEqual([
      'added edge valid_orders:out → write_orders:in',
      'removed edge unique_orders:out → write_orders:in',
    ])
  })

  it('ignores the order of nodes and edges in the document', () => {
    const after = copy()
    after.nodes.reverse()
    after.edges.reverse()

    expect(describeDiff(diffPipelines(orders, after))).toEqual([])
  })

  it('reports name, description and each parameter', () => {
    const after = copy()
    after.name = 'Orders (2025)'
    after.description = undefined
    after.parameters = { data: 'data/2025', region: 'eu' }

    const diff = diffPipelines(orders, after)

    expect(diff.pipelineChanges).toEqual([
      { field: 'name', before: 'Orders to customers and sales leads', after: 'Orders (2025)' },
      { field: 'description', before: orders.description, after: undefined },
      { field: 'parameters.data', before: 'data', after: 'data/2025' },
      { field: 'parameters.output', before: 'output', after: undefined },
      { field: 'parameters.region', before: undefined, after: 'eu' },
    ])
    expect(describeDiff(diff)).toEqual([
      'pipeline name: "Orders to customers and sales leads" → "Orders (2025)"',
      `pipeline description: ${JSON.stringify(orders.description)} → (none)`,
      'pipeline parameters.data: "data" → "data/2025"',
      'pipeline parameters.output: "output" → (none)',
      'pipeline parameters.region: (none) → "eu"',
    ])
  })

  it('does not change the documents it compares', () => {
    const before = copy()
    const after = copy()
    node(after, 'unique_orders').config['keys'] = ['order_id', 'line']
    const snapshot = JSON.stringify([before, after])

    diffPipelines(before, after)

    expect(JSON.stringify([before, after])).toBe(snapshot)
  })
})
