import type { SluiceError } from '../../../src-shared/errors'
import type { NodeQuality } from '../../../src-shared/quality'
import type { NodeStatus } from '../../../src-shared/run'

/** What the quality lines need of a node: a check, validate or gate node's results. */
export interface QualityOutcome {
  nodeId: string
  kind: string
  status: NodeStatus
  quality?: NodeQuality
  warnings?: readonly string[]
  error?: SluiceError
}

/**
 * The run summary's quality section: per check or validate node its score and each rule's
 * status, failed/tested count and message; per gate whether it was open; then which pushes a
 * gate stopped. Empty when the pipeline checks nothing.
 */
export function formatQualitySummary(nodes: readonly QualityOutcome[]): string[] {
  const lines: string[] = []
  for (const node of nodes) {
    if (!node.quality) {
      continue
    }
    const score = formatScore(node.quality.score.score)
    if (node.kind === 'quality.gate') {
      lines.push(
        node.quality.blocked === undefined
          ? `  ${node.nodeId} (${node.kind}): open, score ${score}`
          : `  ${node.nodeId} (${node.kind}): closed, ${node.quality.blocked}`,
      )
      continue
    }
    lines.push(`  ${node.nodeId} (${node.kind}): score ${score}`)
    const rules = node.quality.rules.map((rule) => [
      rule.status,
      rule.rule,
      `${count(rule.failed)}/${count(rule.tested)} failed`,
      rule.message,
    ])
    const widths = [0, 1, 2].map((column) =>
      Math.max(...rules.map((cells) => (cells[column] ?? '').length)),
    )
    for (const cells of rules) {
      const padded = cells.map((cell, column) =>
        column === 2 ? cell.padStart(widths[2] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      lines.push(`    ${padded.join('  ').trimEnd()}`)
    }
  }
  const stopped = nodes
    .filter((node) => node.status === 'blocked')
    .map((node) => `  ${node.error?.message ?? node.warnings?.[0] ?? `${node.nodeId} did not run`}`)
  return [
    ...(lines.length > 0 ? ['Quality:', ...lines] : []),
    ...(stopped.length > 0 ? ['Blocked by quality gate:', ...stopped] : []),
  ]
}

/** Scores are 0–100; one decimal unless whole. */
function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1)
}

function count(value: number): string {
  return value.toLocaleString('en')
}
