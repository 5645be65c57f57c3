import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportProject, importProject } from './project-export'
import { ProjectStore } from './project-store'
import { failureOf, sampleDocument, useTempDir } from './store-test-support'

const tempDir = useTempDir()

function filledProject(): ProjectStore {
  const store = ProjectStore.create(join(tempDir(), 'source.sluice'), { name: 'Source' })
  const { id } = store.pipelines.create({
    name: 'Orders',
    tags: ['a'],
    document: sampleDocument('1'),
  })
  store.pipelines.saveVersion(id, { message: 'one' })
  store.pipelines.saveVersion(id, { message: 'two', document: sampleDocument('2') })
  store.pipelines.saveWorkingCopy(id, sampleDocument('draft'))
  store.connections.create({
    name: 'DW',
    kind: 'postgres',
    host: 'h',
    options: {},
    secretRef: 'DW',
  })
  store.parameters.set({ name: 'region', value: 'EU', description: 'where' })
  store.schedules.create({
    pipelineId: id,
    cron: '0 6 * * *',
    timezone: 'UTC',
    enabled: false,
    parameters: {},
  })
  store.watermarks.set({ pipelineId: id, nodeId: 'orders', value: '7', runId: 'r1' })
  store.runs.start({
    id: 'r1',
    pipelineId: id,
    pipelineName: 'Orders',
    pipelineVersion: 2,
    trigger: 'manual',
    parameters: { region: 'EU' },
    startedAt: '2024-01-01T00:00:00.000Z',
  })
  store.runs.appendLog('r1', {
    at: '2024-01-01T00:00:01.000Z',
    level: 'info',
    nodeId: null,
    message: 'hi',
  })
  store.runs.finish('r1', { status: 'succeeded', endedAt: '2024-01-01T00:00:02.000Z', errors: [] })
  return store
}

describe('project export and import', () => {
  it('round-trips everything, and runs only when asked', () => {
    const source = filledProject()
    const withoutRuns = exportProject(source, { includeRuns: false })
    expect(withoutRuns.runs).toBeUndefined()
    expect(withoutRuns.pipelines[0]?.versions.map((v) => v.message)).toEqual(['one', 'two'])
    expect(JSON.stringify(withoutRuns)).not.toContain(source.connections.list()[0]?.id)

    const data = JSON.parse(JSON.stringify(exportProject(source, { includeRuns: true })))
    const copy = importProject(join(tempDir(), 'copy.sluice'), data)
    const again = exportProject(copy, { includeRuns: true })
    // Runs are linked to the imported pipeline, which has a new id; all else is the same.
    const unlinked = (runs: Array<{ pipelineId: string }> | undefined) =>
      runs?.map((run) => ({ ...run, pipelineId: '' }))
    expect({ ...again, exportedAt: '', runs: unlinked(again.runs) }).toEqual({
      ...data,
      exportedAt: '',
      runs: unlinked(data.runs),
    })
    expect(copy.runs.get('r1').pipelineId).toBe(copy.pipelines.list()[0]?.id)
    expect(copy.pipelines.list()[0]).toMatchObject({
      name: 'Orders',
      latestVersion: 2,
      unsaved: true,
    })
    expect(copy.runs.logs('r1', 0).map((l) => l.message)).toEqual(['hi'])

    const noRuns = importProject(join(tempDir(), 'no-runs.sluice'), withoutRuns)
    expect(noRuns.runs.list({ limit: 10 })).toEqual([])
    for (const store of [source, copy, noRuns]) {
      store.close()
    }
  })

  it('rejects invalid data, saying what is wrong and leaving no file', () => {
    const target = join(tempDir(), 'bad.sluice')
    const error = failureOf(() =>
      importProject(target, { format: 'sluice-project', formatVersion: 1 }),
    )
    expect(error.code).toBe('IMPORT_INVALID')
    expect(error.message).toContain(target)
    expect(error.message).toMatch(/exportedAt|project|pipelines/)
    const source = filledProject()
    const data = exportProject(source, { includeRuns: false })
    source.close()
    data.schedules[0]!.pipeline = 'Missing'
    expect(failureOf(() => importProject(target, data)).message).toContain('"Missing"')
    expect(failureOf(() => ProjectStore.open(target)).code).toBe('PROJECT_NOT_FOUND')
  })
})
