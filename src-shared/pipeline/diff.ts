import type { FieldChange, PipelineDiff } from '../project'
import type { Pipeline, PipelineEdge, PipelineNode } from './document'

/**
 * What changed from `before` to `after`: nodes matched by id, edges by their endpoints, and the
 * document's name, description and parameters. Every list is sorted, so equal inputs give equal
 * diffs and identical documents give an empty one.
 */
export function diffPipelines(before: Pipeline, after: Pipeline): PipelineDiff {
  const beforeNodes = nodesById(before)
  const afterNodes = nodesById(after)
  const diff: PipelineDiff = {
    nodesAdded: [],
    nodesRemoved: [],
    nodesChanged: [],
    edgesAdded: [],
    edgesRemoved: [],
    pipelineChanges: [],
  }

  for (const id of sortedUnion(beforeNodes.keys(), afterNodes.keys())) {
    const old = beforeNodes.get(id)
    const current = afterNodes.get(id)
    if (old === undefined && current !== undefined) {
      diff.nodesAdded.push({ id, kind: current.kind })
    } else if (old !== undefined && current === undefined) {
      diff.nodesRemoved.push({ id, kind: old.kind })
    } else if (old !== undefined && current !== undefined) {
      const changes: FieldChange[] = []
      // The id is what matched the two nodes, so only the rest can differ.
      const { id: _oldId, ...oldFields } = old
      const { id: _currentId, ...currentFields } = current
      compareValues(oldFields, currentFields, '', changes)
      if (changes.length > 0) {
        diff.nodesChanged.push({ id, kind: current.kind, changes })
      }
    }
  }

  const beforeEdges = new Set(before.edges.map(edgeKey))
  const afterEdges = new Set(after.edges.map(edgeKey))
  diff.edgesAdded = [...afterEdges].filter((key) => !beforeEdges.has(key)).sort(byCodeUnit)
  diff.edgesRemoved = [...beforeEdges].filter((key) => !afterEdges.has(key)).sort(byCodeUnit)

  compareValues(before.name, after.name, 'name', diff.pipelineChanges)
  compareValues(before.description, after.description, 'description', diff.pipelineChanges)
  compareValues(before.parameters, after.parameters, 'parameters', diff.pipelineChanges)
  return diff
}

/** The diff as plain English, one line per change, for the CLI and version history. */
export function describeDiff(diff: PipelineDiff): string[] {
  return [
    ...diff.pipelineChanges.map((change) => `pipeline ${describeChange(change)}`),
    ...diff.nodesAdded.map(({ id, kind }) => `added node ${quote(id)} (${kind})`),
    ...diff.nodesRemoved.map(({ id, kind }) => `removed node ${quote(id)} (${kind})`),
    ...diff.nodesChanged.flatMap(({ id, changes }) =>
      changes.map((change) => `node ${quote(id)} ${describeChange(change)}`),
    ),
    ...diff.edgesAdded.map((edge) => `added edge ${edge}`),
    ...diff.edgesRemoved.map((edge) => `removed edge ${edge}`),
  ]
}

/** An edge as users read it, `from.node:from.port → to.node:to.port`; edge ids are ignored. */
export function edgeKey(edge: PipelineEdge): string {
  return `${edge.from.node}:${edge.from.port} → ${edge.to.node}:${edge.to.port}`
}

function nodesById(pipeline: Pipeline): Map<string, PipelineNode> {
  return new Map(pipeline.nodes.map((node) => [node.id, node]))
}

/**
 * Appends one change per differing leaf below `path`. Objects are compared key by key (sorted),
 * arrays index by index; where the two sides are not the same sort of container, the whole value
 * is one change.
 */
function compareValues(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    for (const key of sortedUnion(Object.keys(before), Object.keys(after))) {
      compareValues(before[key], after[key], join(path, key), out)
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      compareValues(before[index], after[index], join(path, String(index)), out)
    }
  } else if (!Object.is(before, after)) {
    out.push({ field: path, before, after })
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

function sortedUnion(first: Iterable<string>, second: Iterable<string>): string[] {
  return [...new Set([...first, ...second])].sort(byCodeUnit)
}

// Not localeCompare: the order must not depend on the machine's locale.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function describeChange({ field, before, after }: FieldChange): string {
  return `${field}: ${formatValue(before)} → ${formatValue(after)}`
}

function formatValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value)
}

function quote(id: string): string {
  return JSON.stringify(id)
}
