import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src-shared/run'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
let target: string
beforeEach(async () => {
  sandbox = await createSandbox()
  target = join(sandbox.dir, 'warehouse', 'sales.duckdb')
})
afterEach(() => sandbox.close())

/** Stages `csv` and writes it to table `orders` of the target database with `mode`. */
async function load(csv: string, mode?: string, table = 'orders'): Promise<RunResult> {
  const path = sandbox.write('in.csv', csv)
  const { result } = await sandbox.run(
    chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      {
        id: 'load',
        kind: 'sink.duckdb',
        config: { path: target, table, ...(mode ? { mode } : {}) },
      },
    ),
  )
  return result
}

/** Rows read from the target database, attached read-only for the query and detached after. */
async function targetRows(sql: string): Promise<Array<Record<string, unknown>>> {
  await sandbox.rows(`ATTACH '${target}' AS target (READ_ONLY)`)
  try {
    return await sandbox.rows(sql)
  } finally {
    await sandbox.rows('DETACH target')
  }
}

const orders = () => targetRows('SELECT * FROM target.orders ORDER BY id')

describe('DuckDB table sink', () => {
  it('creates the database and the table, and says what it wrote', async () => {
    const result = await load('id,item\n1,pen\n2,ink\n')
    expect(result.errors).toEqual([])
    expect(result.nodes[1]).toMatchObject({
      status: 'done',
      rowsOut: 2,
      written: `${target}#orders`,
    })
    expect(await orders()).toEqual([
      { id: 1, item: 'pen' },
      { id: 2, item: 'ink' },
    ])
  })

  it('replaces the table by default, taking the new columns', async () => {
    await load('id,item\n1,pen\n2,ink\n')
    await load('id,item,qty\n3,pad,5\n')
    expect(await orders()).toEqual([{ id: 3, item: 'pad', qty: 5 }])
  })

  it('appends to the table, matching columns by name', async () => {
    await load('id,item\n1,pen\n', 'append')
    const result = await load('item,id\nink,2\npad,3\n', 'append')
    expect(result.nodes[1]).toMatchObject({ status: 'done', rowsOut: 2 })
    expect(await orders()).toEqual([
      { id: 1, item: 'pen' },
      { id: 2, item: 'ink' },
      { id: 3, item: 'pad' },
    ])
  })

  it('creates a new table, and refuses to touch one that exists, naming the node', async () => {
    expect((await load('id,item\n1,pen\n', 'create')).errors).toEqual([])
    const result = await load('id,item\n9,bad\n', 'create')
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'WRITE_FAILED', nodeId: 'load', field: 'config.mode' }),
    ])
    expect(result.errors[0]?.message).toBe(
      `Node "load" could not write ${target}: table "orders" already exists and the mode is "create"`,
    )
    expect(await orders()).toEqual([{ id: 1, item: 'pen' }])
  })

  it('leaves the table as it was when an append fails, and says why', async () => {
    await load('id,item\n1,pen\n', 'append')
    const result = await load('id,item,colour\n2,ink,blue\n', 'append')
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'WRITE_FAILED', nodeId: 'load' })
    expect(result.errors[0]?.message).toMatch(
      new RegExp(`^Node "load" could not write ${target}: .*colour`),
    )
    expect(await orders()).toEqual([{ id: 1, item: 'pen' }])
  })

  it('keeps other tables of the database as they are', async () => {
    await load('code\nEU\n', 'replace', 'regions')
    await load('id,item\n1,pen\n')
    await load('id,item\n2,ink\n')
    expect(await targetRows('SELECT * FROM target.regions')).toEqual([{ code: 'EU' }])
    expect(await orders()).toEqual([{ id: 2, item: 'ink' }])
  })

  it('fails naming the node and the file when the target is not a DuckDB database', async () => {
    target = sandbox.write('notes.duckdb', 'just some text, not a database\n')
    const result = await load('id\n1\n')
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'WRITE_FAILED', nodeId: 'load' })
    expect(result.errors[0]?.message).toMatch(
      new RegExp(`^Node "load" could not write ${target}: `),
    )
    expect(readFileSync(target, 'utf8')).toBe('just some text, not a database\n')
  })
})
