import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProjectStore } from './project-store'
import { failureOf, sampleDocument, useTempDir } from './store-test-support'

const tempDir = useTempDir()

describe('project store', () => {
  it('keeps project info, with the staging file beside the project by default', () => {
    const dir = tempDir()
    const store = ProjectStore.create(join(dir, 'sales.sluice'), { name: 'Sales' })
    expect(store.info()).toMatchObject({
      name: 'Sales',
      description: '',
      schemaVersion: 4,
      stagingPath: join(dir, 'sales.staging', 'staging.duckdb'),
    })
    store.update({ description: 'Monthly', stagingPath: join(dir, 'data', 'stage.duckdb') })
    store.close()
    const opened = ProjectStore.open(join(dir, 'sales.sluice'))
    expect(opened.info()).toMatchObject({
      description: 'Monthly',
      stagingPath: join(dir, 'data', 'stage.duckdb'),
    })
    expect(opened.internals().metadata.storedStagingPath()).toBe(join('data', 'stage.duckdb'))
    opened.close()
  })

  it('round-trips connections, parameters, schedules and watermarks', () => {
    const store = ProjectStore.create(join(tempDir(), 'all.sluice'), { name: 'All' })
    const connection = store.connections.create({
      name: 'Warehouse',
      kind: 'postgres',
      host: 'db',
      port: 5432,
      options: { ssl: true },
    })
    expect(store.connections.get(connection.id)).toEqual(connection)
    expect(store.connections.findByName('warehouse')?.id).toBe(connection.id)
    expect(
      failureOf(() => store.connections.create({ name: 'WAREHOUSE', kind: 'mysql', options: {} }))
        .code,
    ).toBe('NAME_TAKEN')
    const updated = store.connections.update(connection.id, {
      name: 'DW',
      kind: 'postgres',
      options: {},
    })
    expect(updated).toMatchObject({ name: 'DW', options: {} })
    expect(updated.host).toBeUndefined()
    store.connections.delete(connection.id)
    expect(failureOf(() => store.connections.get(connection.id)).code).toBe('CONNECTION_NOT_FOUND')

    store.parameters.set({ name: 'region', value: 'EU', description: '' })
    store.parameters.set({ name: 'region', value: 'US', description: 'where' })
    expect(store.parameters.values()).toEqual({ region: 'US' })
    store.parameters.delete('region')
    expect(failureOf(() => store.parameters.delete('region')).code).toBe('PARAMETER_NOT_FOUND')

    const { id } = store.pipelines.create({ name: 'P', document: sampleDocument('a') })
    const schedule = store.schedules.create({
      pipelineId: id,
      cron: '0 6 * * *',
      timezone: 'UTC',
      enabled: true,
      parameters: { region: 'EU' },
    })
    expect(store.schedules.list()).toEqual([schedule])
    store.watermarks.set({ pipelineId: id, nodeId: 'orders', value: '2024-01-01', runId: null })
    store.watermarks.set({ pipelineId: id, nodeId: 'orders', value: '2024-02-01', runId: 'r' })
    expect(store.watermarks.get(id, 'orders')).toMatchObject({ value: '2024-02-01', runId: 'r' })
    store.pipelines.delete(id)
    expect(store.schedules.list()).toEqual([])
    expect(store.watermarks.list(id)).toEqual([])
    expect(failureOf(() => store.schedules.delete(schedule.id)).code).toBe('SCHEDULE_NOT_FOUND')
    store.close()
  })
})
