import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProjectStore } from './project-store'
import { failureOf, sampleDocument, useTempDir } from './store-test-support'

const tempDir = useTempDir()

function newStore(): ProjectStore {
  return ProjectStore.create(join(tempDir(), 'orders.sluice'), { name: 'Orders' })
}

describe('pipelines', () => {
  it('round-trips a pipeline and numbers its versions from 1', () => {
    const store = newStore()
    const created = store.pipelines.create({
      name: 'Daily orders',
      description: 'Cleans orders',
      tags: ['sales'],
      document: sampleDocument('draft'),
    })
    expect(store.pipelines.get(created.id)).toMatchObject({
      name: 'Daily orders',
      description: 'Cleans orders',
      tags: ['sales'],
      latestVersion: null,
      document: sampleDocument('draft'),
    })
    const first = store.pipelines.saveVersion(created.id, { message: 'first' })
    const second = store.pipelines.saveVersion(created.id, {
      message: 'second',
      document: sampleDocument('second'),
    })
    expect([first.version, second.version]).toEqual([1, 2])
    expect(store.pipelines.versions(created.id).map((v) => v.message)).toEqual(['second', 'first'])
    expect(store.pipelines.version(created.id, 1).document).toEqual(sampleDocument('draft'))
    expect(store.pipelines.get(created.id).document).toEqual(sampleDocument('second'))
    expect(failureOf(() => store.pipelines.version(created.id, 9)).message).toBe(
      'Pipeline "Daily orders" has no version 9.',
    )
    store.close()
  })

  it('flips unsaved on autosave and clears it on saveVersion', () => {
    const store = newStore()
    const { id } = store.pipelines.create({ name: 'A', document: sampleDocument('a') })
    store.pipelines.saveVersion(id, { message: 'v1' })
    expect(store.pipelines.list()[0]).toMatchObject({ latestVersion: 1, unsaved: false })
    expect(store.pipelines.saveWorkingCopy(id, sampleDocument('edited')).unsaved).toBe(true)
    expect(store.pipelines.findByName('a')?.unsaved).toBe(true)
    store.pipelines.saveVersion(id, { message: 'v2' })
    expect(store.pipelines.list()[0]).toMatchObject({ latestVersion: 2, unsaved: false })
    store.close()
  })

  it('refuses a second pipeline of the same name in any case', () => {
    const store = newStore()
    store.pipelines.create({ name: 'Orders', document: sampleDocument('a') })
    const other = store.pipelines.create({ name: 'Other', document: sampleDocument('b') })
    const error = failureOf(() =>
      store.pipelines.create({ name: 'ORDERS', document: sampleDocument('c') }),
    )
    expect(error.code).toBe('NAME_TAKEN')
    expect(error.message).toContain('"ORDERS"')
    expect(failureOf(() => store.pipelines.update(other.id, { name: 'orders' })).code).toBe(
      'NAME_TAKEN',
    )
    expect(store.pipelines.update(other.id, { name: 'Renamed', tags: ['x'] })).toMatchObject({
      name: 'Renamed',
      tags: ['x'],
    })
    store.close()
  })

  it('deletes versions with the pipeline but keeps its runs', () => {
    const store = newStore()
    const { id } = store.pipelines.create({ name: 'Gone', document: sampleDocument('a') })
    store.pipelines.saveVersion(id, { message: 'v1' })
    store.runs.start({
      id: 'run-1',
      pipelineId: id,
      pipelineName: 'Gone',
      pipelineVersion: 1,
      trigger: 'manual',
      parameters: {},
      startedAt: '2024-01-01T00:00:00.000Z',
    })
    store.pipelines.delete(id)
    expect(store.pipelines.list()).toEqual([])
    expect(failureOf(() => store.pipelines.versions(id)).code).toBe('PIPELINE_NOT_FOUND')
    const left = store
      .internals()
      .database.db.prepare('SELECT count(*) AS n FROM pipeline_versions')
      .get() as { n: number }
    expect(left.n).toBe(0)
    expect(store.runs.get('run-1').pipelineName).toBe('Gone')
    store.close()
  })

  it('lists 100 pipelines with 50 versions each quickly after opening', () => {
    const path = join(tempDir(), 'big.sluice')
    const store = ProjectStore.create(path, { name: 'Big' })
    const document = sampleDocument('x')
    document.nodes = Array.from({ length: 30 }, (_, i) => ({
      id: `n${i}`,
      kind: 'filter',
      position: { x: i, y: i },
      config: { expression: `amount > ${i} AND region = 'EU'` },
    }))
    store.internals().database.write(() => {
      for (let p = 0; p < 100; p += 1) {
        const { id } = store.pipelines.create({ name: `Pipeline ${p}`, document })
        for (let v = 0; v < 50; v += 1) {
          store.pipelines.saveVersion(id, { message: `v${v}` })
        }
      }
    })
    store.close()
    const started = performance.now()
    const opened = ProjectStore.open(path)
    const list = opened.pipelines.list()
    const ms = performance.now() - started
    expect(list).toHaveLength(100)
    expect(list[0]).toMatchObject({ latestVersion: 50, unsaved: false })
    console.log(`open + list of 100 pipelines x 50 versions: ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(100)
    opened.close()
  })
})
