import type { PushReport } from '../../../src-shared/databases'
import type { SluiceError } from '../../../src-shared/errors'
import { qualityBadge, type QualityBadge } from '../panels/quality/quality-summary'
import type { NodeRunState } from '../stores/run'

/** What a node's badge shows, from the latest run's state of the node. */
export type BadgeKind =
  'idle' | 'stale' | 'running' | 'done' | 'reused' | 'failed' | 'cancelled' | 'skipped' | 'blocked'

export interface NodeBadge {
  kind: BadgeKind
  /** Running: how far, when the engine knows (0-100). */
  percent?: number
  /** Rows read so far (running) or written out (done, reused). */
  rows?: number
  rejected?: number
  /** Database pushes (done): what changed, or in a dry run would change, in the target. */
  push?: Pick<PushReport, 'target' | 'dryRun' | 'inserted' | 'updated' | 'deleted'>
  /** Check, validate and gate nodes: their rules' worst outcome, or the gate's decision. */
  quality?: QualityBadge
  warnings: string[]
  error?: SluiceError
}

/**
 * The badge of a node: idle before any run, running with its progress, otherwise how it ended;
 * a finished node whose config changed since is stale, whatever it showed before.
 */
export function nodeBadge(
  state: NodeRunState | undefined,
  stale: boolean,
  isGate = false,
): NodeBadge {
  if (!state) {
    return { kind: 'idle', warnings: [] }
  }
  if (state.status === 'running') {
    const { percent, rows } = state.progress ?? {}
    return {
      kind: 'running',
      warnings: state.warnings,
      ...(percent === undefined
        ? {}
        : { percent: Math.max(0, Math.min(100, Math.round(percent))) }),
      ...(rows === undefined ? {} : { rows }),
    }
  }
  if (stale) {
    return { kind: 'stale', warnings: [] }
  }
  return {
    kind: state.status,
    warnings: state.warnings,
    ...(state.rowsOut === undefined ? {} : { rows: state.rowsOut }),
    ...(state.rowsRejected ? { rejected: state.rowsRejected } : {}),
    ...(state.error ? { error: state.error } : {}),
    ...(state.push ? { push: pushOf(state.push) } : {}),
    ...(state.quality ? { quality: qualityBadge(state.quality, isGate) } : {}),
  }
}

function pushOf({ target, dryRun, inserted, updated, deleted }: PushReport): NodeBadge['push'] {
  return { target, dryRun, inserted, updated, deleted }
}
