import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src-shared/run'
import {
  chain,
  createSandbox,
  transformNode,
  type ChainedNode,
  type EngineSandbox,
} from '../test-support'

// Transforms that choose, order or combine rows. Column transforms are in transforms.test.ts.

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const transform = transformNode
const csvSource = (id: string, path: string): ChainedNode => ({
  id,
  kind: 'source.csv',
  config: { path },
})
const runOn = (csv: string, nodes: ChainedNode[], options: { reuse?: boolean } = {}) =>
  sandbox.runOn(csv, nodes, options)
const output = (nodeId: string) => sandbox.output(nodeId)

/** `id,n` rows 1..count, so a sample's picks are easy to read. */
const numbered = (count: number): string =>
  `id,n\n${Array.from({ length: count }, (_, i) => `${i + 1},${(i + 1) * 10}`).join('\n')}\n`

describe('dedupe', () => {
  const visits = [
    'user,page,ts',
    'ann,home,3',
    'bob,home,1',
    'ann,home,3',
    'ann,cart,5',
    'bob,cart,2',
    'ann,home,3',
    'cy,home,',
    'cy,cart,4',
  ].join('\n')

  it('removes rows identical in every column, keeping the first of each in input order', async () => {
    const result = await runOn(visits, [transform('once', 'dedupe', {})])
    expect(result.nodes[1]).toMatchObject({ rowsIn: 8, rowsOut: 6 })
    expect(await output('once')).toEqual([
      { user: 'ann', page: 'home', ts: 3 },
      { user: 'bob', page: 'home', ts: 1 },
      { user: 'ann', page: 'cart', ts: 5 },
      { user: 'bob', page: 'cart', ts: 2 },
      { user: 'cy', page: 'home', ts: null },
      { user: 'cy', page: 'cart', ts: 4 },
    ])
  })

  it('keeps the first or the last row of each key in input order', async () => {
    await runOn(visits, [transform('first', 'dedupe', { keys: ['user'], keep: 'first' })])
    expect(await output('first')).toEqual([
      { user: 'ann', page: 'home', ts: 3 },
      { user: 'bob', page: 'home', ts: 1 },
      { user: 'cy', page: 'home', ts: null },
    ])
    await runOn(visits, [transform('last', 'dedupe', { keys: ['user'], keep: 'last' })])
    expect(await output('last')).toEqual([
      { user: 'bob', page: 'cart', ts: 2 },
      { user: 'ann', page: 'home', ts: 3 },
      { user: 'cy', page: 'cart', ts: 4 },
    ])
  })

  it('keeps the first or the last row of each key by an order column', async () => {
    await runOn(visits, [
      transform('first', 'dedupe', { keys: ['user'], keep: 'first', orderBy: 'ts' }),
    ])
    expect(await output('first')).toEqual([
      { user: 'ann', page: 'home', ts: 3 },
      { user: 'bob', page: 'home', ts: 1 },
      { user: 'cy', page: 'cart', ts: 4 },
    ])
    await runOn(visits, [
      transform('last', 'dedupe', { keys: ['user'], keep: 'last', orderBy: 'ts' }),
    ])
    expect(await output('last')).toEqual([
      { user: 'ann', page: 'cart', ts: 5 },
      { user: 'bob', page: 'cart', ts: 2 },
      { user: 'cy', page: 'cart', ts: 4 },
    ])
  })

  it('orders by a list of columns, or by one ending in a -- comment', async () => {
    const csv = 'k,day,seq\na,2,1\na,2,3\na,1,9\nb,5,2\nb,5,1\n'
    await runOn(csv, [
      transform('last', 'dedupe', { keys: ['k'], keep: 'last', orderBy: 'day, seq' }),
    ])
    expect(await output('last')).toEqual([
      { k: 'a', day: 2, seq: 3 },
      { k: 'b', day: 5, seq: 2 },
    ])
    const result = await runOn(csv, [
      transform('first', 'dedupe', { keys: ['k'], orderBy: 'seq -- oldest first' }),
    ])
    expect(result.errors).toEqual([])
    expect(await output('first')).toEqual([
      { k: 'a', day: 2, seq: 1 },
      { k: 'b', day: 5, seq: 1 },
    ])
  })

  it('uses several key columns together', async () => {
    await runOn(visits, [transform('pages', 'dedupe', { keys: ['user', 'page'], keep: 'last' })])
    expect(await output('pages')).toEqual([
      { user: 'bob', page: 'home', ts: 1 },
      { user: 'ann', page: 'cart', ts: 5 },
      { user: 'bob', page: 'cart', ts: 2 },
      { user: 'ann', page: 'home', ts: 3 },
      { user: 'cy', page: 'home', ts: null },
      { user: 'cy', page: 'cart', ts: 4 },
    ])
  })
})

describe('sort', () => {
  const scores = 'name,team,score\nAnn,red,7\nBob,blue,\nCy,red,9\nDi,blue,7\nEd,,7\nFy,red,\n'

  it('orders by several columns, each ascending or descending, nulls last by default', async () => {
    await runOn(scores, [
      transform('rank', 'sort', {
        by: [{ column: 'score', descending: true }, { column: 'team' }],
      }),
    ])
    expect((await output('rank')).map((row) => row.name)).toEqual([
      'Cy',
      'Di',
      'Ann',
      'Ed',
      'Bob',
      'Fy',
    ])
  })

  it('puts nulls first where asked', async () => {
    await runOn(scores, [
      transform('rank', 'sort', {
        by: [
          { column: 'team', nullsFirst: true },
          { column: 'score', descending: true, nullsFirst: true },
        ],
      }),
    ])
    expect(await output('rank')).toEqual([
      { name: 'Ed', team: null, score: 7 },
      { name: 'Bob', team: 'blue', score: null },
      { name: 'Di', team: 'blue', score: 7 },
      { name: 'Fy', team: 'red', score: null },
      { name: 'Cy', team: 'red', score: 9 },
      { name: 'Ann', team: 'red', score: 7 },
    ])
  })
})

