import { sluiceError, type SluiceError } from '../../../src-shared/errors'
import type { NodeStats } from '../../../src-shared/run'
import type { UpstreamQuality } from '../nodes/executor'
import type { Plan, PlannedNode } from './plan'

/** Whether a node judges data with rules of its own (a check or a validate suite, not a gate). */
function checksData(planned: PlannedNode): boolean {
  return planned.node.kind.startsWith('check.') || planned.node.kind === 'quality.validate'
}

/**
 * The check and validate nodes upstream of a node, with what they found in this run. `nearest`
 * marks those with no other check or validate node between them and the node: a gate's score
 * is theirs, while a rule it names may sit anywhere upstream.
 */
export function upstreamQualityOf(
  plan: Plan,
  target: PlannedNode,
  finished: ReadonlyMap<string, NodeStats>,
): UpstreamQuality[] {
  const nearest = new Map<string, boolean>()
  const visit = (planned: PlannedNode, clear: boolean): void => {
    for (const from of Object.values(planned.inputs)) {
      const upstream = plan.byId.get(from.node)
      if (!upstream) {
        continue
      }
      const checks = checksData(upstream)
      const seen = nearest.get(upstream.node.id)
      if (seen === true || (seen === false && !clear)) {
        continue
      }
      // Remembered for every node reached: whether a path with no check on it reached it.
      nearest.set(upstream.node.id, clear)
      visit(upstream, clear && !checks)
    }
  }
  visit(target, true)
  return [...nearest.entries()].flatMap(([nodeId, isNearest]) => {
    const planned = plan.byId.get(nodeId)
    const quality = finished.get(nodeId)?.quality
    return planned && checksData(planned) && quality
      ? [{ nodeId, quality, nearest: isNearest }]
      : []
  })
}

/**
 * Why a push may not run: the first node upstream of it whose quality blocks (a closed gate, or a
 * `block` rule that missed its threshold), as the QUALITY_BLOCKED error; null when none does.
 */
export function blockingQuality(
  plan: Plan,
  sink: PlannedNode,
  finished: ReadonlyMap<string, NodeStats>,
): SluiceError | null {
  const seen = new Set<string>()
  const queue = Object.values(sink.inputs).map((from) => from.node)
  while (queue.length > 0) {
    const id = queue.shift() as string
    if (seen.has(id)) {
      continue
    }
    seen.add(id)
    const stats = finished.get(id)
    const blocked = stats?.quality?.blocked
    if (stats && blocked) {
      const rule = stats.quality?.rules.find((result) => result.status === 'blocked')
      const gate =
        stats.kind === 'quality.gate' || !rule
          ? `quality gate "${id}"`
          : `rule "${rule.rule}" of "${id}"`
      const reason = stats.kind === 'quality.gate' || !rule ? blocked : rule.message
      return sluiceError(
        'QUALITY_BLOCKED',
        { node: sink.node.id, gate, reason },
        { nodeId: sink.node.id },
      )
    }
    const planned = plan.byId.get(id)
    queue.push(...Object.values(planned?.inputs ?? {}).map((from) => from.node))
  }
  return null
}
