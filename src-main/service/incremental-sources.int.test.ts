import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Pipeline } from '../../src-shared/pipeline'
import type { RunRecord } from '../../src-shared/project'
import { adminSession, type AdminSession } from '../engine/connectors/database/admin-session'
import { describeOnEachServer, type ServerKind } from '../engine/connectors/database/test-servers'
import { createServiceSandbox, type ServiceSandbox } from './test-support'

/**
 * A source table read incrementally on `updated_at` into a CSV file: each run must read only the
 * rows inserted or updated since the last successful run, and a failed run must not move the
 * watermark, so the next run reads those rows again.
 */
function incrementalPipeline(lookback = ''): Pipeline {
  return {
    formatVersion: 1,
    name: 'Incremental events',
    parameters: { output: 'out' },
    nodes: [
      {
        id: 'events',
        kind: 'source.database',
        position: { x: 0, y: 0 },
        config: {
          connection: 'Source',
          table: 'events',
          incremental: { column: 'updated_at', lookback },
        },
      },
      {
        id: 'save',
        kind: 'sink.csv',
        position: { x: 200, y: 0 },
        config: { path: '${output}/events.csv' },
      },
    ],
    edges: [{ from: { node: 'events', port: 'out' }, to: { node: 'save', port: 'in' } }],
  }
}

describeOnEachServer('incremental database sources', (server, kind: ServerKind) => {
  let sandbox: ServiceSandbox
  let admin: AdminSession
  let pipelineId: string

  beforeAll(async () => {
    admin = await adminSession(kind, server)
    await admin.exec('DROP TABLE IF EXISTS events')
    await admin.exec(
      'CREATE TABLE events (id integer PRIMARY KEY, updated_at timestamp NOT NULL, note varchar(40))',
    )
    await admin.exec(
      `INSERT INTO events VALUES (1, '2026-01-01 10:00:00', 'a'), (2, '2026-01-01 11:00:00', 'b'),
        (3, '2026-01-01 12:00:00', 'c')`,
    )
    sandbox = await createServiceSandbox({ SLUICE_SECRET_SOURCE: server.password })
    await sandbox.client['connection/create']({
      name: 'Source',
      kind: kind === 'postgres' ? 'postgres' : 'mysql',
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.user,
      secretRef: 'SOURCE',
      options: { sslMode: 'disable' },
    })
    const created = await sandbox.client['pipeline/create']({
      name: 'Incremental',
      document: incrementalPipeline(),
    })
    pipelineId = created.id
  })
  afterAll(async () => {
    await admin?.exec('DROP TABLE IF EXISTS events')
    await admin?.close()
    await sandbox?.close()
  })

  const run = async (output: string, document?: Pipeline): Promise<RunRecord> => {
    if (document) {
      await sandbox.client['pipeline/autosave']({ id: pipelineId, document })
    }
    const { runId } = await sandbox.client['run/start']({
      pipelineId,
      parameters: { output },
    })
    return sandbox.client['run/wait']({ runId })
  }
  const rowsRead = (record: RunRecord): number =>
    record.nodes.find((node) => node.nodeId === 'events')?.rowsOut ?? -1

  it('reads only new and changed rows, and a failed run does not advance the watermark', async () => {
    const output = join(sandbox.dir, 'out')
    mkdirSync(output, { recursive: true })
    // A file where the sink expects a folder: the push fails after the source has read.
    const blocked = join(sandbox.dir, 'blocked')
    writeFileSync(blocked, 'not a folder')

    const first = await run(output)
    expect(first.errors).toEqual([])
    expect(first.status).toBe('succeeded')
    expect(rowsRead(first)).toBe(3)

    await admin.exec(`INSERT INTO events VALUES (4, '2026-01-02 09:00:00', 'd')`)
    await admin.exec(
      `UPDATE events SET updated_at = '2026-01-02 10:00:00', note = 'b2' WHERE id = 2`,
    )
    const failed = await run(blocked)
    expect(failed.status).toBe('failed')
    expect(rowsRead(failed)).toBe(2)
    const logs = await sandbox.client['run/logs']({ runId: failed.id })
    expect(logs.map((line) => line.message).join('\n')).toMatch(/Watermarks were not advanced/)

    const retried = await run(output)
    expect(retried.status).toBe('succeeded')
    expect(rowsRead(retried)).toBe(2)

    await admin.exec(`INSERT INTO events VALUES (5, '2026-01-03 08:00:00', 'e')`)
    const third = await run(output)
    expect(third.status).toBe('succeeded')
    expect(rowsRead(third)).toBe(1)

    const nothing = await run(output)
    expect(rowsRead(nothing)).toBe(0)

    // A look-back window re-reads rows that arrived late within it: here everything since
    // 2026-01-02 08:00, one day before the mark (2026-01-03 08:00).
    const lookback = await run(output, incrementalPipeline(kind === 'postgres' ? '1 day' : '1 DAY'))
    expect(lookback.status).toBe('succeeded')
    expect(rowsRead(lookback)).toBe(3)
  })

  it('does not advance the watermark in a dry run', async () => {
    await sandbox.client['pipeline/autosave']({ id: pipelineId, document: incrementalPipeline() })
    await admin.exec(`INSERT INTO events VALUES (6, '2026-01-04 08:00:00', 'f')`)
    const output = join(sandbox.dir, 'out')
    const dry = await sandbox.client['run/wait']({
      runId: (
        await sandbox.client['run/start']({ pipelineId, parameters: { output }, dryRun: true })
      ).runId,
    })
    expect(dry.status).toBe('succeeded')
    expect(dry.dryRun).toBe(true)
    expect(rowsRead(dry)).toBe(1)
    const real = await run(output)
    expect(rowsRead(real)).toBe(1)
  })
})
