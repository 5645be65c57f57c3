import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../src-shared/errors'
import { AppStore } from '../store'
import { createEnvironmentSecrets } from './secrets/environment-secrets'
import { createSluiceService } from './service'
import {
  createServiceSandbox,
  ordersCsv,
  ordersPipeline,
  type ServiceSandbox,
} from './test-support'

let sandbox: ServiceSandbox
beforeEach(async () => {
  sandbox = await createServiceSandbox()
  sandbox.write('orders.csv', ordersCsv(100))
})
afterEach(() => sandbox.close())

/** The code of the error a client call fails with. */
async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const thrown = await call.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(thrown).toBeInstanceOf(SluiceFailure)
  return (thrown as SluiceFailure).error
}

function outputLines(): string[] {
  return readFileSync(join(sandbox.dir, 'out', 'big_orders.csv'), 'utf8')
    .trim()
    .split('\n')
}

describe('requests are checked before anything runs', () => {
  it('answers an unknown method, bad parameters and junk with coded errors', async () => {
    const { service } = sandbox
    expect(await service.request('pipeline/explode', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'Unknown request "pipeline/explode".' },
    })
    const bad = await service.request('pipeline/version', { id: 'x', version: 0 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(!bad.ok && bad.error.message).toContain('version')
    for (const junk of ['text', 42, [1, 2], { id: { nested: true } }]) {
      expect(await service.request('pipeline/get', junk)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      })
    }
    expect(await service.request(undefined, undefined)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    })
  })

  it('says when no project is open or a pipeline does not exist', async () => {
    const { client } = sandbox
    expect((await failure(client['pipeline/get']({ id: 'nope' }))).code).toBe('PIPELINE_NOT_FOUND')
    await client['project/close']({})
    expect(await failure(client['pipeline/list']({}))).toMatchObject({
      code: 'NO_PROJECT_OPEN',
      message: 'No project is open; open or create a project first.',
    })
  })
})

describe('pipelines keep every version', () => {
  it('saves, diffs and restores versions, and autosave marks the working copy unsaved', async () => {
    const { client } = sandbox
    const created = await client['pipeline/create']({
      name: 'Big orders',
      tags: ['sales'],
      document: ordersPipeline('10'),
    })
    const v1 = await client['pipeline/saveVersion']({ id: created.id, message: 'first' })
    expect(v1.version).toBe(1)

    const edited = ordersPipeline('50')
    edited.nodes.push({
      id: 'top',
      kind: 'transform.limit',
      position: { x: 0, y: 100 },
      config: { rows: 5 },
    })
    edited.edges.push({ from: { node: 'big', port: 'out' }, to: { node: 'top', port: 'in' } })
    const autosaved = await client['pipeline/autosave']({ id: created.id, document: edited })
    expect(autosaved.unsaved).toBe(true)
    const v2 = await client['pipeline/saveVersion']({ id: created.id, message: 'raise minimum' })
    expect(v2.version).toBe(2)
    expect((await client['pipeline/get']({ id: created.id })).unsaved).toBe(false)

    const diff = await client['pipeline/diff']({ id: created.id, from: 1, to: 2 })
    expect(diff.nodesAdded).toEqual([{ id: 'top', kind: 'transform.limit' }])
    expect(diff.edgesAdded).toEqual(['big:out → top:in'])
    expect(diff.pipelineChanges).toContainEqual({
      field: 'parameters.minimum',
      before: '10',
      after: '50',
    })

    const restored = await client['pipeline/restore']({ id: created.id, version: 1 })
    expect(restored).toMatchObject({ version: 3, message: 'Restored version 1' })
    const versions = await client['pipeline/versions']({ id: created.id })
    expect(versions.map((version) => [version.version, version.message])).toEqual([
      [3, 'Restored version 1'],
      [2, 'raise minimum'],
      [1, 'first'],
    ])
    const back = await client['pipeline/diff']({ id: created.id, from: 1, to: 3 })
    expect(back).toMatchObject({ nodesAdded: [], nodesRemoved: [], nodesChanged: [] })
    expect((await client['pipeline/get']({ id: created.id })).document.nodes).toHaveLength(3)
  })

  it('exports a pipeline as runnable JSON and imports it under a free name', async () => {
    const { client } = sandbox
    const created = await client['pipeline/create']({
      name: 'Big orders',
      document: ordersPipeline(),
    })
    const { json } = await client['pipeline/export']({ id: created.id })
    expect(JSON.parse(json)).toMatchObject({ formatVersion: 1, name: 'Big orders' })
    const imported = await client['pipeline/import']({ json })
    expect(imported.name).toBe('Big orders (2)')
    expect(imported.latestVersion).toBe(1)
    expect(imported.document.nodes).toEqual(created.document.nodes)

    const copy = await client['pipeline/duplicate']({ id: created.id })
    expect(copy.name).toBe('Big orders copy')
    const names = (await client['pipeline/list']({})).map((pipeline) => pipeline.name).sort()
    expect(names).toEqual(['Big orders', 'Big orders (2)', 'Big orders copy'])

    expect(await failure(client['pipeline/import']({ json: '{"nodes": 3' }))).toMatchObject({
      code: 'IMPORT_INVALID',
    })
    expect(
      (await failure(client['pipeline/import']({ json: '{"formatVersion": 1, "nodes": "x"}' })))
        .message,
    ).toContain('nodes')
  })
})

