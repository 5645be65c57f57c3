import { describe, expect, it } from 'vitest'
import type { NodeRunState } from '../stores/run'
import { nodeBadge } from './node-badge'

const finished = (extra: Partial<NodeRunState>): NodeRunState => ({
  status: 'done',
  warnings: [],
  configAtRun: '{}',
  ...extra,
})

describe('nodeBadge', () => {
  it('is idle before any run', () => {
    expect(nodeBadge(undefined, false)).toEqual({ kind: 'idle', warnings: [] })
  })

  it('shows progress while running, clamped to whole percents', () => {
    const running = finished({ status: 'running', progress: { nodeId: 'a', percent: 41.6 } })
    expect(nodeBadge(running, false)).toEqual({ kind: 'running', percent: 42, warnings: [] })
    const rowsOnly = finished({ status: 'running', progress: { nodeId: 'a', rows: 5000 } })
    expect(nodeBadge(rowsOnly, true)).toEqual({ kind: 'running', rows: 5000, warnings: [] })
  })

  it('carries what a push changed, saying when it was a dry run', () => {
    const push = {
      target: 'sqlite "Shop".main.customers_copy',
      dryRun: true,
      inserted: 3,
      updated: 0,
      deleted: 1,
      ddl: [],
      samples: { insert: [], update: [], delete: [] },
    }
    expect(nodeBadge(finished({ rowsOut: 0, push }), false)).toEqual({
      kind: 'done',
      rows: 0,
      warnings: [],
      push: {
        target: 'sqlite "Shop".main.customers_copy',
        dryRun: true,
        inserted: 3,
        updated: 0,
        deleted: 1,
      },
    })
  })

  it('shows rows, rejects and warnings of a finished node', () => {
    const done = finished({ rowsOut: 1234, rowsRejected: 2, warnings: ['3 rows were cut'] })
    expect(nodeBadge(done, false)).toEqual({
      kind: 'done',
      rows: 1234,
      rejected: 2,
      warnings: ['3 rows were cut'],
    })
    expect(nodeBadge(finished({ status: 'reused', rowsOut: 0 }), false)).toMatchObject({
      kind: 'reused',
      rows: 0,
    })
  })

  it('carries the error of a failed node', () => {
    const error = { code: 'PIPELINE_INVALID', message: 'boom' } as NodeRunState['error']
    expect(nodeBadge(finished({ status: 'failed', error }), false)).toMatchObject({
      kind: 'failed',
      error,
    })
  })

  it('is stale once the config changed since the run', () => {
    expect(nodeBadge(finished({ rowsOut: 10 }), true)).toEqual({ kind: 'stale', warnings: [] })
  })

  it('says a push a quality gate stopped is blocked, and sums up a gate', () => {
    expect(nodeBadge(finished({ status: 'blocked' }), false)).toMatchObject({ kind: 'blocked' })
    const quality = {
      rules: [],
      score: { score: 61.4, dimensions: {}, columns: [] },
      schema: [],
      blocked: 'score 61 is below 90',
    }
    expect(nodeBadge(finished({ quality }), false, true).quality).toEqual({
      outcome: 'closed',
      count: 0,
      total: 0,
      score: 61,
      reason: 'score 61 is below 90',
    })
  })
})
