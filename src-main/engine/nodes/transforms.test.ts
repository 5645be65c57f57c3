import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, transformNode, type ChainedNode, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const transform = transformNode
const runOn = (csv: string, nodes: ChainedNode[], sourceConfig: Record<string, unknown> = {}) =>
  sandbox.runOn(csv, nodes, { sourceConfig })
const output = (nodeId: string) => sandbox.output(nodeId)

const people = 'id,name,city,age\n1,Ann,Oslo,34\n2,Bob,Rome,\n3,Cy,Oslo,51\n4,Di,,27\n'

describe('select', () => {
  it('keeps the listed columns in the listed order, renaming those given a name', async () => {
    const result = await runOn(people, [
      transform('pick', 'select', {
        columns: [{ name: 'city' }, { name: 'name', as: 'person' }, { name: 'id', as: 'id' }],
      }),
    ])
    expect(result.errors).toEqual([])
    expect(await output('pick')).toEqual([
      { city: 'Oslo', person: 'Ann', id: 1 },
      { city: 'Rome', person: 'Bob', id: 2 },
      { city: 'Oslo', person: 'Cy', id: 3 },
      { city: null, person: 'Di', id: 4 },
    ])
  })

  it('fails naming the node and the column that does not exist', async () => {
    const result = await runOn(people, [
      transform('pick', 'select', { columns: [{ name: 'town' }] }),
    ])
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'SQL_ERROR', nodeId: 'pick' })
    expect(result.errors[0]?.message).toMatch(/^Node "pick" failed: .*"town"/)
  })
})

describe('filter', () => {
  it('keeps rows where the condition is true, dropping false and NULL', async () => {
    const result = await runOn(people, [
      transform('keep', 'filter', { where: "age > 30 AND city = 'Oslo'" }),
    ])
    expect(result.nodes[1]).toMatchObject({ rowsIn: 4, rowsOut: 2 })
    expect(await output('keep')).toEqual([
      { id: 1, name: 'Ann', city: 'Oslo', age: 34 },
      { id: 3, name: 'Cy', city: 'Oslo', age: 51 },
    ])
  })

  it('accepts a condition that ends with a -- comment', async () => {
    const result = await runOn(people, [
      transform('keep', 'filter', { where: "city = 'Rome' -- only the Rome office" }),
    ])
    expect(result.errors).toEqual([])
    expect(await output('keep')).toEqual([{ id: 2, name: 'Bob', city: 'Rome', age: null }])
  })

  it('keeps no rows when nothing matches, and the run still succeeds', async () => {
    const result = await runOn(people, [transform('keep', 'filter', { where: 'age > 100' })])
    expect(result.status).toBe('succeeded')
    expect(result.nodes[1]?.rowsOut).toBe(0)
  })
})

describe('derive', () => {
  it('adds columns, and a later column can use one derived earlier in the node', async () => {
    const csv = 'item,price,qty\npen,1.5,4\nink,10,2\n'
    await runOn(csv, [
      transform('calc', 'derive', {
        columns: [
          { name: 'total', expression: 'price * qty' },
          { name: 'with_vat', expression: 'round(total * 1.25, 2)' },
          { name: 'label', expression: "upper(item) || ': ' || with_vat" },
        ],
      }),
    ])
    expect(await output('calc')).toEqual([
      { item: 'pen', price: 1.5, qty: 4, total: 6, with_vat: 7.5, label: 'PEN: 7.5' },
      { item: 'ink', price: 10, qty: 2, total: 20, with_vat: 25, label: 'INK: 25.0' },
    ])
  })

  it('accepts an expression that ends with a -- comment', async () => {
    const result = await runOn(people, [
      transform('calc', 'derive', {
        columns: [{ name: 'next_age', expression: 'age + 1 -- age next year' }],
      }),
    ])
    expect(result.errors).toEqual([])
    expect((await output('calc')).map((row) => row.next_age)).toEqual([35, null, 52, 28])
  })

  it('replaces an existing column in place, and later columns see the new value', async () => {
    await runOn(people, [
      transform('calc', 'derive', {
        columns: [
          { name: 'name', expression: 'lower(name)' },
          { name: 'greeting', expression: "'hi ' || name" },
        ],
      }),
    ])
    const rows = await output('calc')
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'name', 'city', 'age', 'greeting'])
    expect(rows.map((row) => [row.name, row.greeting])).toEqual([
      ['ann', 'hi ann'],
      ['bob', 'hi bob'],
      ['cy', 'hi cy'],
      ['di', 'hi di'],
    ])
  })
})

