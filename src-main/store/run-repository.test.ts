import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sluiceError } from '../../src-shared/errors'
import { ProjectStore } from './project-store'
import { failureOf, useTempDir } from './store-test-support'

const tempDir = useTempDir()

function startRun(store: ProjectStore, id: string, startedAt: string, pipelineId = 'p1'): void {
  store.runs.start({
    id,
    pipelineId,
    pipelineName: 'Orders',
    pipelineVersion: null,
    trigger: 'manual',
    parameters: { region: 'EU' },
    startedAt,
  })
}

describe('runs', () => {
  it('records nodes, checks, logs and the outcome of a run', () => {
    const store = ProjectStore.create(join(tempDir(), 'runs.sluice'), { name: 'Runs' })
    startRun(store, 'r1', '2024-01-01T00:00:00.000Z')
    const node = {
      kind: 'csv-source',
      rowsIn: 10,
      rowsOut: 9,
      rowsRejected: 1,
      ms: 12,
      fingerprint: 'f',
      warnings: ['one line rejected'],
    }
    store.runs.recordNode('r1', { ...node, nodeId: 'a', status: 'done', reused: false })
    store.runs.recordNode('r1', { ...node, nodeId: 'b', status: 'reused', reused: true })
    store.runs.recordChecks('r1', [
      {
        nodeId: 'a',
        check: 'not-null',
        status: 'failed',
        rowsPassed: 8,
        rowsFailed: 1,
        message: 'x',
      },
    ])
    expect(
      store.runs.appendLog('r1', { at: 't', level: 'info', nodeId: null, message: 'go' }).seq,
    ).toBe(1)
    expect(
      store.runs.appendLog('r1', { at: 't', level: 'warn', nodeId: 'a', message: 'hm' }).seq,
    ).toBe(2)
    store.runs.appendLog('r1', { at: 't', level: 'info', nodeId: null, message: 'done' })
    const summary = store.runs.finish('r1', {
      status: 'failed',
      endedAt: '2024-01-01T00:01:00.000Z',
      errors: [sluiceError('CANCELLED')],
    })
    expect(summary).toMatchObject({ status: 'failed', nodesRun: 1, nodesReused: 1 })
    expect(summary.errorMessage).toBe('The run was cancelled.')
    const record = store.runs.get('r1')
    expect(record.nodes.map((n) => n.nodeId)).toEqual(['a', 'b'])
    expect(record.nodes[0]?.warnings).toEqual(['one line rejected'])
    expect(record.checks[0]).toMatchObject({ check: 'not-null', rowsFailed: 1 })
    expect(record.parameters).toEqual({ region: 'EU' })
    expect(store.runs.logs('r1', 1).map((l) => l.message)).toEqual(['hm', 'done'])
    expect(failureOf(() => store.runs.get('nope')).code).toBe('RUN_NOT_FOUND')
    store.close()
  })

  it('pages 10,000 runs newest first with before, quickly', () => {
    const store = ProjectStore.create(join(tempDir(), 'many.sluice'), { name: 'Many' })
    store.internals().database.write(() => {
      for (let i = 0; i < 10_000; i += 1) {
        // Every ten runs share a start time, so paging must break ties by id.
        const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 10) * 1000).toISOString()
        startRun(store, `run-${String(i).padStart(5, '0')}`, at, i % 2 === 0 ? 'even' : 'odd')
      }
    })
    const first = store.runs.list({ limit: 50 })
    const started = performance.now()
    const second = store.runs.list({ limit: 50, before: first.at(-1)?.id })
    const ms = performance.now() - started
    console.log(`a page of 50 runs out of 10,000: ${ms.toFixed(2)} ms`)
    expect(ms).toBeLessThan(20)
    const ids = [...first, ...second].map((run) => run.id)
    expect(ids[0]).toBe('run-09999')
    expect(ids).toEqual(
      Array.from({ length: 100 }, (_, i) => `run-${String(9999 - i).padStart(5, '0')}`),
    )
    const odd = store.runs.list({ pipelineId: 'odd', limit: 3, before: 'run-09999' })
    expect(odd.map((run) => run.id)).toEqual(['run-09997', 'run-09995', 'run-09993'])
    const plan = store
      .internals()
      .database.db.prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM runs WHERE (started_at, id) < (?, ?) ORDER BY started_at DESC, id DESC LIMIT 50',
      )
      .all('x', 'y') as Array<{ detail: string }>
    expect(plan.map((row) => row.detail).join(' ')).toContain('runs_by_start')
    store.close()
  })

  it('marks runs left running by a dead process as interrupted on open', () => {
    const path = join(tempDir(), 'dead.sluice')
    const store = ProjectStore.create(path, { name: 'Dead' })
    startRun(store, 'alive', '2024-01-01T00:00:00.000Z')
    startRun(store, 'dead', '2024-01-01T00:00:01.000Z')
    // A pid far above any real one stands for a process that has died.
    store.internals().database.db.prepare("UPDATE runs SET pid = 99999999 WHERE id = 'dead'").run()
    store.close()
    const opened = ProjectStore.open(path)
    expect(opened.runs.get('dead').status).toBe('interrupted')
    expect(opened.runs.get('alive').status).toBe('running')
    opened.close()
  })
})
