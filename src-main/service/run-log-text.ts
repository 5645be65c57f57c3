import type { PushReport } from '../../src-shared/databases'
import type { NodeQuality } from '../../src-shared/quality'
import type { LogLevel, NodeStats } from '../../src-shared/run'

/** The run log's sentences: what each node did, and why a run was blocked. */

/**
 * Why the run was blocked: each closed gate's or `block` rule's reason, or, if the engine gave
 * none, the stopped pushes' own messages.
 */
export function describeBlock(nodes: readonly NodeStats[]): string {
  const closed = nodes.flatMap((stats) =>
    stats.quality?.blocked === undefined
      ? []
      : [
          `${stats.kind === 'quality.gate' ? 'gate' : 'check'} "${stats.nodeId}": ${stats.quality.blocked}`,
        ],
  )
  if (closed.length > 0) {
    return closed.join('; ')
  }
  const stopped = nodes
    .filter((stats) => stats.status === 'blocked')
    .map((stats) => stats.error?.message ?? stats.warnings[0] ?? `"${stats.nodeId}" did not run`)
  return stopped.join('; ') || 'pushes downstream of a gate did not run'
}

/** Failed nodes are errors; blocked pushes and missed rules are warnings. */
export function logLevelOf(stats: NodeStats): LogLevel {
  if (stats.status === 'failed') {
    return 'error'
  }
  const missed = stats.quality?.rules.some((rule) => rule.status !== 'passed') ?? false
  const closed = stats.quality?.blocked !== undefined
  return stats.status === 'blocked' || missed || closed ? 'warn' : 'info'
}

/** The run-log line for a finished node. */
export function describeNode(stats: NodeStats): string {
  const rows = `${stats.rowsOut.toLocaleString('en')} rows`
  switch (stats.status) {
    case 'reused':
      return `Reused the stored result (${rows}); nothing changed since it was made.`
    case 'done':
      if (stats.push) {
        return describePush(stats.push)
      }
      if (stats.quality) {
        return stats.kind === 'quality.gate'
          ? describeGate(stats.quality)
          : describeQuality(stats.quality)
      }
      return stats.written
        ? `Wrote ${rows} to ${stats.written} in ${stats.ms} ms.`
        : `Done: ${rows} out in ${stats.ms} ms${stats.rowsRejected > 0 ? `, ${stats.rowsRejected.toLocaleString('en')} rejected` : ''}.`
    case 'failed':
      return stats.error?.message ?? 'Failed.'
    case 'skipped':
      return stats.error?.message ?? 'Skipped.'
    case 'blocked':
      return stats.warnings[0] ?? 'Blocked by a quality gate.'
    case 'cancelled':
      return 'Cancelled.'
  }
}

/** The run-log line for a check, validate or gate node: its score and how its rules ended. */
function describeQuality(quality: NodeQuality): string {
  const counts = new Map<string, number>()
  for (const rule of quality.rules) {
    counts.set(rule.status, (counts.get(rule.status) ?? 0) + 1)
  }
  const outcome = (['passed', 'warned', 'failed', 'blocked'] as const)
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(', ')
  const rules = quality.rules.length === 1 ? '1 rule' : `${quality.rules.length} rules`
  const stopped = quality.blocked === undefined ? '' : ' The pushes downstream of it will not run.'
  return `Quality score ${formatScore(quality.score.score)}; ${rules}${outcome ? `: ${outcome}` : ''}.${stopped}`
}

/** The run-log line for a gate; the engine logs why a closed gate closed. */
function describeGate(quality: NodeQuality): string {
  return quality.blocked === undefined
    ? `Gate open: the quality score upstream is ${formatScore(quality.score.score)}.`
    : 'Gate closed; the pushes downstream of it will not run.'
}

/** Scores are 0–100; one decimal unless whole. */
function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1)
}

/** The run-log line for a database push: what changed, or in a dry run would change. */
function describePush(push: PushReport): string {
  const counts = `${push.inserted.toLocaleString('en')} inserted, ${push.updated.toLocaleString('en')} updated, ${push.deleted.toLocaleString('en')} deleted`
  return push.dryRun
    ? `Dry run of ${push.target}: would be ${counts}. Nothing was changed.`
    : `Pushed to ${push.target}: ${counts}.`
}