describe('runs', () => {
  it('runs with project parameters under run overrides, records it, and reuses on the next run', async () => {
    const { client, events } = sandbox
    const pipeline = await client['pipeline/create']({
      name: 'Big orders',
      document: ordersPipeline('10'),
    })
    await client['parameter/set']({ name: 'minimum', value: '90' })

    const first = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(first.status).toBe('succeeded')
    expect(outputLines()).toHaveLength(1 + 10)
    expect(first.parameters).toMatchObject({ minimum: '90' })
    expect(first.nodes.map((node) => [node.nodeId, node.status, node.rowsOut])).toEqual([
      ['orders', 'done', 100],
      ['big', 'done', 10],
      ['save', 'done', 10],
    ])

    const second = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(second.nodes.filter((node) => node.reused).map((node) => node.nodeId)).toEqual([
      'orders',
      'big',
    ])
    expect(second.nodesReused).toBe(2)

    const overridden = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id, parameters: { minimum: '95' } }))
        .runId,
    })
    expect(overridden.status).toBe('succeeded')
    expect(outputLines()).toHaveLength(1 + 5)

    const history = await client['run/list']({ pipelineId: pipeline.id })
    expect(history.map((run) => run.id)).toEqual([overridden.id, second.id, first.id])
    const page = await client['run/list']({ limit: 2, before: history[1]?.id })
    expect(page.map((run) => run.id)).toEqual([first.id])

    const logs = await client['run/logs']({ runId: first.id })
    expect(logs[0]?.message).toBe('Run started: 3 nodes.')
    expect(logs.at(-1)?.message).toMatch(/^Run succeeded in \d+\.\d\d s\.$/)
    expect(logs.map((line) => line.seq)).toEqual(logs.map((_line, index) => index + 1))
    expect(logs.find((line) => line.nodeId === 'big')?.message).toContain('10 rows')
    expect(events.map((event) => event.type)).toContain('node-finished')
    expect(events.filter((event) => event.type === 'run-finished')).toHaveLength(3)
  })

  it('refuses an invalid pipeline and lists each problem with its node', async () => {
    const { client } = sandbox
    const document = ordersPipeline()
    document.nodes[1] = { ...document.nodes[1]!, config: { where: '' } }
    const pipeline = await client['pipeline/create']({ name: 'Broken', document })
    const check = await client['pipeline/validate']({ id: pipeline.id })
    expect(check.ok).toBe(false)
    expect(check.errors[0]).toMatchObject({ code: 'BAD_CONFIG', nodeId: 'big' })
    expect(await failure(client['run/start']({ pipelineId: pipeline.id }))).toMatchObject({
      code: 'PIPELINE_INVALID',
    })
    expect(await client['run/list']({})).toEqual([])
  })

  it('records a failed node with its message and keeps the project usable', async () => {
    const { client } = sandbox
    const pipeline = await client['pipeline/create']({
      name: 'Missing',
      document: ordersPipeline(),
    })
    const record = await client['run/wait']({
      runId: (
        await client['run/start']({
          pipelineId: pipeline.id,
          parameters: { data: join(sandbox.dir, 'nowhere') },
        })
      ).runId,
    })
    expect(record.status).toBe('failed')
    expect(record.errors[0]).toMatchObject({ code: 'FILE_NOT_FOUND', nodeId: 'orders' })
    expect(record.nodes.map((node) => node.status)).toEqual(['failed', 'skipped', 'skipped'])
    expect(existsSync(join(sandbox.dir, 'out'))).toBe(false)
  })

  it('runs only up to a node, even when a later node is broken', async () => {
    const { client } = sandbox
    const document = ordersPipeline('95')
    document.nodes[2] = { ...document.nodes[2]!, config: { path: '' } }
    const pipeline = await client['pipeline/create']({ name: 'Partial', document })
    const record = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id, untilNode: 'big' })).runId,
    })
    expect(record.status).toBe('succeeded')
    expect(record.nodes.map((node) => [node.nodeId, node.rowsOut])).toEqual([
      ['orders', 100],
      ['big', 5],
    ])
    expect(existsSync(join(sandbox.dir, 'out'))).toBe(false)
    expect(
      await failure(client['run/start']({ pipelineId: pipeline.id, untilNode: 'ghost' })),
    ).toMatchObject({ code: 'NODE_NOT_FOUND' })
  })

  it('previews a node of the working copy, whatever state the nodes after it are in', async () => {
    const { client } = sandbox
    const document = ordersPipeline('97')
    document.nodes[2] = { ...document.nodes[2]!, config: { path: '' } }
    const pipeline = await client['pipeline/create']({ name: 'Big orders', document })
    const preview = await client['preview/node']({ pipelineId: pipeline.id, nodeId: 'big' })
    expect(preview.rows.map((row) => Number(row.amount))).toEqual([98, 99, 100])
    expect(preview.columns.map((column) => column.name)).toEqual(['id', 'customer', 'amount'])
    expect(
      await failure(client['preview/node']({ pipelineId: pipeline.id, nodeId: 'ghost' })),
    ).toMatchObject({
      code: 'NODE_NOT_FOUND',
      message: 'Pipeline "Big orders" has no node "ghost".',
    })
  })
})

