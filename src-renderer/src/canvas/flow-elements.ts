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

// One data object per document node: the store replaces a node object only when that node (or
// the whole document, on undo) changes, so a selection change re-renders no node's contents.
const dataCache = new WeakMap<PipelineNode, SluiceNodeData>()

function dataOf(node: PipelineNode): SluiceNodeData {
  let data = dataCache.get(node)
  if (!data) {
    data = { node, ports: nodePorts(node) }
    dataCache.set(node, data)
  }
  return data
}

/** Vue Flow nodes for the document's nodes, selected as the store says. */
export function toFlowNodes(
  document: Pipeline,
  selected: ReadonlySet<string>,
): Node<SluiceNodeData>[] {
  return document.nodes.map((node) => ({
    id: node.id,
    type: sluiceNodeType,
    position: { x: node.position.x, y: node.position.y },
    selected: selected.has(node.id),
    ariaLabel: node.label || node.id,
    data: dataOf(node),
  }))
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
