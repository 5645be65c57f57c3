import { describe, expect, it } from 'vitest'
import type { PushReport } from '../../../../src-shared/databases'
import { cellText, pushesOf, sampleTables } from './push-reports'

const report: PushReport = {
  target: 'shop (sqlite) main.orders',
  dryRun: true,
  inserted: 2,
  updated: 1,
  deleted: 0,
  ddl: ['CREATE TABLE "orders" ("id" INTEGER)'],
  samples: {
    insert: [
      { id: 1, name: 'Zoë' },
      { id: 2, note: null },
    ],
    update: [{ id: 3, tags: ['a', 'b'] }],
    delete: [],
  },
}

describe('pushesOf', () => {
  it('keeps the nodes that pushed, in order', () => {
    expect(
      pushesOf([
        { nodeId: 'read' },
        { nodeId: 'push_1', push: report },
        { nodeId: 'push_2', push: { ...report, dryRun: false } },
      ]).map((push) => push.nodeId),
    ).toEqual(['push_1', 'push_2'])
  })
})

describe('sampleTables', () => {
  it('gives each kind of change with rows a table over the union of their columns', () => {
    expect(sampleTables(report.samples, '(null)')).toEqual([
      {
        change: 'insert',
        columns: ['id', 'name', 'note'],
        rows: [
          ['1', 'Zoë', '(null)'],
          ['2', '(null)', '(null)'],
        ],
      },
      { change: 'update', columns: ['id', 'tags'], rows: [['3', '["a","b"]']] },
    ])
  })

  it('has nothing to show for a real run', () => {
    expect(sampleTables(undefined, '(null)')).toEqual([])
  })
})

describe('cellText', () => {
  it('writes values as text and NULL as the given word', () => {
    expect(cellText(null, 'NULL')).toBe('NULL')
    expect(cellText(12.5, 'NULL')).toBe('12.5')
    expect(cellText(true, 'NULL')).toBe('true')
    expect(cellText({ a: 1 }, 'NULL')).toBe('{"a":1}')
  })
})
