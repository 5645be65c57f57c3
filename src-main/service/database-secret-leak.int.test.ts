import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Pipeline } from '../../src-shared/pipeline'
import { adminSession, type AdminSession } from '../engine/connectors/database/admin-session'
import { describeWithServer } from '../engine/connectors/database/test-servers'
import { createServiceSandbox, type ServiceSandbox } from './test-support'

/** Unlike any other text in the files scanned, so finding it means the secret leaked. */
const password = 'pw-Leak!9xQ-unique-7Zr'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

function copyPipeline(target: string): Pipeline {
  return {
    formatVersion: 1,
    name: 'Copy',
    parameters: {},
    nodes: [
      {
        id: 'read',
        kind: 'source.database',
        position: { x: 0, y: 0 },
        config: { connection: 'Warehouse', schema: 'leaky', table: 'leak_source' },
      },
      {
        id: 'push',
        kind: 'sink.database',
        position: { x: 200, y: 0 },
        config: { connection: 'Warehouse', schema: 'leaky', table: target, mode: 'replace' },
      },
    ],
    edges: [{ from: { node: 'read', port: 'out' }, to: { node: 'push', port: 'in' } }],
  }
}

describeWithServer('postgres', 'a real database password', (server) => {
  let admin: AdminSession
  let sandbox: ServiceSandbox

  beforeAll(async () => {
    admin = await adminSession('postgres', server)
    await admin.exec('DROP TABLE IF EXISTS leak_source, leak_target, leak_narrow')
    await admin.exec('DROP SCHEMA IF EXISTS leaky CASCADE')
    await admin.exec('DROP ROLE IF EXISTS leaky')
    await admin.exec(`CREATE ROLE leaky LOGIN PASSWORD '${password}'`)
    await admin.exec('CREATE SCHEMA leaky AUTHORIZATION leaky')
    await admin.exec('CREATE TABLE leaky.leak_source (id integer, name text)')
    await admin.exec(`INSERT INTO leaky.leak_source VALUES (1, 'one'), (2, 'two')`)
    await admin.exec('CREATE TABLE leaky.leak_narrow (id integer, name varchar(2))')
    await admin.exec('ALTER TABLE leaky.leak_source OWNER TO leaky')
    await admin.exec('ALTER TABLE leaky.leak_narrow OWNER TO leaky')
    sandbox = await createServiceSandbox({ SLUICE_SECRET_WAREHOUSE: password })
  })
  afterAll(async () => {
    await sandbox?.close()
    await admin?.exec('DROP SCHEMA IF EXISTS leaky CASCADE')
    await admin?.exec('DROP ROLE IF EXISTS leaky')
    await admin?.close()
  })

  it('never writes the password of a PostgreSQL connection used by a source and a push', async () => {
    const { client, dir } = sandbox
    const connection = await client['connection/create']({
      name: 'Warehouse',
      kind: 'postgres',
      host: server.host,
      port: server.port,
      database: server.database,
      user: 'leaky',
      secretRef: 'WAREHOUSE',
      options: { sslMode: 'disable' },
    })
    expect((await client['connection/test']({ id: connection.id })).serverVersion).toMatch(/15/)

    const pipeline = await client['pipeline/create']({
      name: 'Copy',
      document: copyPipeline('leak_target'),
    })
    const copied = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(copied.errors).toEqual([])
    expect(copied.status).toBe('succeeded')
    expect(await admin.rows('SELECT count(*)::int AS n FROM leaky.leak_target')).toEqual([{ n: 2 }])

    // A push that fails (values too long for varchar(2)) records an error from the server.
    await client['pipeline/autosave']({ id: pipeline.id, document: copyPipeline('leak_narrow') })
    const doc = await client['pipeline/get']({ id: pipeline.id })
    const push = doc.document.nodes.find((node) => node.id === 'push')
    if (push) {
      push.config.mode = 'append'
    }
    await client['pipeline/autosave']({ id: pipeline.id, document: doc.document })
    const failed = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(failed.status).toBe('failed')
    expect(failed.errors[0]?.code).toBe('PUSH_FAILED')

    const texts = [
      JSON.stringify(await client['run/get']({ runId: copied.id })),
      JSON.stringify(await client['run/get']({ runId: failed.id })),
      JSON.stringify(await client['run/logs']({ runId: copied.id })),
      JSON.stringify(await client['run/logs']({ runId: failed.id })),
      JSON.stringify(await client['connection/list']({})),
      (await client['pipeline/export']({ id: pipeline.id })).json,
    ]
    for (const text of texts) {
      expect(text).not.toContain(password)
    }
    await client['project/export']({ path: join(dir, 'export.json'), includeRuns: true })
    await sandbox.service.close()

    const needle = Buffer.from(password, 'utf8')
    const scanned = filesUnder(dir)
    expect(scanned.some((file) => file.endsWith('.sluice'))).toBe(true)
    expect(scanned.some((file) => file.endsWith('.duckdb'))).toBe(true)
    for (const file of scanned) {
      expect(readFileSync(file).includes(needle), file).toBe(false)
    }
  })
})
