import type { Pipeline, PipelineEdge, PipelineNode } from '../../../src-shared/pipeline'

/** Nodes and the edges between them, as copied to the clipboard. */
export interface CopiedNodes {
  nodes: PipelineNode[]
  edges: PipelineEdge[]
}

/**
 * A fresh node id from the kind: `csv_1` for a CSV source, `filter_1`, `write_csv_1` for a CSV
 * sink (so a source and a sink of one format never look alike).
 */
export function newNodeId(kind: string, taken: ReadonlySet<string>): string {
  const [family, name = 'node'] = kind.split('.')
  const short = family === 'sink' ? `write_${name}` : name
  const base = short.replace(/[^A-Za-z0-9_]/g, '_')
  let number = 1
  while (taken.has(`${base}_${number}`)) {
    number += 1
  }
  return `${base}_${number}`
}

/** The chosen nodes with their configs, and only the edges among them; null for none. */
export function copyNodes(document: Pipeline, ids: ReadonlySet<string>): CopiedNodes | null {
  if (ids.size === 0) {
    return null
  }
  return structuredClone({
    nodes: document.nodes.filter((node) => ids.has(node.id)),
    edges: document.edges.filter((edge) => ids.has(edge.from.node) && ids.has(edge.to.node)),
  })
}

/** Copied nodes under ids free in `document`, shifted by `offset`, with their edges renamed. */
export function pastedNodes(
  document: Pipeline,
  copied: CopiedNodes,
  offset: { x: number; y: number },
): CopiedNodes {
  const taken = new Set(document.nodes.map((node) => node.id))
  const renamed = new Map<string, string>()
  for (const node of copied.nodes) {
    const id = newNodeId(node.kind, taken)
    taken.add(id)
    renamed.set(node.id, id)
  }
  const idOf = (old: string): string => renamed.get(old) ?? old
  return {
    nodes: copied.nodes.map((node) => ({
      ...structuredClone(node),
      id: idOf(node.id),
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    })),
    edges: copied.edges.map((edge) => ({
      from: { node: idOf(edge.from.node), port: edge.from.port },
      to: { node: idOf(edge.to.node), port: edge.to.port },
    })),
  }
}
