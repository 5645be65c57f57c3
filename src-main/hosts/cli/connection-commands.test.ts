import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Pipeline } from '../../../src-shared/pipeline'
import { sluice } from './test-support'

let dir: string
let project: string
let shop: string
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-connections-'))
  project = join(dir, 'shop.sluice')
  shop = join(dir, 'shop.sqlite')
  const db = new Database(shop)
  db.exec(`
    CREATE TABLE leads (id INTEGER PRIMARY KEY, email TEXT, score REAL);
    INSERT INTO leads VALUES (1, 'a@example.com', 0.5), (2, 'b@example.com', 0.9);
  `)
  db.close()
  expect((await sluice('create', project)).code).toBe(0)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const pushPipeline: Pipeline = {
  formatVersion: 1,
  name: 'Copy leads',
  parameters: {},
  nodes: [
    {
      id: 'leads',
      kind: 'source.database',
      position: { x: 0, y: 0 },
      config: { connection: 'Shop', table: 'leads' },
    },
    {
      id: 'push',
      kind: 'sink.database',
      position: { x: 200, y: 0 },
      config: { connection: 'Shop', table: 'leads_copy', mode: 'replace' },
    },
  ],
  edges: [{ from: { node: 'leads', port: 'out' }, to: { node: 'push', port: 'in' } }],
}

function tableExists(name: string): boolean {
  const db = new Database(shop, { readonly: true })
  try {
    return db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name) !== undefined
  } finally {
    db.close()
  }
}

it('adds, lists, tests and browses a connection', async () => {
  const added = await sluice(
    'add-connection',
    project,
    '--name',
    'Shop',
    '--kind',
    'sqlite',
    '--database',
    'shop.sqlite',
  )
  expect(added).toMatchObject({ code: 0, stdout: 'Added connection "Shop" (sqlite).\n' })
  expect((await sluice('connections', project)).stdout).toMatch(/Shop\s+│ sqlite │ shop\.sqlite/)
  const tested = await sluice('test-connection', project, 'shop')
  expect(tested.code).toBe(0)
  expect(tested.stdout).toMatch(/^Connected to "Shop": .*3\.\d+.* \(\d+ ms\)\.\n$/)
  expect((await sluice('browse', project, 'Shop')).stdout).toContain('main')
  expect((await sluice('browse', project, 'Shop', 'main')).stdout).toMatch(
    /leads\s+│ table\s+│\s+2/,
  )
  const columns = await sluice('browse', project, 'Shop', 'main', 'leads')
  expect(columns.stdout).toMatch(/email\s+│ TEXT\s+│ VARCHAR\s+│ yes/)

  const unknown = await sluice('test-connection', project, 'Warehouse')
  expect(unknown.code).toBe(1)
  expect(unknown.stderr).toContain('no connection "Warehouse" (connections: Shop)')
})

it('a server connection names the environment variable that holds its password', async () => {
  await sluice(
    'add-connection',
    project,
    '--name',
    'Sales DB',
    '--kind',
    'postgres',
    '--host',
    '127.0.0.1',
    '--port',
    '1',
    '--user',
    'me',
    '--secret-ref',
    'SALES',
  )
  const listed = await sluice('connections', project)
  expect(listed.stdout).toContain('SLUICE_SECRET_SALES')
  const tested = await sluice('test-connection', project, 'Sales DB')
  expect(tested.code).toBe(1)
  expect(tested.stderr).toContain('[SECRET_MISSING]')
  expect(tested.stderr).toContain('SLUICE_SECRET_SALES')
})

it('a dry run reports the push and its DDL and creates nothing; a run then creates the table', async () => {
  await sluice(
    'add-connection',
    project,
    '--name',
    'Shop',
    '--kind',
    'sqlite',
    '--database',
    'shop.sqlite',
  )
  const file = join(dir, 'copy.json')
  writeFileSync(file, JSON.stringify(pushPipeline))
  await sluice('import', project, file)

  const dry = await sluice('run', project, 'Copy leads', '--dry-run')
  expect(dry.code).toBe(0)
  expect(dry.stdout).toMatch(
    /Dry run of .*leads_copy.* \(nothing was changed\): would be 2 inserted, 0 updated, 0 deleted\./,
  )
  expect(dry.stdout).toMatch(/would run: CREATE TABLE/)
  expect(tableExists('leads_copy')).toBe(false)

  const real = await sluice('run', project, 'Copy leads')
  expect(real.code).toBe(0)
  expect(real.stdout).toMatch(/Pushed to .*leads_copy.*: 2 inserted, 0 updated, 0 deleted\./)
  expect(tableExists('leads_copy')).toBe(true)
})
