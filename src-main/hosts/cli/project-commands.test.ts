import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEnvironmentSecrets, createSluiceService } from '../../service'
import { ordersCsv, ordersPipeline } from '../../service/test-support'
import { sluice } from './test-support'

let dir: string
let project: string
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-project-'))
  project = join(dir, 'shop.sluice')
  writeFileSync(join(dir, 'orders.csv'), ordersCsv(100))
  writeFileSync(join(dir, 'big-orders.json'), JSON.stringify(ordersPipeline('90')))
  expect((await sluice('create', project, '--name', 'Shop')).code).toBe(0)
  expect((await sluice('import', project, join(dir, 'big-orders.json'))).stdout).toBe(
    'Imported pipeline "Big orders" (3 nodes).\n',
  )
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('sluice on a project file', () => {
  it('runs a pipeline by name, reuses unchanged nodes next time, and lists the history', async () => {
    const first = await sluice('run', project, 'Big orders')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('Run succeeded')
    expect(
      readFileSync(join(dir, 'out', 'big_orders.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(11)
    const second = await sluice('run', project, 'big orders', '--param', 'minimum=95')
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Reused 1 of 3 nodes: unchanged since their last run\./)
    expect(
      readFileSync(join(dir, 'out', 'big_orders.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(6)

    const history = await sluice('history', project, 'Big orders')
    const lines = history.stdout.trim().split('\n')
    expect(lines).toHaveLength(2 + 2)
    expect(lines[2]).toMatch(/Big orders .* 1 +│ cli +│ succeeded/)

    const list = await sluice('list', project)
    expect(list.stdout).toMatch(/Big orders +│ 1 /)
  })

  it('exports a pipeline that runs as a file, and a whole project that imports as a new one', async () => {
    const exported = await sluice('export', project, 'Big orders')
    expect(JSON.parse(exported.stdout)).toMatchObject({ name: 'Big orders', formatVersion: 1 })
    writeFileSync(join(dir, 'exported.json'), exported.stdout)
    expect((await sluice('validate', join(dir, 'exported.json'))).code).toBe(0)

    await sluice('run', project, 'Big orders')
    const archive = join(dir, 'shop.json')
    expect((await sluice('export-project', project, archive, '--with-runs')).stdout).toBe(
      `Wrote ${archive}: 1 pipeline(s), 1 run(s).\n`,
    )
    const copy = join(dir, 'copy.sluice')
    expect((await sluice('import-project', archive, copy)).stdout).toBe(
      `Created ${copy} with 1 pipeline(s).\n`,
    )
    expect((await sluice('history', copy)).stdout).toContain('succeeded')
    expect((await sluice('versions', copy, 'Big orders')).stdout).toContain('Imported')
  })

  it('names what is wrong: a missing project, pipeline or node, and bad options', async () => {
    const missing = await sluice('list', join(dir, 'nope.sluice'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`Project file not found: ${join(dir, 'nope.sluice')}.`)

    const noPipeline = await sluice('run', project, 'Small orders')
    expect(noPipeline.code).toBe(2)
    expect(noPipeline.stderr).toContain('This project has no pipeline "Small orders".')

    const noNode = await sluice('preview', project, 'Big orders', 'ghost')
    expect(noNode.stderr).toContain('Pipeline "Big orders" has no node "ghost".')

    const badVersion = await sluice('run', project, 'Big orders', '--version', 'two')
    expect(badVersion.code).toBe(2)
    expect(badVersion.stderr).toContain('--version expects a whole number')

    const unknownParam = await sluice('run', project, 'Big orders', '--version', '7')
    expect(unknownParam.stderr).toContain('Pipeline "Big orders" has no version 7.')
  })

  it('diffs two saved versions in plain lines', async () => {
    const service = createSluiceService({ secrets: createEnvironmentSecrets({}) })
    await service.client['project/open']({ path: project })
    const [pipeline] = await service.client['pipeline/list']({})
    await service.client['pipeline/saveVersion']({
      id: pipeline!.id,
      message: 'lower the minimum',
      document: ordersPipeline('50'),
    })
    await service.close()
    expect((await sluice('diff', project, 'Big orders', '1', '2')).stdout).toBe(
      'pipeline parameters.minimum: "90" → "50"\n',
    )
    expect((await sluice('diff', project, 'Big orders', '2')).stdout).toBe('No differences.\n')
    expect((await sluice('versions', project, 'Big orders')).stdout).toMatch(
      /2 +│ .* │ lower the minimum\n1 +│ .* │ Imported/,
    )
  })
})