describe('limit', () => {
  it('keeps the first N rows in input order', async () => {
    const result = await runOn(numbered(10), [transform('top', 'limit', { rows: 3 })])
    expect(result.nodes[1]).toMatchObject({ rowsIn: 10, rowsOut: 3 })
    expect(await output('top')).toEqual([
      { id: 1, n: 10 },
      { id: 2, n: 20 },
      { id: 3, n: 30 },
    ])
  })

  it('samples exactly N rows, kept in input order, the same rows for the same seed', async () => {
    const sample = (seed: number) => transform('pick', 'limit', { mode: 'sample', rows: 7, seed })
    const ids = async () => (await output('pick')).map((row) => Number(row.id))

    const first = await runOn(numbered(200), [sample(11)])
    expect(first.nodes[1]).toMatchObject({ status: 'done', rowsOut: 7 })
    const picked = await ids()
    expect(picked).toHaveLength(7)
    expect(new Set(picked).size).toBe(7)
    expect(picked).toEqual([...picked].sort((a, b) => a - b))

    const again = await runOn(numbered(200), [sample(11)], { reuse: false })
    expect(again.nodes[1]?.status).toBe('done')
    expect(await ids()).toEqual(picked)

    await runOn(numbered(200), [sample(12)], { reuse: false })
    expect(await ids()).not.toEqual(picked)
  })

  it('samples a percentage of rows, reproducibly', async () => {
    const sample = transform('pick', 'limit', { mode: 'sample', percent: 25, seed: 3 })
    const first = await runOn(numbered(2000), [sample])
    const rows = first.nodes[1]?.rowsOut ?? 0
    expect(rows).toBeGreaterThan(400)
    expect(rows).toBeLessThan(600)
    const picked = await output('pick')
    await runOn(numbered(2000), [sample], { reuse: false })
    expect(await output('pick')).toEqual(picked)
  })

  it('keeps every row when the sample is larger than the input', async () => {
    await runOn(numbered(4), [transform('pick', 'limit', { mode: 'sample', rows: 50 })])
    expect((await output('pick')).map((row) => row.id)).toEqual([1, 2, 3, 4])
  })
})

describe('custom SQL', () => {
  /** Orders and customers staged by two sources, joined by a SQL node with two named inputs. */
  async function runJoin(sql: string): Promise<RunResult> {
    const orders = sandbox.write(
      'orders.csv',
      'order_id,customer_id,amount\n1,c1,10\n2,c2,5\n3,c1,7\n',
    )
    const customers = sandbox.write('customers.csv', 'customer_id,name\nc1,Ann\nc2,Bob\nc3,Cy\n')
    const document = {
      formatVersion: 1,
      nodes: [
        csvSource('o', orders),
        csvSource('c', customers),
        transform('joined', 'sql', { inputs: ['orders', 'customers'], sql }),
      ],
      edges: [
        { from: { node: 'o', port: 'out' }, to: { node: 'joined', port: 'orders' } },
        { from: { node: 'c', port: 'out' }, to: { node: 'joined', port: 'customers' } },
      ],
    }
    const { result } = await sandbox.run(document)
    return result
  }

  it('joins two named inputs', async () => {
    const result = await runJoin(
      'SELECT o.order_id, c.name, o.amount FROM orders o JOIN customers c USING (customer_id) ORDER BY o.order_id',
    )
    expect(result.errors).toEqual([])
    expect(result.nodes.find((node) => node.nodeId === 'joined')).toMatchObject({
      rowsIn: 6,
      rowsOut: 3,
    })
    expect(await output('joined')).toEqual([
      { order_id: 1, name: 'Ann', amount: 10 },
      { order_id: 2, name: 'Bob', amount: 5 },
      { order_id: 3, name: 'Ann', amount: 7 },
    ])
  })

  it('runs a query with its own WITH clause and a trailing semicolon, keeping its ORDER BY', async () => {
    const result = await runJoin(`
      WITH totals AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id)
      SELECT c.name, coalesce(t.total, 0) AS total
      FROM customers c LEFT JOIN totals t USING (customer_id)
      ORDER BY total DESC, c.name;
    `)
    expect(result.errors).toEqual([])
    expect(await output('joined')).toEqual([
      { name: 'Ann', total: 17 },
      { name: 'Bob', total: 5 },
      { name: 'Cy', total: 0 },
    ])
  })

  it('reads a single input as "input", ignoring a final semicolon and comments', async () => {
    const sql = 'SELECT sum(n) AS total FROM input; -- one row\n-- end of query\n'
    const { result } = await sandbox.run(
      chain(csvSource('src', sandbox.write('in.csv', numbered(3))), {
        ...transform('q', 'sql', { sql }),
        inputPort: 'input',
      }),
    )
    expect(result.errors).toEqual([])
    expect(await output('q')).toEqual([{ total: 60 }])
  })

  it('fails naming the node and what DuckDB could not find', async () => {
    const result = await runJoin('SELECT * FROM invoices')
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'SQL_ERROR', nodeId: 'joined' })
    expect(result.errors[0]?.message).toMatch(/^Node "joined" failed: .*invoices/)
  })
})
