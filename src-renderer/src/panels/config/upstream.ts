import type { Pipeline } from '../../../../src-shared/pipeline'

/** A column of a node's output, as the engine reports it. */
export interface ColumnInfo {
  name: string
  type: string
}

/** The nodes feeding `nodeId`'s inputs, in port order of the edges. */
export function upstreamNodeIds(document: Pipeline, nodeId: string): string[] {
  const ids = document.edges.filter((edge) => edge.to.node === nodeId).map((edge) => edge.from.node)
  return [...new Set(ids)]
}

/**
 * What a node's output columns depend on: the kinds and configs of it and every node above it,
 * and the edges among them. Equal fingerprints mean the columns cannot have changed, so typing
 * in a downstream node never refetches them.
 */
export function upstreamFingerprint(document: Pipeline, nodeId: string): string {
  const seen = new Set<string>()
  const pending = [nodeId]
  while (pending.length > 0) {
    const id = pending.pop() as string
    if (seen.has(id)) {
      continue
    }
    seen.add(id)
    pending.push(...upstreamNodeIds(document, id))
  }
  const nodes = document.nodes
    .filter((node) => seen.has(node.id))
    .map((node) => [node.id, node.kind, node.config])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  const edges = document.edges
    .filter((edge) => seen.has(edge.to.node))
    .map((edge) => `${edge.from.node}.${edge.from.port}>${edge.to.node}.${edge.to.port}`)
    .sort()
  return JSON.stringify({ nodes, edges, parameters: document.parameters })
}

/** Columns of several inputs as one list: the first input's type wins for a repeated name. */
export function mergeColumns(lists: ReadonlyArray<readonly ColumnInfo[]>): ColumnInfo[] {
  const byName = new Map<string, ColumnInfo>()
  for (const list of lists) {
    for (const column of list) {
      if (!byName.has(column.name)) {
        byName.set(column.name, column)
      }
    }
  }
  return [...byName.values()]
}
