import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../src-shared/errors'
import {
  createServiceSandbox,
  ordersCsv,
  ordersPipeline,
  type ServiceSandbox,
} from './test-support'

let sandbox: ServiceSandbox
beforeEach(async () => {
  sandbox = await createServiceSandbox()
})
afterEach(() => sandbox.close())

describe('runs that meet each other', () => {
  it('refuses a second run of a running pipeline, and records a cancelled one', async () => {
    const { client } = sandbox
    sandbox.write('orders.csv', ordersCsv(400_000))
    const pipeline = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
    const { runId } = await client['run/start']({ pipelineId: pipeline.id })
    const refused = await client['run/start']({ pipelineId: pipeline.id }).catch(
      (thrown: SluiceFailure) => thrown.error,
    )
    expect(refused).toMatchObject({
      code: 'RUN_IN_PROGRESS',
      message: `Pipeline "Orders" is already running (run ${runId}); wait for it or cancel it.`,
    })
    expect(await client['run/cancel']({ runId })).toEqual({ cancelled: true })
    const record = await client['run/wait']({ runId })
    expect(record.status).toBe('cancelled')
    expect(record.endedAt).not.toBeNull()
    const logs = await client['run/logs']({ runId })
    expect(logs.at(-1)?.message).toMatch(/^Run cancelled in/)
    expect(await client['run/cancel']({ runId })).toEqual({ cancelled: false })
    // Nothing half-made stays behind: the next run starts clean and succeeds.
    const next = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(next.status).toBe('succeeded')
  })

  it('says the staging file is busy while another process holds it, then runs once it is free', async () => {
    const { client } = sandbox
    sandbox.write('orders.csv', ordersCsv(20))
    const pipeline = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
    const { stagingPath } = await client['project/info']({})
    mkdirSync(dirname(stagingPath), { recursive: true })
    const holder = await holdDuckDbFile(stagingPath)
    try {
      const started = Date.now()
      const blocked = await client['run/wait']({
        runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
      })
      expect(blocked.status).toBe('failed')
      expect(blocked.errors[0]).toMatchObject({
        code: 'STAGING_BUSY',
        message: `The staging database ${stagingPath} is in use by another Sluice process; wait for its run to finish or close the project there.`,
      })
      // It waited for an idle app to let go of the file before giving up.
      expect(Date.now() - started).toBeGreaterThan(5_000)
    } finally {
      holder.kill()
      await once(holder, 'exit')
    }
    const freed = await client['run/wait']({
      runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
    })
    expect(freed.status).toBe('succeeded')
  }, 20_000)
})

/** Another process with the DuckDB file open for writing, as a second Sluice would have it. */
async function holdDuckDbFile(path: string): Promise<ChildProcess> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api'
    const instance = await DuckDBInstance.create(${JSON.stringify(path)})
    process.stdout.write('holding\\n')
    setInterval(() => instance, 1000)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const errors: string[] = []
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()))
  const held = await Promise.race([
    once(child.stdout!, 'data').then(([chunk]) => String(chunk)),
    once(child, 'exit').then(() => `exited: ${errors.join('')}`),
  ])
  expect(held).toBe('holding\n')
  return child
}
