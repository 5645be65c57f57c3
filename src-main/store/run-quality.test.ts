import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { NodeRunRecord, RunRecordStatus } from '../../src-shared/project'
import type { NodeQuality, RuleResult } from '../../src-shared/quality'
import { exportProject, importProject } from './project-export'
import { ProjectStore } from './project-store'
import { useTempDir } from './store-test-support'

const tempDir = useTempDir()

function rule(name: string, fields: Partial<RuleResult> = {}): RuleResult {
  return {
    rule: name,
    check: 'not-null',
    severity: 'fail',
    dimension: 'completeness',
    columns: ['email'],
    status: 'passed',
    tested: 10,
    failed: 0,
    passRate: 1,
    mostly: 1,
    message: 'every row has an email',
    samples: [],
    ...fields,
  }
}

function quality(score: number, schema = [{ name: 'id', type: 'BIGINT' }]): NodeQuality {
  return {
    rules: [
      rule('email present', {
        status: 'failed',
        failed: 2,
        passRate: 0.8,
        message: '2 of 10 rows have no email',
        samples: [{ id: 3, email: null }],
      }),
    ],
    score: {
      score,
      dimensions: { completeness: score },
      columns: [{ name: 'email', score, dimensions: { completeness: score } }],
    },
    schema,
  }
}

function checkNode(rowsIn: number, nodeQuality?: NodeQuality): NodeRunRecord {
  return {
    nodeId: 'check',
    kind: 'quality.validate',
    status: 'done',
    rowsIn,
    rowsOut: rowsIn,
    rowsRejected: 0,
    ms: 3,
    fingerprint: 'f',
    reused: false,
    warnings: [],
    ...(nodeQuality ? { quality: nodeQuality } : {}),
  }
}

/** Records a finished run of pipeline p1 whose check node saw `rowsIn` rows. */
function recordRun(
  store: ProjectStore,
  id: string,
  minute: number,
  status: RecordStatus,
  node: NodeRunRecord,
): void {
  const at = new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString()
  store.runs.start({
    id,
    pipelineId: 'p1',
    pipelineName: 'Orders',
    pipelineVersion: null,
    trigger: 'manual',
    parameters: {},
    startedAt: at,
  })
  store.runs.recordNode(id, node)
  store.runs.finish(id, { status, endedAt: at, errors: [] })
}
type RecordStatus = Exclude<RunRecordStatus, 'running'>

