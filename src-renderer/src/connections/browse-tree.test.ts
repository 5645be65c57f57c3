import { describe, expect, it } from 'vitest'
import type { BrowseEntry, BrowsePath } from '../../../src-shared/databases'
import { SluiceFailure, sluiceError } from '../../../src-shared/errors'
import { createBrowseTree, sinkConfigFor, sourceConfigFor, type TableEntry } from './browse-tree'

const orders: TableEntry = {
  type: 'table',
  schema: 'public',
  name: 'orders',
  view: false,
  estimatedRows: 1200,
}

/** A fake server with two schemas; records what was asked. */
function fakeServer(schemas = ['public', 'audit']) {
  const asked: BrowsePath[] = []
  const load = async (path: BrowsePath): Promise<BrowseEntry[]> => {
    asked.push(path)
    if (path.schema === undefined) {
      return schemas.map((name) => ({ type: 'schema', name }))
    }
    if (path.table === undefined) {
      return path.schema === 'public' ? [orders] : []
    }
    if (path.table === 'broken') {
      throw new SluiceFailure(sluiceError('INTERNAL', { reason: 'gone' }))
    }
    return [
      {
        type: 'column',
        name: 'id',
        serverType: 'integer',
        duckdbType: 'INTEGER',
        nullable: false,
        primaryKey: true,
      },
    ]
  }
  return { asked, load }
}

const shape = (rows: { type: string; depth: number; entry: { name: string } }[]) =>
  rows.map((row) => `${row.depth}:${row.type}:${row.entry.name}`)

describe('createBrowseTree', () => {
  it('loads schemas first, then each level once when it is opened', async () => {
    const server = fakeServer()
    const tree = createBrowseTree(server.load)
    await tree.reload()
    expect(shape(tree.rows.value)).toEqual(['1:schema:public', '1:schema:audit'])

    await tree.toggle(tree.rows.value[0]!)
    expect(shape(tree.rows.value)).toEqual(['1:schema:public', '2:table:orders', '1:schema:audit'])
    await tree.toggle(tree.rows.value[1]!)
    expect(shape(tree.rows.value)).toEqual([
      '1:schema:public',
      '2:table:orders',
      '3:column:id',
      '1:schema:audit',
    ])

    // Closing and opening again asks nothing new.
    await tree.toggle(tree.rows.value[0]!)
    expect(shape(tree.rows.value)).toEqual(['1:schema:public', '1:schema:audit'])
    await tree.toggle(tree.rows.value[0]!)
    expect(tree.rows.value).toHaveLength(4)
    expect(server.asked).toEqual([{}, { schema: 'public' }, { schema: 'public', table: 'orders' }])
  })

  it('opens the only schema straight away', async () => {
    const tree = createBrowseTree(fakeServer(['main']).load)
    await tree.reload()
    expect(shape(tree.rows.value)).toEqual(['1:schema:main'])
    expect(tree.rows.value[0]).toMatchObject({ expanded: true, loading: false })
  })

  it('keeps a level’s error on its row', async () => {
    const server = fakeServer()
    const tree = createBrowseTree(async (path) =>
      path.schema === 'public' && !path.table ? [{ ...orders, name: 'broken' }] : server.load(path),
    )
    await tree.reload()
    await tree.toggle(tree.rows.value[0]!)
    await tree.toggle(tree.rows.value[1]!)
    expect(tree.rows.value[1]).toMatchObject({
      type: 'table',
      expanded: true,
      error: { code: 'INTERNAL' },
    })
  })

  it('reports a failure to list the schemas', async () => {
    const tree = createBrowseTree(async () => {
      throw new SluiceFailure(sluiceError('CONNECTION_REFUSED', { host: 'localhost', port: 5432 }))
    })
    await tree.reload()
    expect(tree.rootError.value?.code).toBe('CONNECTION_REFUSED')
    expect(tree.rootLoading.value).toBe(false)
    expect(tree.rows.value).toEqual([])
  })
})

describe('node configs for a table', () => {
  it('reads or appends to the table through the connection', () => {
    expect(sourceConfigFor('c1', orders)).toEqual({
      connection: 'c1',
      schema: 'public',
      table: 'orders',
    })
    expect(sinkConfigFor('c1', orders)).toEqual({
      connection: 'c1',
      schema: 'public',
      table: 'orders',
      mode: 'append',
    })
  })
})
