import {
  copyFileSync,
  openSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ProjectStore } from './project-store'
import { failureOf, sampleDocument, useTempDir } from './store-test-support'

const tempDir = useTempDir()
const v1Fixture = fileURLToPath(new URL('./fixtures/project-v1.sluice', import.meta.url))

/** A closed project file with enough pipelines and runs to span many pages. */
function projectWithData(): string {
  const path = join(tempDir(), 'data.sluice')
  const store = ProjectStore.create(path, { name: 'Data' })
  for (let p = 0; p < 20; p += 1) {
    const { id } = store.pipelines.create({ name: `P${p}`, document: sampleDocument(`p${p}`) })
    for (let v = 0; v < 5; v += 1) {
      store.pipelines.saveVersion(id, { message: `v${v}`, document: sampleDocument(`${p}.${v}`) })
    }
  }
  for (let r = 0; r < 300; r += 1) {
    store.runs.start({
      id: `run-${r}`,
      pipelineId: 'p',
      pipelineName: 'P',
      pipelineVersion: 1,
      trigger: 'cli',
      parameters: {},
      startedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, r)).toISOString(),
    })
  }
  store.close()
  return path
}

describe('opening project files', () => {
  it('migrates a file from schema 1 and keeps its data', () => {
    const path = join(tempDir(), 'old.sluice')
    copyFileSync(v1Fixture, path)
    const store = ProjectStore.open(path)
    expect(store.info()).toMatchObject({
      name: 'Old project',
      schemaVersion: 4,
      stagingPath: join(path, '..', 'old.staging', 'staging.duckdb'),
    })
    const [pipeline] = store.pipelines.list()
    expect(pipeline).toMatchObject({
      name: 'Orders',
      tags: ['sales'],
      latestVersion: 2,
      unsaved: false,
    })
    expect(store.pipelines.version('p1', 1).document.nodes[0]?.label).toBe('first')
    expect(store.connections.findByName('Warehouse')).toMatchObject({
      host: 'db.local',
      port: 5432,
    })
    expect(store.parameters.values()).toEqual({ region: 'EU' })
    expect(store.runs.get('r1')).toMatchObject({ status: 'succeeded', checks: [] })
    store.schedules.create({
      pipelineId: 'p1',
      cron: '0 * * * *',
      timezone: 'UTC',
      enabled: true,
      parameters: {},
    })
    store.watermarks.set({ pipelineId: 'p1', nodeId: 'orders', value: '42', runId: 'r1' })
    store.runs.recordChecks('r1', [
      {
        nodeId: 'orders',
        check: 'unique',
        status: 'passed',
        rowsPassed: 3,
        rowsFailed: 0,
        message: '',
      },
    ])
    expect(store.runs.get('r1').checks).toHaveLength(1)
    expect(store.schedules.list()).toHaveLength(1)
    store.close()
  })

  it('refuses a file from a newer Sluice, naming the file and version', () => {
    const path = join(tempDir(), 'new.sluice')
    ProjectStore.create(path, { name: 'New' }).close()
    const db = new Database(path)
    db.pragma('user_version = 99')
    db.close()
    const error = failureOf(() => ProjectStore.open(path))
    expect(error.code).toBe('PROJECT_TOO_NEW')
    expect(error.message).toContain(path)
    expect(error.message).toContain('project format 99')
  })

  it('says clearly when a file is missing, already there, or not a project', () => {
    const dir = tempDir()
    expect(failureOf(() => ProjectStore.open(join(dir, 'none.sluice'))).code).toBe(
      'PROJECT_NOT_FOUND',
    )
    ProjectStore.create(join(dir, 'here.sluice'), { name: 'Here' }).close()
    expect(failureOf(() => ProjectStore.create(join(dir, 'here.sluice'), { name: 'X' })).code).toBe(
      'PROJECT_EXISTS',
    )
    writeFileSync(join(dir, 'notes.sluice'), 'just some notes\n')
    const text = failureOf(() => ProjectStore.open(join(dir, 'notes.sluice')))
    expect(text.message).toBe(
      `${join(dir, 'notes.sluice')} is not a Sluice project (it is not a SQLite database).`,
    )
    const foreign = new Database(join(dir, 'foreign.sluice'))
    foreign.exec('CREATE TABLE t (x)')
    foreign.close()
    expect(failureOf(() => ProjectStore.open(join(dir, 'foreign.sluice'))).code).toBe(
      'PROJECT_NOT_SLUICE',
    )
    writeFileSync(join(dir, 'empty.sluice'), '')
    expect(failureOf(() => ProjectStore.open(join(dir, 'empty.sluice'))).code).toBe(
      'PROJECT_DAMAGED',
    )
  })

  it('reports a truncated file as damaged, naming it', () => {
    const path = projectWithData()
    truncateSync(path, Math.floor(statSync(path).size / 2))
    const error = failureOf(() => ProjectStore.open(path))
    expect(error.code).toBe('PROJECT_DAMAGED')
    expect(error.message).toContain(path)
    expect(error.message).not.toMatch(/SQLITE|malformed/)
  })

  it('reports random bytes in the middle of a file as damaged, naming it', () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const path = projectWithData()
      const size = statSync(path).size
      const handle = openSync(path, 'r+')
      const garbage = Buffer.from(
        Array.from({ length: 3 * 4096 }, () => Math.floor(Math.random() * 256)),
      )
      writeSync(handle, garbage, 0, garbage.length, Math.floor(size / 2 / 4096) * 4096)
      closeSync(handle)
      const error = failureOf(() => {
        // Damage may surface on open or on the first read of what was hit; either way, no crash.
        const store = ProjectStore.open(path)
        try {
          store.pipelines.list().forEach((p) => store.pipelines.get(p.id))
          store.runs.list({ limit: 1000 })
        } finally {
          store.close()
        }
      })
      expect(error.code).toBe('PROJECT_DAMAGED')
      expect(error.message).toContain(path)
    }
  })
})
