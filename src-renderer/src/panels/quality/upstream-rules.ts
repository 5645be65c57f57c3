import type { Pipeline } from '../../../../src-shared/pipeline'
import { upstreamNodeIds } from '../config/upstream'

/**
 * The names of the rules in every check and validate node above `nodeId`, in the order met
 * walking up: what a quality gate can name. A check node's rule is called by its `name`, or by
 * its kind when unnamed (its schema's default).
 */
export function upstreamRuleNames(document: Pipeline, nodeId: string): string[] {
  const names = new Set<string>()
  const seen = new Set<string>([nodeId])
  const pending = upstreamNodeIds(document, nodeId)
  while (pending.length > 0) {
    const id = pending.shift() as string
    if (seen.has(id)) {
      continue
    }
    seen.add(id)
    const node = document.nodes.find((candidate) => candidate.id === id)
    for (const name of node ? ruleNamesOf(node.kind, node.config) : []) {
      names.add(name)
    }
    pending.push(...upstreamNodeIds(document, id))
  }
  return [...names]
}

function ruleNamesOf(kind: string, config: Record<string, unknown>): string[] {
  if (kind.startsWith('check.')) {
    const name = config['name']
    return [typeof name === 'string' && name.trim() !== '' ? name.trim() : kind.slice(6)]
  }
  if (kind === 'quality.validate' && Array.isArray(config['rules'])) {
    return config['rules'].flatMap((rule: unknown) => {
      const name = (rule as { name?: unknown } | null)?.name
      return typeof name === 'string' && name.trim() !== '' ? [name.trim()] : []
    })
  }
  return []
}