describe('projects', () => {
  it('remembers opened projects and the language in the app store', async () => {
    const appStore = AppStore.open(join(sandbox.dir, 'app.db'))
    const service = createSluiceService({ secrets: createEnvironmentSecrets({}), appStore })
    try {
      const first = join(sandbox.dir, 'first.sluice')
      const second = join(sandbox.dir, 'second.sluice')
      await service.client['project/create']({ path: first, name: 'First' })
      await service.client['project/create']({ path: second, name: 'Second' })
      await service.client['project/open']({ path: first })
      const recent = await service.client['project/recent']({})
      expect(recent.map((project) => [project.name, project.path])).toEqual([
        ['First', first],
        ['Second', second],
      ])
      expect(await service.client['settings/get']({})).toEqual({ language: null, theme: null })
      expect(await service.client['settings/update']({ language: 'zh-CN' })).toEqual({
        language: 'zh-CN',
        theme: null,
      })
      await service.client['settings/update']({ theme: 'dark' })
      expect(await service.client['settings/get']({})).toEqual({
        language: 'zh-CN',
        theme: 'dark',
      })
    } finally {
      await service.close()
      appStore.close()
    }
  })

  it('moves the staging file where the project says', async () => {
    const { client } = sandbox
    const pipeline = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
    await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    const moved = await client['project/update']({ stagingPath: 'elsewhere/stage.duckdb' })
    expect(moved.stagingPath).toBe(join(sandbox.dir, 'elsewhere', 'stage.duckdb'))
    const rerun = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    // A new staging file holds nothing yet, so every node runs again, into it.
    expect(rerun.nodesReused).toBe(0)
    expect(existsSync(moved.stagingPath)).toBe(true)
  })
})

describe('the sample project', () => {
  it('is created once in the samples folder, opened, and runs', async () => {
    const samplesFolder = join(sandbox.dir, 'samples')
    const service = createSluiceService({ secrets: createEnvironmentSecrets({}), samplesFolder })
    try {
      const info = await service.client['project/openSample']({})
      expect(info.path).toBe(join(samplesFolder, 'sample.sluice'))
      const [pipeline] = await service.client['pipeline/list']({})
      expect(pipeline).toMatchObject({ latestVersion: 1, unsaved: false, tags: ['sample'] })
      const record = await service.client['run/wait']({
        runId: (await service.client['run/start']({ pipelineId: pipeline!.id })).runId,
      })
      expect(record.status).toBe('succeeded')
      expect(existsSync(join(samplesFolder, 'results', 'sales_leads.csv'))).toBe(true)
      // Opening it again keeps what the user did with it.
      await service.client['pipeline/update']({ id: pipeline!.id, tags: ['sample', 'mine'] })
      await service.client['project/openSample']({})
      expect((await service.client['pipeline/list']({}))[0]?.tags).toEqual(['sample', 'mine'])
    } finally {
      await service.close()
    }
  })
})
