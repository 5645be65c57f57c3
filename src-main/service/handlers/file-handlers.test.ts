import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { SluiceFailure } from '../../../src-shared/errors'
import { createEnvironmentSecrets } from '../secrets/environment-secrets'
import { createSluiceService, type SluiceService } from '../service'

let home: string
let outside: string
let service: SluiceService
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'sluice-home-'))
  outside = mkdtempSync(join(tmpdir(), 'sluice-outside-'))
  mkdirSync(join(home, 'data'))
  writeFileSync(join(home, 'data', 'orders.csv'), 'id\n1\n')
  writeFileSync(join(home, 'data', 'notes.txt'), 'hello')
  writeFileSync(join(home, 'data', '.hidden.csv'), 'id\n')
  mkdirSync(join(home, 'data', 'archive'))
  writeFileSync(join(outside, 'secret.csv'), 'id\n')
  symlinkSync(outside, join(home, 'data', 'escape'))
  service = createSluiceService({ secrets: createEnvironmentSecrets({}), fileRoots: [home] })
})
afterEach(async () => {
  await service.close()
  rmSync(home, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (thrown: SluiceFailure) => thrown.error,
  )

it('lists folders first, filters files by extension and hides dot files', async () => {
  const listing = await service.client['files/list']({
    path: join(home, 'data'),
    extensions: ['csv'],
  })
  expect(listing.entries.map((entry) => [entry.name, entry.kind])).toEqual([
    ['archive', 'folder'],
    ['orders.csv', 'file'],
  ])
  expect(listing.parent).toBe(home)
  expect((await service.client['files/list']({})).entries.map((entry) => entry.path)).toEqual([
    home,
  ])
})

it('refuses paths outside the roots, through .. or a symbolic link', async () => {
  for (const path of [outside, join(home, '..'), join(home, 'data', 'escape'), '/etc']) {
    expect(await refusal(service.client['files/list']({ path }))).toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    })
  }
  expect((await service.client['files/list']({ path: home })).parent).toBeNull()
})

it("adds the open project's folder to the roots", async () => {
  const projectDir = mkdtempSync(join(tmpdir(), 'sluice-project-'))
  try {
    await service.client['project/create']({ path: join(projectDir, 'p.sluice'), name: 'P' })
    const listing = await service.client['files/list']({ path: projectDir })
    expect(listing.entries.map((entry) => entry.name)).toContain('p.sluice')
    expect(listing.roots).toHaveLength(2)
  } finally {
    await service.client['project/close']({})
    rmSync(projectDir, { recursive: true, force: true })
  }
})
