import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { SluiceError } from '../../src-shared/errors'
import { SluiceFailure } from '../../src-shared/errors'
import type { Pipeline } from '../../src-shared/pipeline'
import type { RunRecord } from '../../src-shared/project'
import { createServiceSandbox, type ServiceSandbox } from './test-support'

let sandbox: ServiceSandbox
let shopFile: string
beforeEach(async () => {
  sandbox = await createServiceSandbox()
  shopFile = join(sandbox.dir, 'shop.sqlite')
  const db = new Database(shopFile)
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
    INSERT INTO customers VALUES (1, 'Ada', 'London'), (2, 'Zhāng Wěi', '北京'), (3, 'Bob', NULL);
    CREATE TABLE customer_copy (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
    INSERT INTO customer_copy VALUES (1, 'Ada', 'Paris');
  `)
  db.close()
})
afterEach(() => sandbox.close())

/** The error a request failed with; a request that succeeded fails the test. */
async function failureOf(request: Promise<unknown>): Promise<SluiceError> {
  try {
    await request
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      return thrown.error
    }
    throw thrown
  }
  throw new Error('the request succeeded')
}

function copyPipeline(): Pipeline {
  return {
    formatVersion: 1,
    name: 'Copy customers',
    parameters: { output: 'out' },
    nodes: [
      {
        id: 'customers',
        kind: 'source.database',
        position: { x: 0, y: 0 },
        config: { connection: 'Shop', table: 'customers' },
      },
      {
        id: 'push',
        kind: 'sink.database',
        position: { x: 200, y: 0 },
        config: { connection: 'Shop', table: 'customer_copy', mode: 'upsert', keys: ['id'] },
      },
      {
        id: 'file',
        kind: 'sink.csv',
        position: { x: 200, y: 100 },
        config: { path: '${output}/customers.csv' },
      },
    ],
    edges: [
      { from: { node: 'customers', port: 'out' }, to: { node: 'push', port: 'in' } },
      { from: { node: 'customers', port: 'out' }, to: { node: 'file', port: 'in' } },
    ],
  }
}

function copiedRows(): unknown[] {
  const db = new Database(shopFile, { readonly: true })
  try {
    return db.prepare('SELECT id, name, city FROM customer_copy ORDER BY id').all()
  } finally {
    db.close()
  }
}

it('tests and browses a SQLite connection by the path relative to the project', async () => {
  const { client } = sandbox
  const shop = await client['connection/create']({
    name: 'Shop',
    kind: 'sqlite',
    database: 'shop.sqlite',
  })
  expect((await client['connection/test']({ id: shop.id })).serverVersion).toMatch(/3\.\d+/)
  const schemas = await client['connection/browse']({ id: shop.id })
  expect(schemas).toEqual([{ type: 'schema', name: 'main' }])
  const tables = await client['connection/browse']({ id: shop.id, schema: 'main' })
  expect(tables.map((entry) => entry.type === 'table' && entry.name)).toEqual([
    'customer_copy',
    'customers',
  ])
  const columns = await client['connection/browse']({
    id: shop.id,
    schema: 'main',
    table: 'customers',
  })
  expect(columns).toMatchObject([
    { type: 'column', name: 'id', primaryKey: true },
    { type: 'column', name: 'name', nullable: false },
    { type: 'column', name: 'city', nullable: true },
  ])

  const missing = await client['connection/create']({
    name: 'Gone',
    kind: 'sqlite',
    database: 'no-such.sqlite',
  })
  const refused = await failureOf(client['connection/test']({ id: missing.id }))
  expect(refused).toMatchObject({ code: 'FILE_NOT_FOUND' })
  expect(refused.message).toContain('no-such.sqlite')
})

it('says which environment variable a server connection needs when its secret is missing', async () => {
  const { client } = sandbox
  const warehouse = await client['connection/create']({
    name: 'Warehouse',
    kind: 'postgres',
    host: '127.0.0.1',
    database: 'shop',
    user: 'analyst',
    secretRef: 'WAREHOUSE_EU',
  })
  const refused = await failureOf(client['connection/test']({ id: warehouse.id }))
  expect(refused.code).toBe('SECRET_MISSING')
  expect(refused.message).toContain('SLUICE_SECRET_WAREHOUSE_EU')
})

it('dry-runs a push without changing anything, then pushes, and a second push changes nothing', async () => {
  const { client, dir } = sandbox
  await client['connection/create']({ name: 'Shop', kind: 'sqlite', database: 'shop.sqlite' })
  const pipeline = await client['pipeline/create']({ name: 'Copy', document: copyPipeline() })
  const output = join(dir, 'out')
  const run = async (dryRun: boolean): Promise<RunRecord> =>
    client['run/wait']({
      runId: (
        await client['run/start']({ pipelineId: pipeline.id, parameters: { output }, dryRun })
      ).runId,
    })
  const pushOf = (record: RunRecord) => record.nodes.find((node) => node.nodeId === 'push')?.push

  const dry = await run(true)
  expect(dry.status).toBe('succeeded')
  expect(dry.dryRun).toBe(true)
  expect(pushOf(dry)).toMatchObject({ dryRun: true, inserted: 2, updated: 1, deleted: 0 })
  expect(pushOf(dry)?.samples?.update).toEqual([{ id: 1, name: 'Ada', city: 'London' }])
  expect(copiedRows()).toEqual([{ id: 1, name: 'Ada', city: 'Paris' }])
  expect(existsSync(join(output, 'customers.csv'))).toBe(false)
  const dryLog = (await client['run/logs']({ runId: dry.id })).map((line) => line.message)
  expect(dryLog.join('\n')).toMatch(/Nothing was changed/)

  const real = await run(false)
  expect(real.errors).toEqual([])
  expect(real.status).toBe('succeeded')
  expect(real.dryRun).toBe(false)
  expect(pushOf(real)).toMatchObject({ dryRun: false, inserted: 2, updated: 1, deleted: 0 })
  expect(copiedRows()).toEqual([
    { id: 1, name: 'Ada', city: 'London' },
    { id: 2, name: 'Zhāng Wěi', city: '北京' },
    { id: 3, name: 'Bob', city: null },
  ])
  expect(existsSync(join(output, 'customers.csv'))).toBe(true)

  const again = await run(false)
  expect(pushOf(again)).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
  // The history keeps what each push did.
  const stored = await client['run/get']({ runId: real.id })
  expect(pushOf(stored)).toMatchObject({ inserted: 2, updated: 1 })
})

it('gives a server connection its secret name when it is created, unique in the project', async () => {
  const { client } = sandbox
  const first = await client['connection/create']({ name: 'Sales DB', kind: 'mysql' })
  const second = await client['connection/create']({ name: 'sales-db', kind: 'postgres' })
  const file = await client['connection/create']({ name: 'Shop', kind: 'sqlite', database: 'x' })
  expect([first.secretRef, second.secretRef, file.secretRef]).toEqual([
    'SALES_DB',
    'SALES_DB_2',
    undefined,
  ])
  const refused = await failureOf(client['connection/setSecret']({ id: second.id, secret: 's' }))
  expect(refused.message).toContain('SLUICE_SECRET_SALES_DB_2')
})
