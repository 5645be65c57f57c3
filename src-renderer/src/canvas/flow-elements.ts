import type { Edge, Node } from '@vue-flow/core'
import type { Pipeline, PipelineNode } from '../../../src-shared/pipeline'
import { edgeId } from '../stores/pipeline'
import { nodePorts, type NodePorts } from './node-ports'

/** The node type SluiceNode.vue draws. */
export const sluiceNodeType = 'sluice'

/** What SluiceNode.vue gets of a pipeline node. */
export interface SluiceNodeData {
  node: PipelineNode
  ports: NodePorts
}

/**
 * Each node's data, reused from `previous` while its kind, label and config are unchanged: the
 * store clones the whole document on every edit, and a new data object would redraw every node.
 */
export function toFlowNodes(
  document: Pipeline,
  selected: ReadonlySet<string>,
  previous: ReadonlyMap<string, SluiceNodeData> = new Map(),
): Node<SluiceNodeData>[] {
  return document.nodes.map((node) => ({
    id: node.id,
    type: sluiceNodeType,
    position: { x: node.position.x, y: node.position.y },
    selected: selected.has(node.id),
    ariaLabel: node.label || node.id,
    data: reuseData(node, previous.get(node.id)),
  }))
}

function reuseData(node: PipelineNode, previous: SluiceNodeData | undefined): SluiceNodeData {
  const same =
    previous !== undefined &&
    (previous.node === node ||
      (previous.node.kind === node.kind &&
        previous.node.label === node.label &&
        JSON.stringify(previous.node.config) === JSON.stringify(node.config)))
  return same ? previous : { node, ports: nodePorts(node) }
}

/** Vue Flow edges for the document's edges, with the store's edge ids. */
export function toFlowEdges(
  document: Pipeline,
  selected: ReadonlySet<string>,
  describe: (id: string) => string = (id) => id,
): Edge[] {
  return document.edges.map((edge) => {
    const id = edgeId(edge)
    return {
      id,
      source: edge.from.node,
      sourceHandle: edge.from.port,
      target: edge.to.node,
      targetHandle: edge.to.port,
      selected: selected.has(id),
      ariaLabel: describe(id),
    }
  })
}