describe('cast', () => {
  const amounts = 'id,amount,day\n1,12,2024-01-05\n2,abc,2024-02-30\n3,7,2024-03-01\n4,,\n5,n/a,x\n'

  it('converts columns to the chosen types', async () => {
    const result = await runOn(
      'id,amount,day\n1,12,2024-01-05\n2,,2024-03-01\n',
      [
        transform('types', 'cast', {
          columns: [
            { name: 'amount', type: 'INTEGER' },
            { name: 'day', type: 'DATE' },
          ],
        }),
      ],
      { allText: true },
    )
    expect(result.errors).toEqual([])
    expect(
      await sandbox.rows(
        'SELECT id, amount, typeof(amount) AS amount_type, day, typeof(day) AS day_type FROM "types__out"',
      ),
    ).toEqual([
      { id: '1', amount: 12, amount_type: 'INTEGER', day: '2024-01-05', day_type: 'DATE' },
      { id: '2', amount: null, amount_type: 'INTEGER', day: '2024-03-01', day_type: 'DATE' },
    ])
  })

  it('fails on values that do not convert, naming the column, the count and an example', async () => {
    const result = await runOn(
      amounts,
      [transform('types', 'cast', { columns: [{ name: 'amount', type: 'INTEGER' }] })],
      { allText: true },
    )
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'SQL_ERROR', nodeId: 'types', field: 'config.columns.0' }),
    ])
    expect(result.errors[0]?.message).toMatch(
      /^Node "types" failed: 2 value\(s\) of column "amount" do not convert to INTEGER, e\.g\. "(abc|n\/a)"$/,
    )
  })

  it('turns values that do not convert into NULL with a warning giving the count', async () => {
    const result = await runOn(
      amounts,
      [
        transform('types', 'cast', {
          columns: [
            { name: 'amount', type: 'INTEGER', onError: 'null' },
            { name: 'day', type: 'DATE', onError: 'null' },
          ],
        }),
      ],
      { allText: true },
    )
    expect(result.status).toBe('succeeded')
    const warnings = result.nodes[1]?.warnings ?? []
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(
      /^2 value\(s\) of column "amount" do not convert to INTEGER, e\.g\. "(abc|n\/a)"; they became NULL$/,
    )
    expect(warnings[1]).toMatch(/^2 value\(s\) of column "day" do not convert to DATE, e\.g\. /)
    expect(await sandbox.rows('SELECT amount, day FROM "types__out"')).toEqual([
      { amount: 12, day: '2024-01-05' },
      { amount: null, day: null },
      { amount: 7, day: '2024-03-01' },
      { amount: null, day: null },
      { amount: null, day: null },
    ])
  })
})

describe('fill', () => {
  const gaps = 'id,qty,city\n1,10,Oslo\n2,,\n3,40,Rome\n4,,Oslo\n5,,\n'

  it('fills with a constant, cast to the column type', async () => {
    await runOn(gaps, [
      transform('fill', 'fill', {
        columns: [
          { name: 'qty', strategy: 'constant', value: '0' },
          { name: 'city', strategy: 'constant', value: "'unknown'" },
        ],
      }),
    ])
    expect(await output('fill')).toEqual([
      { id: 1, qty: 10, city: 'Oslo' },
      { id: 2, qty: 0, city: 'unknown' },
      { id: 3, qty: 40, city: 'Rome' },
      { id: 4, qty: 0, city: 'Oslo' },
      { id: 5, qty: 0, city: 'unknown' },
    ])
  })

  it('fills with the previous non-null value in input order, keeping the input order', async () => {
    await runOn(gaps, [
      transform('fill', 'fill', {
        columns: [
          { name: 'qty', strategy: 'previous' },
          { name: 'city', strategy: 'previous' },
        ],
      }),
    ])
    expect(await output('fill')).toEqual([
      { id: 1, qty: 10, city: 'Oslo' },
      { id: 2, qty: 10, city: 'Oslo' },
      { id: 3, qty: 40, city: 'Rome' },
      { id: 4, qty: 40, city: 'Oslo' },
      { id: 5, qty: 40, city: 'Oslo' },
    ])
  })

  it('fills with the previous value in a given order', async () => {
    const csv = 'day,price\n3,\n1,5\n4,\n2,8\n'
    await runOn(csv, [
      transform('fill', 'fill', {
        columns: [{ name: 'price', strategy: 'previous' }],
        orderBy: 'day',
      }),
    ])
    expect(await output('fill')).toEqual([
      { day: 3, price: 8 },
      { day: 1, price: 5 },
      { day: 4, price: 8 },
      { day: 2, price: 8 },
    ])
  })

  it('finds the column whatever case the config spells it in, keeping its type and name', async () => {
    const result = await runOn('Id,Qty\n1,5\n2,\n', [
      transform('fill', 'fill', {
        columns: [{ name: 'qty', strategy: 'constant', value: '0 -- none counted' }],
      }),
    ])
    expect(result.errors).toEqual([])
    expect(await sandbox.rows('SELECT *, typeof("Qty") AS qty_type FROM "fill__out"')).toEqual([
      { Id: 1, Qty: 5, qty_type: 'BIGINT' },
      { Id: 2, Qty: 0, qty_type: 'BIGINT' },
    ])
  })

  it('fills with the column mean and the column mode', async () => {
    await runOn(gaps, [
      transform('fill', 'fill', {
        columns: [
          { name: 'qty', strategy: 'mean' },
          { name: 'city', strategy: 'mode' },
        ],
      }),
    ])
    expect(await output('fill')).toEqual([
      { id: 1, qty: 10, city: 'Oslo' },
      { id: 2, qty: 25, city: 'Oslo' },
      { id: 3, qty: 40, city: 'Rome' },
      { id: 4, qty: 25, city: 'Oslo' },
      { id: 5, qty: 25, city: 'Oslo' },
    ])
  })
})
