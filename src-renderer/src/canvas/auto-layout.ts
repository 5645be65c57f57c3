import dagre from '@dagrejs/dagre'
import type { Pipeline } from '../../../src-shared/pipeline'

export interface NodeSize {
  width: number
  height: number
}

/** The size assumed for a node the canvas has not measured yet. */
export const defaultNodeSize: NodeSize = { width: 200, height: 96 }

/**
 * Top-left positions that lay the pipeline out left to right, each node one rank after its
 * inputs, by dagre. `sizeOf` gives the drawn size of a node, so wide nodes do not overlap.
 */
export function layoutLeftToRight(
  document: Pipeline,
  sizeOf: (nodeId: string) => NodeSize = () => defaultNodeSize,
): Record<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: true })
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 0, marginy: 0 })
  graph.setDefaultEdgeLabel(() => ({}))
  for (const node of document.nodes) {
    graph.setNode(node.id, { ...sizeOf(node.id) })
  }
  document.edges.forEach((edge, index) => {
    if (graph.hasNode(edge.from.node) && graph.hasNode(edge.to.node)) {
      graph.setEdge(edge.from.node, edge.to.node, {}, String(index))
    }
  })
  dagre.layout(graph)
  const positions: Record<string, { x: number; y: number }> = {}
  for (const node of document.nodes) {
    const placed = graph.node(node.id) as { x: number; y: number; width: number; height: number }
    // dagre places centres; the canvas positions top-left corners.
    positions[node.id] = {
      x: Math.round(placed.x - placed.width / 2),
      y: Math.round(placed.y - placed.height / 2),
    }
  }
  return positions
}
