import { computed, type ComputedRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Edge, Node } from '@vue-flow/core'
import { usePipelineStore } from '../stores/pipeline'
import { toFlowEdges, toFlowNodes, type SluiceNodeData } from './flow-elements'

/**
 * The canvas's nodes and edges, derived from the pipeline store: recomputed when the document is
 * replaced (every edit) or the selection changes, never by watching the document deeply. Node
 * data is carried over from the last result, so only nodes whose settings changed redraw.
 */
export function useFlowElements(): {
  nodes: ComputedRef<Node<SluiceNodeData>[]>
  edges: ComputedRef<Edge[]>
} {
  const pipeline = usePipelineStore()
  const { t } = useI18n()
  let previous = new Map<string, SluiceNodeData>()
  const nodes = computed(() => {
    const drawn = pipeline.document
      ? toFlowNodes(pipeline.document, new Set(pipeline.selectedNodeIds), previous)
      : []
    previous = new Map(drawn.map((node) => [node.id, node.data as SluiceNodeData]))
    return drawn
  })
  const edges = computed(() =>
    pipeline.document
      ? toFlowEdges(pipeline.document, new Set(pipeline.selectedEdgeIds), (edge) =>
          t('canvas.edge', { edge }),
        )
      : [],
  )
  return { nodes, edges }
}
