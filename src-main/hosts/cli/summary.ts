import type { SluiceError } from '../../../src-shared/errors'
import type { RunResult } from '../../../src-shared/run'

/** The end-of-run table: per node, its status, rows in/out, rejects and time. */
export function formatRunSummary(result: RunResult): string {
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
  const written = result.nodes
    .filter((stats) => stats.written)
    .map((stats) => `  ${stats.written} (${stats.rowsOut.toLocaleString('en')} rows)`)
  return [
    line(header),
    line(widths.map((width) => '─'.repeat(width))),
    ...rows.map(line),
    '',
    `Run ${result.status} in ${(result.ms / 1000).toFixed(2)} s; ${rejected.toLocaleString('en')} row(s) rejected.`,
    ...(written.length > 0 ? ['Wrote:', ...written] : []),
    ...result.errors.map(formatError),
  ].join('\n')
}

/** One error as the CLI prints it: the sentence, and where. */
export function formatError(error: SluiceError): string {
  const where = [error.nodeId ? `node ${error.nodeId}` : '', error.field ?? '']
    .filter(Boolean)
    .join(', ')
  return `error [${error.code}]${where ? ` (${where})` : ''}: ${error.message}`
}
