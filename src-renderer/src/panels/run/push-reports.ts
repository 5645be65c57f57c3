import type { ChangeSamples, PushReport } from '../../../../src-shared/databases'
import type { NodeStats } from '../../../../src-shared/run'

/** A node's push, as the run panel lists it. */
export interface NodePush {
  nodeId: string
  report: PushReport
}

/** A sample of changed rows as a small table: the union of the rows' columns, values as text. */
export interface SampleTable {
  change: keyof ChangeSamples
  columns: string[]
  rows: string[][]
}

/** The pushes of a run's nodes, in the run's order. */
export function pushesOf(nodes: readonly Pick<NodeStats, 'nodeId' | 'push'>[]): NodePush[] {
  return nodes.flatMap((node) => (node.push ? [{ nodeId: node.nodeId, report: node.push }] : []))
}

/** How one sampled value reads in a cell; `nullText` stands for SQL NULL. */
export function cellText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) {
    return nullText
  }
  if (typeof value === 'object') {
    return JSON.stringify(value)
  }
  return String(value)
}

/** The dry run's samples as tables, one per kind of change that has rows. */
export function sampleTables(samples: ChangeSamples | undefined, nullText: string): SampleTable[] {
  if (!samples) {
    return []
  }
  const changes: (keyof ChangeSamples)[] = ['insert', 'update', 'delete']
  return changes.flatMap((change) => {
    const rows = samples[change]
    if (rows.length === 0) {
      return []
    }
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
    return [
      {
        change,
        columns,
        rows: rows.map((row) => columns.map((column) => cellText(row[column], nullText))),
      },
    ]
  })
}
