import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { toSluiceError } from '../../../src-shared/errors'
import { createEnvironmentSecrets, createSluiceService } from '../../service'
import { ordersCsv, ordersPipeline } from '../../service/test-support'

const sluiceBin = resolve(import.meta.dirname, '../../../scripts/sluice.mjs')
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-processes-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('lists runs in one process while `sluice run` in another writes them, without lock errors', async () => {
  const project = join(dir, 'shop.sluice')
  writeFileSync(join(dir, 'orders.csv'), ordersCsv(5_000))
  const app = createSluiceService({ secrets: createEnvironmentSecrets({}) })
  await app.client['project/create']({ path: project, name: 'Shop' })
  await app.client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })

  // The terminal side: three runs one after another, each a separate `sluice` process.
  const terminal = (async () => {
    const outputs: string[] = []
    for (let run = 0; run < 3; run += 1) {
      const child = spawn(process.execPath, [sluiceBin, 'run', project, 'Orders', '--no-reuse'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const [code] = (await once(child, 'exit')) as [number]
      outputs.push(`exit ${code}: ${output}`)
    }
    return outputs
  })()

  // The app side: reads the history and writes parameters the whole time.
  const appErrors: string[] = []
  let reads = 0
  let done = false
  void terminal.finally(() => (done = true))
  while (!done) {
    try {
      await app.client['run/list']({ limit: 50 })
      await app.client['parameter/set']({ name: 'note', value: String(reads) })
      reads += 1
    } catch (thrown) {
      appErrors.push(toSluiceError(thrown).message)
    }
    await new Promise((resume) => setTimeout(resume, 10))
  }
  const outputs = await terminal
  const runs = await app.client['run/list']({})
  await app.close()

  expect(appErrors).toEqual([])
  for (const output of outputs) {
    expect(output).toMatch(/^exit 0: /)
    expect(output).not.toMatch(/locked|busy/i)
  }
  expect(reads).toBeGreaterThan(10)
  expect(runs.map((run) => [run.status, run.trigger])).toEqual([
    ['succeeded', 'cli'],
    ['succeeded', 'cli'],
    ['succeeded', 'cli'],
  ])
}, 60_000)
