import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { SluiceFailure } from '../../src-shared/errors'
import {
  createServiceSandbox,
  ordersCsv,
  ordersPipeline,
  type ServiceSandbox,
} from './test-support'

const secret = 'pw-7Qx!unique-Zr93'
let sandbox: ServiceSandbox
beforeEach(async () => {
  sandbox = await createServiceSandbox({ SLUICE_SECRET_WAREHOUSE: secret })
  sandbox.write('orders.csv', ordersCsv(50))
})
afterEach(() => sandbox.close())

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

it('keeps a connection secret out of the project, staging, run records, logs and exports', async () => {
  const { client, dir } = sandbox
  const connection = await client['connection/create']({
    name: 'Warehouse',
    kind: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    database: 'shop',
    user: 'analyst',
    secretRef: 'WAREHOUSE',
  })
  // The CLI's secret store is the environment: setting a secret is refused, naming the variable.
  const refused = await client['connection/setSecret']({ id: connection.id, secret }).catch(
    (thrown: SluiceFailure) => thrown.error,
  )
  expect(refused).toMatchObject({ code: 'SECRET_STORE_READ_ONLY' })
  expect(JSON.stringify(refused)).toContain('SLUICE_SECRET_WAREHOUSE')

  const pipeline = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
  await client['pipeline/saveVersion']({ id: pipeline.id, message: 'v1' })
  const succeeded = await client['run/wait']({
    runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
  })
  expect(succeeded.status).toBe('succeeded')
  // A secret that reaches a message by way of a run parameter (here a folder named after it) is
  // scrubbed before the message is stored or sent.
  const failed = await client['run/wait']({
    runId: (
      await client['run/start']({
        pipelineId: pipeline.id,
        parameters: { data: join(dir, secret) },
      })
    ).runId,
  })
  expect(failed.status).toBe('failed')
  expect(failed.errors[0]?.message).toContain('•••')
  expect(failed.parameters.data).toContain('•••')

  const texts = [
    JSON.stringify(await client['run/get']({ runId: failed.id })),
    JSON.stringify(await client['run/logs']({ runId: failed.id })),
    JSON.stringify(await client['run/list']({})),
    JSON.stringify(await client['connection/list']({})),
    (await client['pipeline/export']({ id: pipeline.id })).json,
  ]
  for (const text of texts) {
    expect(text).not.toContain(secret)
  }
  await client['project/export']({ path: join(dir, 'export.json'), includeRuns: true })
  await sandbox.service.close()

  const needle = Buffer.from(secret, 'utf8')
  const scanned = filesUnder(dir).filter((file) => !file.endsWith('orders.csv'))
  expect(scanned.some((file) => file.endsWith('.sluice'))).toBe(true)
  expect(scanned.some((file) => file.endsWith('.duckdb'))).toBe(true)
  expect(scanned.some((file) => file.endsWith('export.json'))).toBe(true)
  for (const file of scanned) {
    expect(readFileSync(file).includes(needle), file).toBe(false)
  }
})
