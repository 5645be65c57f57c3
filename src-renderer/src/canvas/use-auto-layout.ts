import type { VueFlowStore } from '@vue-flow/core'
import { nextTick } from 'vue'
import { usePipelineStore } from '../stores/pipeline'
import { defaultNodeSize, layoutLeftToRight } from './auto-layout'

/**
 * Auto-layout of the open pipeline, left to right, with the nodes' drawn sizes; written as one
 * move (one undo step) that keeps the drawing's top-left corner where it was, then fitted.
 */
export function useAutoLayout(flow: VueFlowStore, fitView: () => void): () => void {
  const pipeline = usePipelineStore()
  return () => {
    const document = pipeline.document
    if (!document || document.nodes.length === 0) {
      return
    }
    const laidOut = layoutLeftToRight(document, (id) => {
      const size = flow.findNode(id)?.dimensions
      return size && size.width > 0 ? { width: size.width, height: size.height } : defaultNodeSize
    })
    const left = Math.min(...document.nodes.map((node) => node.position.x))
    const top = Math.min(...document.nodes.map((node) => node.position.y))
    const positions = Object.fromEntries(
      Object.entries(laidOut).map(([id, at]) => [id, { x: at.x + left, y: at.y + top }]),
    )
    pipeline.moveNodes(positions)
    void nextTick(fitView)
  }
}
