import type { PushReport } from '../../../src-shared/databases'
import type { SluiceError } from '../../../src-shared/errors'
import type { NodeStats } from '../../../src-shared/run'
import { formatQualitySummary, type QualityOutcome } from './quality-summary'

/** What the summary needs of a run: an engine result, or a run record from a project. */
export interface RunOutcome {
  status: string
  ms: number
  nodes: ReadonlyArray<
    Pick<NodeStats, 'nodeId' | 'kind' | 'status' | 'rowsIn' | 'rowsOut' | 'rowsRejected' | 'ms'> &
      QualityOutcome & {
        written?: string
        push?: PushReport
      }
  >
  errors: readonly SluiceError[]
}

/** The end-of-run table: per node, its status, rows in/out, rejects and time. */
export function formatRunSummary(result: RunOutcome): string {
  const header = ['node', 'kind', 'status', 'rows in', 'rows out', 'rejects', 'time']
  const rows = result.nodes.map((stats) => [
    stats.nodeId,
    stats.kind,
    stats.status,
    stats.rowsIn.toLocaleString('en'),
    stats.rowsOut.toLocaleString('en'),
    stats.rowsRejected.toLocaleString('en'),
    `${stats.ms} ms`,
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const numeric = new Set([3, 4, 5, 6])
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
  const rejected = result.nodes.reduce((sum, stats) => sum + stats.rowsRejected, 0)
  const pushes = result.nodes.flatMap((stats) => (stats.push ? [describePush(stats.push)] : []))
  const written = result.nodes
    .filter((stats) => stats.written && !stats.push)
    .map((stats) => `  ${stats.written} (${stats.rowsOut.toLocaleString('en')} rows)`)
  const reused = result.nodes.filter((stats) => stats.status === 'reused').length
  const reuseLine =
    reused > 0
      ? [`Reused ${reused} of ${result.nodes.length} nodes: unchanged since their last run.`]
      : []
  return [
    line(header),
    line(widths.map((width) => '─'.repeat(width))),
    ...rows.map(line),
    '',
    `Run ${result.status} in ${(result.ms / 1000).toFixed(2)} s; ${rejected.toLocaleString('en')} row(s) rejected.`,
    ...reuseLine,
    ...(written.length > 0 ? ['Wrote:', ...written] : []),
    ...pushes,
    ...formatQualitySummary(result.nodes),
    // The quality section says which pushes were blocked, and why.
    ...result.errors.filter((error) => error.code !== 'QUALITY_BLOCKED').map(formatError),
  ].join('\n')
}

/** One error as the CLI prints it: the sentence, and where. */
export function formatError(error: SluiceError): string {
  const where = [error.nodeId ? `node ${error.nodeId}` : '', error.field ?? '']
    .filter(Boolean)
    .join(', ')
  return `error [${error.code}]${where ? ` (${where})` : ''}: ${error.message}`
}

/** A push's changes, and for a dry run the DDL and sample rows, so the user can decide. */
function describePush(push: PushReport): string {
  const count = (value: number): string => value.toLocaleString('en')
  const changes = `${count(push.inserted)} inserted, ${count(push.updated)} updated, ${count(push.deleted)} deleted`
  if (!push.dryRun) {
    return `Pushed to ${push.target}: ${changes}.`
  }
  const lines = [`Dry run of ${push.target} (nothing was changed): would be ${changes}.`]
  for (const statement of push.ddl) {
    lines.push(`  would run: ${statement}`)
  }
  for (const [change, rows] of Object.entries(push.samples ?? {})) {
    for (const row of rows) {
      lines.push(`  ${change}: ${JSON.stringify(row)}`)
    }
  }
  return lines.join('\n')
}