describe('quality results in the run history', () => {
  it('keeps each node quality, rule rows with kind and pass rate, and a blocked status', () => {
    const store = ProjectStore.create(join(tempDir(), 'q.sluice'), { name: 'Q' })
    const blockedPush: NodeRunRecord = {
      ...checkNode(0),
      nodeId: 'push',
      kind: 'sink.database',
      status: 'blocked',
      warnings: ['Push "push" did not run: gate stopped it (score 80 is below 90).'],
    }
    recordRun(store, 'r1', 0, 'blocked', checkNode(10, quality(80)))
    store.runs.recordNode('r1', blockedPush)
    store.runs.recordChecks('r1', [
      {
        nodeId: 'check',
        check: 'email present',
        status: 'blocked',
        rowsPassed: 8,
        rowsFailed: 2,
        message: '2 of 10 rows have no email',
        kind: 'not-null',
        severity: 'block',
        passRate: 0.8,
      },
    ])
    const record = store.runs.get('r1')
    expect(record.status).toBe('blocked')
    expect(record.nodesRun).toBe(1)
    expect(record.nodes.map((node) => [node.nodeId, node.status])).toEqual([
      ['check', 'done'],
      ['push', 'blocked'],
    ])
    expect(record.nodes[0]?.quality).toEqual(quality(80))
    expect(record.nodes[1]?.quality).toBeUndefined()
    expect(record.checks).toEqual([
      {
        nodeId: 'check',
        check: 'email present',
        status: 'blocked',
        rowsPassed: 8,
        rowsFailed: 2,
        message: '2 of 10 rows have no email',
        kind: 'not-null',
        severity: 'block',
        passRate: 0.8,
      },
    ])
    // Recording a node's rules again replaces them rather than doubling them.
    store.runs.recordChecks('r1', [{ ...record.checks[0]!, status: 'warned' }])
    expect(store.runs.get('r1').checks.map((check) => check.status)).toEqual(['warned'])
    store.close()
  })

  it('gives the input of the last succeeded run where the node was done, never a blocked one', () => {
    const store = ProjectStore.create(join(tempDir(), 'prev.sluice'), { name: 'Prev' })
    expect(store.runs.previousInput('p1', 'check')).toBeNull()
    const twoColumns = [
      { name: 'id', type: 'BIGINT' },
      { name: 'email', type: 'VARCHAR' },
    ]
    recordRun(store, 'r1', 0, 'succeeded', checkNode(100, quality(100, twoColumns)))
    expect(store.runs.previousInput('p1', 'check')).toEqual({ rows: 100, schema: twoColumns })
    recordRun(store, 'r2', 1, 'blocked', checkNode(120, quality(90)))
    // A blocked run's data was stopped: the same drift must not pass next time by comparing
    // with it. Failed and cancelled runs, and runs where the node did not finish, are ignored.
    recordRun(store, 'r3', 2, 'failed', checkNode(5, quality(10)))
    recordRun(store, 'r4', 3, 'cancelled', checkNode(6, quality(10)))
    recordRun(store, 'r5', 4, 'succeeded', { ...checkNode(7, quality(10)), status: 'reused' })
    expect(store.runs.previousInput('p1', 'check')).toEqual({ rows: 100, schema: twoColumns })
    expect(store.runs.previousInput('p1', 'other')).toBeNull()
    expect(store.runs.previousInput('p2', 'check')).toBeNull()
    // A node recorded without quality (a plain row-count check, say) still gives its count.
    recordRun(store, 'r6', 5, 'succeeded', checkNode(42))
    expect(store.runs.previousInput('p1', 'check')).toEqual({ rows: 42, schema: [] })
    store.close()
  })

  it('lists the score trend oldest first, the newest `limit` runs that scored the node', () => {
    const store = ProjectStore.create(join(tempDir(), 'trend.sluice'), { name: 'Trend' })
    recordRun(store, 'r1', 0, 'succeeded', checkNode(10, quality(100)))
    recordRun(store, 'r2', 1, 'failed', checkNode(10, quality(40)))
    recordRun(store, 'r3', 2, 'succeeded', checkNode(10))
    recordRun(store, 'r4', 3, 'blocked', checkNode(10, quality(75.5)))
    const trend = store.runs.qualityTrend('p1', 'check', 50)
    expect(trend.map((point) => [point.runId, point.status, point.score])).toEqual([
      ['r1', 'succeeded', 100],
      ['r2', 'failed', 40],
      ['r4', 'blocked', 75.5],
    ])
    expect(trend[0]).toEqual({
      runId: 'r1',
      startedAt: '2024-01-01T00:00:00.000Z',
      status: 'succeeded',
      score: 100,
      dimensions: { completeness: 100 },
    })
    const lastTwo = store.runs.qualityTrend('p1', 'check', 2)
    expect(lastTwo.map((point) => point.runId)).toEqual(['r2', 'r4'])
    expect(store.runs.qualityTrend('p1', 'nope', 5)).toEqual([])
    store.close()
  })

  it('exports and imports quality results, and imports exports made before them', () => {
    const source = ProjectStore.create(join(tempDir(), 'src.sluice'), { name: 'Src' })
    const { id } = source.pipelines.create({
      name: 'Orders',
      document: { formatVersion: 1, name: 'Orders', parameters: {}, nodes: [], edges: [] },
    })
    source.runs.start({
      id: 'r1',
      pipelineId: id,
      pipelineName: 'Orders',
      pipelineVersion: null,
      trigger: 'manual',
      parameters: {},
      startedAt: '2024-01-01T00:00:00.000Z',
    })
    source.runs.recordNode('r1', checkNode(10, quality(80)))
    source.runs.recordChecks('r1', [
      {
        nodeId: 'check',
        check: 'email present',
        status: 'blocked',
        rowsPassed: 8,
        rowsFailed: 2,
        message: 'm',
        kind: 'not-null',
        severity: 'block',
        passRate: 0.8,
      },
    ])
    source.runs.finish('r1', { status: 'blocked', endedAt: '2024-01-01T00:00:01.000Z', errors: [] })
    const data = JSON.parse(JSON.stringify(exportProject(source, { includeRuns: true })))
    source.close()

    const copy = importProject(join(tempDir(), 'copy.sluice'), data)
    const copied = copy.runs.get('r1')
    expect(copied.status).toBe('blocked')
    expect(copied.nodes[0]?.quality).toEqual(quality(80))
    expect(copied.checks[0]).toMatchObject({ status: 'blocked', kind: 'not-null', passRate: 0.8 })
    expect(copy.runs.qualityTrend(copied.pipelineId, 'check', 5).map((p) => p.score)).toEqual([80])
    copy.close()

    // An export written before quality existed: no quality, checks without kind or pass rate.
    const old = structuredClone(data)
    delete old.runs[0].nodes[0].quality
    old.runs[0].checks = [
      {
        nodeId: 'check',
        check: 'email present',
        status: 'failed',
        rowsPassed: 8,
        rowsFailed: 2,
        message: 'm',
      },
    ]
    const fromOld = importProject(join(tempDir(), 'old.sluice'), old)
    expect(fromOld.runs.get('r1').nodes[0]?.quality).toBeUndefined()
    expect(fromOld.runs.get('r1').checks).toEqual([old.runs[0].checks[0]])
    fromOld.close()
  })

  it('upgrades a schema 3 file: old runs read unchanged, new ones keep their quality', () => {
    const path = join(tempDir(), 'v3.sluice')
    const store = ProjectStore.create(path, { name: 'V3' })
    recordRun(store, 'r1', 0, 'succeeded', checkNode(10))
    store.close()
    // Take the file back to schema 3, as a release before quality wrote it.
    const db = new Database(path)
    db.exec(`
      ALTER TABLE run_nodes DROP COLUMN quality;
      ALTER TABLE run_checks DROP COLUMN kind;
      ALTER TABLE run_checks DROP COLUMN severity;
      ALTER TABLE run_checks DROP COLUMN pass_rate;
      PRAGMA user_version = 3;
    `)
    db.close()
    const reopened = ProjectStore.open(path)
    expect(reopened.info().schemaVersion).toBe(4)
    expect(reopened.runs.get('r1').nodes[0]).toEqual(checkNode(10))
    recordRun(reopened, 'r2', 1, 'blocked', checkNode(12, quality(70)))
    expect(reopened.runs.get('r2').nodes[0]?.quality).toEqual(quality(70))
    reopened.close()
  })
})
